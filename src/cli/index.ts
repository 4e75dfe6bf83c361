/**
 * The `oga` command line, as a function: `runCli(argv, streams)` parses, runs one command and
 * resolves to the exit code. `bin.ts` only wires it to the process.
 *
 * Exit codes: 0 success (also when the reader of stdout leaves early, like `| head -1`),
 * 1 failure (unknown asset, site unreachable, …), 2 usage error (unknown flag or command, bad
 * flag value), 130 interrupted by Ctrl-C.
 */
import { setMaxListeners } from "node:events";
import { cac, type CAC } from "cac";
import { isOgaError } from "../errors.js";
import { escapeControls } from "../untrusted-text.js";
import { VERSION } from "../version.js";
import { createContext, type CliCommand } from "./command.js";
import { COMMANDS } from "./commands.js";
import { OutputClosedError, type CliIo, type CliStreams } from "./io.js";
import { addGlobalOptions, CliUsageError, readGlobalOptions, type OptionBag } from "./options.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** A command picked by the parser, run after parsing so the runner can await and time it. */
interface Invocation {
  command: CliCommand;
  args: string[];
  options: OptionBag;
}

function buildCli(commands: readonly CliCommand[], onInvoke: (invocation: Invocation) => void): CAC {
  const cli = cac("oga");
  addGlobalOptions(cli);
  for (const command of commands) {
    const registered = cli.command(command.spec, command.description);
    command.configure(registered);
    // cac passes positional arguments first and the option bag last.
    registered.action((...raw: unknown[]) => {
      const values = raw.map(restoreText);
      const options = values.pop() as OptionBag;
      for (const key of Object.keys(options)) options[key] = restoreText(options[key]);
      // Variadic arguments (`[...ids]`) arrive as one array; an omitted optional one as undefined.
      const args = values.flatMap((v) => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]));
      onInvoke({ command, args, options });
    });
  }
  cli.help();
  cli.version(VERSION);
  return cli;
}

/**
 * Run the CLI. `argv` is the arguments after the program name (`["describe", "battle-theme-a"]`).
 * Never throws: failures become a one-line `oga: <reason>` on stderr and a non-zero exit code.
 */
export async function runCli(argv: readonly string[], streams: CliStreams, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const controller = new AbortController();
  // Every request in flight listens to this signal (a dozen assets described at once is normal),
  // which is not the leak Node's default limit of 10 listeners warns about.
  setMaxListeners(0, controller.signal);
  const onInterrupt = () => controller.abort(streams.interrupt?.reason);
  streams.interrupt?.addEventListener("abort", onInterrupt, { once: true });
  if (streams.interrupt?.aborted) onInterrupt();
  // A closed pipe (`| head -1`) surfaces as an asynchronous EPIPE 'error' on stdout; without a
  // listener Node would crash with a stack trace. Stop the work instead: nobody reads it.
  const outputClosed = new OutputClosedError("output closed");
  const onStdoutError = () => controller.abort(outputClosed);
  streams.stdout.on("error", onStdoutError);
  const io: CliIo = { ...streams, signal: controller.signal };

  let invocation: Invocation | undefined;
  let context: ReturnType<typeof createContext> | undefined;
  try {
    const cli = buildCli(commands, (picked) => (invocation = picked));
    // cac prints help and version itself (to stdout) and then runs nothing.
    const parsed = cli.parse(["node", "oga", ...argv.map(keepText)], { run: false });
    if (parsed.options.help === true || (parsed.options.version === true && !cli.matchedCommand)) return EXIT_OK;
    if (!cli.matchedCommand) {
      if (parsed.args[0] !== undefined) {
        throw new CliUsageError(`unknown command "${String(restoreText(parsed.args[0]))}"; commands: ${commands.map((c) => c.spec.split(" ")[0]).join(", ")}`);
      }
      cli.outputHelp();
      return EXIT_USAGE;
    }
    // Validates flags and arguments (cac throws CACError), then calls our action.
    cli.runMatchedCommand();
    if (!invocation) return EXIT_OK;
    context = createContext(io, readGlobalOptions(invocation.options, io.env));
    return (await invocation.command.run(context, invocation.args, invocation.options)) ?? EXIT_OK;
  } catch (error) {
    return reportFailure(io, error, outputClosed);
  } finally {
    await context?.closeAll();
    streams.stdout.off("error", onStdoutError);
    streams.interrupt?.removeEventListener("abort", onInterrupt);
  }
}

/**
 * cac's parser (mri) turns every number-like value into a number: `--title 007` would search for
 * "7", `--keys 1e3` for "1000". A NUL, which no real argument can contain, keeps such values text
 * through the parser; flags that want numbers parse the text themselves.
 */
const TEXT = "\u0000";

function keepText(token: string): string {
  if (token.startsWith("-")) {
    const eq = token.indexOf("=");
    return token.startsWith("--") && eq > 0 ? token.slice(0, eq + 1) + keepText(token.slice(eq + 1)) : token;
  }
  return token.trim() !== "" && Number.isFinite(Number(token)) ? TEXT + token : token;
}

function restoreText(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith(TEXT) ? value.slice(TEXT.length) : value;
  if (Array.isArray(value)) return value.map(restoreText);
  if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) (value as Record<string, unknown>)[key] = restoreText(inner);
  }
  return value;
}

function reportFailure(io: CliIo, error: unknown, outputClosed: OutputClosedError): number {
  if (error instanceof OutputClosedError || io.signal.reason === outputClosed) return EXIT_OK;
  if (io.signal.aborted) {
    io.stderr.write("oga: interrupted\n");
    return EXIT_INTERRUPTED;
  }
  const usage = error instanceof CliUsageError || (error instanceof Error && error.name === "CACError");
  // Messages carry page text (names, titles); escaped like everything else the CLI prints.
  io.stderr.write(`oga: ${escapeControls(oneLine(error))}${usage ? " (see oga --help)" : ""}\n`);
  if (io.env.OGA_DEBUG === "1" && error instanceof Error && error.stack) io.stderr.write(`${escapeControls(error.stack, "\n")}\n`);
  if (usage || isOgaError(error, "OGA_BAD_INPUT")) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** OgaError messages are one line already; anything else is cut to its first line. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n", 1)[0]!.trim() || (error instanceof Error ? error.name : "unknown error");
}
