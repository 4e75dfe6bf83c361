/**
 * `oga outdated [id…]`: what `oga update` would change (files added, removed or changed upstream,
 * changed licenses and other metadata), without touching the lockfile or downloading anything
 * into the cache. Exit code 0 when everything is up to date, 1 when something is outdated (like
 * `npm outdated`), so CI can alert on it.
 */
import { OgaError } from "../errors.js";
import { SiteHttp } from "../site/http.js";
import { USER_AGENT } from "../version.js";
import { checkOutdated, readExistingLockfile, selectLockedIds, type OutdatedReport } from "../project/lock-maintenance.js";
import { hasChanges } from "../project/lock-diff.js";
import { changeLines } from "./changes.js";
import type { CliCommand } from "./command.js";
import { say, writeLine, writeLines } from "./io.js";
import { addProjectOptions, projectClient, projectOptions, shownPath } from "./project.js";

export const outdatedCommand: CliCommand = {
  spec: "outdated [...ids]",
  description: "List what changed upstream since the lockfile was written (exit 1 when anything did)",
  configure(command) {
    addProjectOptions(command, { dts: false })
      .option("--json", "Print the outdated assets as JSON")
      .example("  $ oga outdated")
      .example("  $ oga outdated --json | jq '.[].id'");
  },
  async run(context, ids, options) {
    const { io } = context;
    const resolved = projectOptions(context, options);
    if (resolved.offline) throw new OgaError("OGA_OFFLINE", "oga outdated asks the site what changed; it cannot work offline (unset OGA_OFFLINE or drop --offline).");
    const lock = await readExistingLockfile(resolved.lockfile);
    const selected = selectLockedIds(lock, ids, shownPath(resolved.lockfile));
    // Its own SiteHttp: the client has no way to ask for a file without storing the answer.
    const http = new SiteHttp({ origin: resolved.url, userAgent: USER_AGENT, connections: resolved.concurrency, allowHosts: resolved.allowHosts });
    let reports: OutdatedReport[];
    try {
      reports = await checkOutdated(lock, selected, projectClient(context, resolved), http, resolved.concurrency);
    } finally {
      await http.close();
    }
    const outdated = reports.filter((r) => r.gone || hasChanges(r));
    if (options.json === true) await writeLines(io.stdout, JSON.stringify(outdated, null, 2));
    else for (const report of outdated) for (const line of reportLines(report)) await writeLine(io.stdout, line);
    const checked = `${selected.length} locked asset${selected.length === 1 ? "" : "s"}`;
    if (outdated.length === 0) {
      say(io, `checked ${checked}: all up to date`);
      return;
    }
    const updatable = outdated.filter((r) => !r.gone).map((r) => r.id);
    const hint = updatable.length ? `; run \`oga update ${updatable.join(" ")}\` to accept the changes` : "; remove the imports of assets that are gone";
    say(io, `checked ${checked}: ${outdated.length} outdated${hint}`);
    return 1; // outdated, like `npm outdated`
  },
};

function reportLines(report: OutdatedReport): string[] {
  return report.gone ? [`${report.id}: gone upstream (${report.pageUrl})`] : changeLines(report);
}
