/**
 * `oga mirror <dir>`: writes a static mirror of everything the lockfile pins (asset pages and
 * files under the site's own paths) for any static HTTP server, object store or CDN to serve;
 * builds then set `url` (or `OGA_URL`) to it and verify every byte against the lockfile.
 * One line per page or file on stdout, a summary on stderr.
 */
import path from "node:path";
import { OgaError } from "../errors.js";
import { writeMirror } from "../project/mirror.js";
import { readExistingLockfile } from "../project/lock-maintenance.js";
import { SiteHttp } from "../site/http.js";
import { USER_AGENT } from "../version.js";
import type { CliCommand } from "./command.js";
import { formatSize, say, writeLine } from "./io.js";
import { addProjectOptions, projectClient, projectOptions, shownPath } from "./project.js";

export const mirrorCommand: CliCommand = {
  spec: "mirror <dir>",
  description: "Write a static mirror of every locked page and file (serve it, then build with url at it)",
  configure(command) {
    addProjectOptions(command, { dts: false })
      .example("  $ oga mirror public-mirror && npx serve public-mirror")
      .example("  $ OGA_URL=https://oga-mirror.example.com npx vite build");
  },
  async run(context, [dir], options) {
    const { io } = context;
    const resolved = projectOptions(context, options);
    if (resolved.offline) throw new OgaError("OGA_OFFLINE", "oga mirror fetches each asset page from the site; it cannot work offline (unset OGA_OFFLINE or drop --offline).");
    const lock = await readExistingLockfile(resolved.lockfile);
    const target = path.resolve(dir!);
    // Pages as the site serves them: the client keeps only what it parsed.
    const http = new SiteHttp({ origin: resolved.url, userAgent: USER_AGENT, connections: resolved.concurrency, allowHosts: resolved.allowHosts });
    try {
      const report = await writeMirror(lock, target, {
        http,
        client: projectClient(context, resolved),
        concurrency: resolved.concurrency,
        signal: io.signal,
      });
      for (const entry of report.paths) await writeLine(io.stdout, `${entry.path}\t${formatSize(entry.bytes)}${entry.written ? "" : "\tunchanged"}`);
      for (const file of report.skipped) say(io, `${file.asset}/${file.name}: not mirrored, ${file.url} is not on the site (builds fetch it from there)`);
      const pages = report.paths.filter((p) => p.kind === "page").length;
      const files = report.paths.filter((p) => p.kind === "file");
      const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
      const unpinned = report.unpinned ? `; ${report.unpinned} listed file${report.unpinned === 1 ? "" : "s"} no build has used (not pinned) left out` : "";
      say(io, `mirrored ${pages} page${pages === 1 ? "" : "s"} and ${files.length} file${files.length === 1 ? "" : "s"} (${formatSize(bytes)}) into ${shownPath(target)}${unpinned}; serve it and build with url (OGA_URL) at it`);
    } finally {
      await http.close();
    }
  },
};
