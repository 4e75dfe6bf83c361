/**
 * `oga prefetch [root]`: finds every `oga:` import in the project's sources and resolves it the
 * way a build does (describe, download, lock, declarations), so the next build, offline work or a
 * CI cache needs no network. A live bar on a terminal; one line per downloaded file otherwise.
 */
import { OgaError } from "../errors.js";
import { findSpecifiers } from "../project/find-specifiers.js";
import { prefetchSpecifiers } from "../project/prefetch.js";
import { closeSharedStores, type ResolveEvents } from "../project/resolve-asset.js";
import { plural } from "../project/human-units.js";
import { parseSpecifier } from "../project/specifier.js";
import { TransferTally } from "../project/transfer-tally.js";
import type { CliCommand } from "./command.js";
import { formatSize, say, type CliIo } from "./io.js";
import { addProjectOptions, projectOptions, shownPath } from "./project.js";
import { createProgressReporter, wantsProgressBar } from "./progress.js";

export const prefetchCommand: CliCommand = {
  spec: "prefetch [root]",
  description: "Download and lock every oga: import of a project (then builds need no network)",
  configure(command) {
    addProjectOptions(command)
      .example("  $ oga prefetch")
      .example("  $ oga prefetch packages/game --lockfile oga.lock.json");
  },
  async run(context, [root], options) {
    const { io } = context;
    const resolved = projectOptions(context, options, root);
    const found = await findSpecifiers(resolved.root);
    if (found.length === 0) {
      say(io, `no oga: imports found under ${shownPath(resolved.root)}; nothing to prefetch`);
      return;
    }
    for (const { specifier, file } of found) checkSpecifier(specifier, file);
    const tally = createTally(io);
    try {
      const result = await prefetchSpecifiers(
        resolved,
        found.map((f) => f.specifier),
        tally.events,
      );
      tally.stop();
      const written = [
        result.lockWritten ? `wrote ${shownPath(resolved.lockfile)}` : `${shownPath(resolved.lockfile)} unchanged`,
        ...(resolved.dts === false ? [] : [result.dtsWritten ? `wrote ${shownPath(resolved.dts)}` : `${shownPath(resolved.dts)} unchanged`]),
      ];
      say(io, `prefetched ${plural(found.length, "import")}; ${tally.summary()}; ${written.join(", ")}`);
    } finally {
      tally.stop();
      // The resolver's clients are process-wide (shared by builds); the runner does not know them.
      await closeSharedStores();
    }
  },
};

/** A malformed import is reported with the file it is in, before any network work starts. */
function checkSpecifier(specifier: string, file: string): void {
  try {
    parseSpecifier(specifier);
  } catch (error) {
    throw new OgaError("OGA_BAD_INPUT", `${shownPath(file)}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The resolver's events, counted by the same tally as the plugin's log: a live bar on a terminal,
 * else one line per downloaded file; the summary comes from the tally too.
 */
function createTally(io: CliIo) {
  const bar = createProgressReporter(io);
  const plain = !wantsProgressBar(io);
  const tally = new TransferTally();
  const draw = (file: string) => {
    const p = tally.progress();
    bar.update({ file, asset: "", bytes: 0, totalBytes: null, filesDone: p.filesDownloaded, filesTotal: p.filesStarted, bytesDone: p.bytesDownloaded, bytesTotal: p.bytesStarted });
  };
  const shown = (file: { asset: string; name: string }) => `${file.asset}/${file.name}`;
  const events: ResolveEvents = {
    onDownloadStart(file) {
      tally.fileStarted(file);
      draw(shown(file));
    },
    onFile(file) {
      const before = tally.progress().filesDownloaded;
      tally.fileFinished(file);
      if (tally.progress().filesDownloaded === before) return;
      if (plain) say(io, `downloaded ${shown(file)} (${formatSize(file.size)})`);
      else draw(shown(file));
    },
  };
  let stopped = false;
  return {
    events,
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
    summary: () => tally.summary(),
  };
}
