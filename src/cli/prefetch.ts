/**
 * `oga prefetch [root]`: finds every `oga:` import in the project's sources and resolves it the
 * way a build does (describe, download, lock, declarations), so the next build, offline work or a
 * CI cache needs no network. A live bar on a terminal; one line per downloaded file otherwise.
 */
import { OgaError } from "../errors.js";
import { findSpecifiers } from "../project/find-specifiers.js";
import { prefetchSpecifiers } from "../project/prefetch.js";
import { closeSharedStores, type ResolveEvents } from "../project/resolve-asset.js";
import { parseSpecifier } from "../project/specifier.js";
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
      say(io, `prefetched ${found.length} import${found.length === 1 ? "" : "s"}: ${tally.summary()}; ${written.join(", ")}`);
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
 * Counts what the resolver reports. Files can be reported more than once (an asset import and a
 * file import of the same asset), so they are keyed by asset and name.
 */
function createTally(io: CliIo) {
  const bar = createProgressReporter(io);
  const plain = !wantsProgressBar(io);
  const files = new Map<string, { size: number; downloaded: boolean }>();
  const started = new Map<string, number | null>();
  let bytesDone = 0;
  const key = (file: { asset: string; name: string }) => `${file.asset}/${file.name}`;
  const draw = (file: string) => {
    const sizes = [...started.values()];
    const bytesTotal = sizes.includes(null) ? null : sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
    const filesDone = [...files.values()].filter((f) => f.downloaded).length;
    bar.update({ file, asset: "", bytes: 0, totalBytes: null, filesDone, filesTotal: started.size, bytesDone, bytesTotal });
  };
  const events: ResolveEvents = {
    onDownloadStart(file) {
      started.set(key(file), file.size);
      draw(key(file));
    },
    onFile(file) {
      const known = files.get(key(file));
      const downloaded = file.transfer === "downloaded";
      if (known?.downloaded || (known && !downloaded)) return;
      files.set(key(file), { size: file.size, downloaded });
      if (!downloaded) return;
      bytesDone += file.size;
      if (plain) say(io, `downloaded ${key(file)} (${formatSize(file.size)})`);
      else draw(key(file));
    },
  };
  let stopped = false;
  return {
    events,
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
    summary(): string {
      const all = [...files.values()];
      const downloaded = all.filter((f) => f.downloaded);
      const bytes = downloaded.reduce((sum, f) => sum + f.size, 0);
      const cached = all.length - downloaded.length;
      return `${all.length} file${all.length === 1 ? "" : "s"}, ${downloaded.length} downloaded (${formatSize(bytes)}), ${cached} already cached`;
    },
  };
}
