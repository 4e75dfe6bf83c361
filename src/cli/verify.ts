/**
 * `oga verify [root]`: re-hashes every file the lockfile pins in the cache. One line per problem
 * on stdout (`missing` / `modified`, asset/file, expected hash; `--all` adds the `ok` ones), a
 * summary on stderr, exit 1 when anything is wrong. Never touches the network.
 */
import { Cache } from "../store/cache.js";
import { readExistingLockfile, verifyLockedFiles } from "../project/lock-maintenance.js";
import type { CliCommand } from "./command.js";
import { say, writeLine } from "./io.js";
import { addProjectOptions, projectOptions, shownPath } from "./project.js";

export const verifyCommand: CliCommand = {
  spec: "verify [root]",
  description: "Check every locked file in the cache against its sha256 (no network)",
  configure(command) {
    addProjectOptions(command, { dts: false })
      .option("--all", "Also list the files that are ok")
      .example("  $ oga verify")
      .example("  $ oga verify || oga prefetch");
  },
  async run(context, [root], options) {
    const { io } = context;
    const resolved = projectOptions(context, options, root);
    const lock = await readExistingLockfile(resolved.lockfile);
    const cache = await Cache.open(resolved.cacheDir);
    const results = await verifyLockedFiles(lock, cache, resolved.concurrency);
    const counts = { ok: 0, missing: 0, modified: 0 };
    for (const result of results) {
      counts[result.state]++;
      if (result.state !== "ok" || options.all === true) {
        await writeLine(io.stdout, `${result.state.padEnd(8)} ${result.asset}/${result.name}  sha256 ${result.sha256.slice(0, 12)}  ${result.path}`);
      }
    }
    const bad = counts.missing + counts.modified;
    say(io, `verified ${results.length} locked file${results.length === 1 ? "" : "s"} in ${shownPath(resolved.cacheDir)}: ${counts.ok} ok, ${counts.missing} missing, ${counts.modified} modified`);
    if (bad === 0) return;
    say(io, `run \`oga prefetch${root ? ` ${root}` : ""}\` to fetch ${bad === 1 ? "it" : "them"} again`);
    return 1; // EXIT_FAILURE: something the build needs is not there as locked
  },
};
