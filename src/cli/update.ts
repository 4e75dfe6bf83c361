/**
 * `oga update [id…]`: accept what changed upstream. Re-describes the locked assets (all, or the
 * given ones), revalidates their downloaded files (a changed file is downloaded and hashed),
 * rewrites the lockfile and the declarations, and prints one line per change.
 */
import { OgaError } from "../errors.js";
import { hasChanges } from "../project/lock-diff.js";
import { readExistingLockfile, selectLockedIds, updateLockedAssets } from "../project/lock-maintenance.js";
import { lockSession } from "../project/lock-session.js";
import { changeLines } from "./changes.js";
import type { CliCommand } from "./command.js";
import { say, writeLine } from "./io.js";
import { addProjectOptions, projectClient, projectOptions, shownPath } from "./project.js";

export const updateCommand: CliCommand = {
  spec: "update [...ids]",
  description: "Re-describe and revalidate locked assets (all, or the given ids) and rewrite the lockfile",
  configure(command) {
    addProjectOptions(command)
      .example("  $ oga update")
      .example("  $ oga update battle-theme-a");
  },
  async run(context, ids, options) {
    const { io } = context;
    const resolved = projectOptions(context, options);
    // An explicit update is the one time the lock may change, so `frozen` (CI) does not apply.
    if (resolved.offline) throw new OgaError("OGA_OFFLINE", "oga update asks the site what changed; it cannot work offline (unset OGA_OFFLINE or drop --offline).");
    const lock = await readExistingLockfile(resolved.lockfile);
    const selected = selectLockedIds(lock, ids, shownPath(resolved.lockfile));
    if (selected.length === 0) {
      say(io, `${shownPath(resolved.lockfile)} locks no assets; nothing to update`);
      return;
    }
    const result = await updateLockedAssets(lock, selected, projectClient(context, resolved));
    for (const changes of result.changes) for (const line of changeLines(changes)) await writeLine(io.stdout, line);
    // The build's lock session writes it: the same whole-file writes, the same declarations.
    const session = lockSession(resolved.lockfile, resolved.dts, false, resolved.cacheDir);
    session.replace(result.lock);
    const { lockWritten, dtsWritten } = await session.flush();
    const changed = result.changes.filter(hasChanges).length;
    const files = [lockWritten && `wrote ${shownPath(resolved.lockfile)}`, dtsWritten && resolved.dts !== false && `wrote ${shownPath(resolved.dts)}`].filter(Boolean);
    const checked = `${selected.length} asset${selected.length === 1 ? "" : "s"}`;
    say(io, changed === 0 ? `checked ${checked}: all up to date${files.length ? `; ${files.join(", ")}` : ""}` : `checked ${checked}: ${changed} changed; ${files.join(", ") || "lockfile unchanged"}`);
  },
};
