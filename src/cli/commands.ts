/** Every `oga` command, in the order `oga --help` lists them. Add a command here. */
import type { CliCommand } from "./command.js";
import { describeCommand } from "./describe.js";
import { downloadCommand } from "./download.js";
import { searchCommand } from "./search.js";

export const COMMANDS: readonly CliCommand[] = [describeCommand(), downloadCommand, searchCommand];
