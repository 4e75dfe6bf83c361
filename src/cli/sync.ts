/**
 * `oga sync [root]`: writes the declarations from the lockfile alone, with no network, so CI can
 * run `tsc` before the build that would otherwise write them.
 */
import { readExistingLockfile } from "../project/lock-maintenance.js";
import { lockSession } from "../project/lock-session.js";
import type { CliCommand } from "./command.js";
import { say } from "./io.js";
import { CliUsageError } from "./options.js";
import { addProjectOptions, projectOptions, shownPath } from "./project.js";

export const syncCommand: CliCommand = {
  spec: "sync [root]",
  description: "Write the oga: type declarations from the lockfile (no network)",
  configure(command) {
    addProjectOptions(command)
      .example("  $ oga sync && tsc --noEmit")
      .example("  $ oga sync --dts types/oga-env.d.ts");
  },
  async run(context, [root], options) {
    const resolved = projectOptions(context, options, root);
    if (resolved.dts === false) throw new CliUsageError("--dts false leaves oga sync nothing to do");
    // Frozen: the lockfile is only read (once, here); the session writes the declarations as a build would.
    const session = lockSession(resolved.lockfile, resolved.dts, true, resolved.cacheDir);
    session.lock = await readExistingLockfile(resolved.lockfile);
    const { dtsWritten: written } = await session.flush();
    const count = session.lock.specifiers.length;
    say(context.io, `${written ? "wrote" : "up to date:"} ${shownPath(resolved.dts)} (${count} import${count === 1 ? "" : "s"} from ${shownPath(resolved.lockfile)})`);
  },
};
