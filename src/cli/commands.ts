/** Every `oga` command, in the order `oga --help` lists them. Add a command here. */
import type { CliCommand } from "./command.js";
import { describeCommand } from "./describe.js";
import { archiveContentsLister } from "./archive-contents.js";
import { downloadCommand } from "./download.js";
import { searchCommand } from "./search.js";
import { prefetchCommand } from "./prefetch.js";
import { verifyCommand } from "./verify.js";
import { updateCommand } from "./update.js";
import { outdatedCommand } from "./outdated.js";
import { syncCommand } from "./sync.js";
import { creditsCommand } from "./credits.js";
import { mirrorCommand } from "./mirror.js";

export const COMMANDS: readonly CliCommand[] = [
  describeCommand({ listContents: archiveContentsLister() }),
  downloadCommand,
  searchCommand,
  prefetchCommand,
  verifyCommand,
  updateCommand,
  outdatedCommand,
  syncCommand,
  creditsCommand,
  mirrorCommand,
];
