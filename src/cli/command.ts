/**
 * The shape of one `oga` command. Each command lives in its own module and exports a
 * `CliCommand`; `commands.ts` lists them. Adding a command is one file plus one line there.
 */
import type { Command } from "cac";
import { createClient, type ClientOptions, type OgaClient } from "../client.js";
import type { CliIo } from "./io.js";
import { clientOptions, type GlobalOptions, type OptionBag } from "./options.js";

export interface CommandContext {
  io: CliIo;
  global: GlobalOptions;
  /**
   * A client configured from the global options (plus `extra`), closed by the runner when the
   * command ends so idle keep-alive sockets never hold the process open.
   */
  client(extra?: Partial<ClientOptions>): OgaClient;
}

export interface CliCommand {
  /** cac's command spec: name and positional arguments, e.g. `"describe <id>"`. */
  spec: string;
  description: string;
  /** Add the command's own options and examples. */
  configure(command: Command): void;
  /** Do the work; resolve to the exit code (0 when omitted). Throw for failures. */
  run(context: CommandContext, args: string[], options: OptionBag): Promise<number | void>;
}

/** Creates the per-run context; every client it hands out is closed by `closeAll`. */
export function createContext(io: CliIo, global: GlobalOptions): CommandContext & { closeAll(): Promise<void> } {
  const clients: OgaClient[] = [];
  return {
    io,
    global,
    client(extra = {}) {
      const client = createClient({ ...clientOptions(global, io.signal), ...extra });
      clients.push(client);
      return client;
    },
    async closeAll() {
      await Promise.allSettled(clients.map((client) => client.close()));
    },
  };
}
