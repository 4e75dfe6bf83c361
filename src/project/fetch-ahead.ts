/**
 * A cold build's head start. A bundler finds imports level by level (a module's imports only once
 * it is loaded and transformed), so the download behind an import deep in the graph would wait
 * for every level above it. The sources already say what they import: the scan `oga prefetch`
 * uses finds the specifiers in the folders of the build's entries, and each is described and its
 * files downloaded from the build's start. The imports then join those transfers, or find the
 * files in the cache.
 */
import { statSync } from "node:fs";
import path from "node:path";
import type { AssetResolver } from "./resolve-asset.js";
import { specifiersUnder } from "./find-specifiers.js";
import { parseSpecifier } from "./specifier.js";

/**
 * Starts every download the imports in the folders of `input`'s entries will certainly ask for
 * (see {@link AssetResolver.fetchAhead}) and settles when all have settled. Never rejects: a
 * specifier that is malformed or fails stays for its import to report, if the build imports it.
 * Aborting `signal` stops the scan and every transfer, temp files removed.
 *
 * @param input the bundler's `input` option as `buildStart` gets it (entry paths, absolute or
 *   relative to the working directory, as a string, an array or a record of names).
 */
export async function fetchAhead(resolver: AssetResolver, input: unknown, signal: AbortSignal): Promise<void> {
  const started: Promise<void>[] = [];
  for (const folder of entryFolders(input)) {
    for await (const { specifier } of specifiersUnder(folder, signal)) {
      // A malformed specifier throws here, inside the promise, and is left for its import to report.
      started.push(
        Promise.resolve()
          .then(() => resolver.fetchAhead(parseSpecifier(specifier), signal))
          .catch(() => undefined),
      );
    }
  }
  await Promise.all(started);
}

/**
 * The folders of the entries that are files, none inside another. An entry that is no file (a
 * virtual module, a package name) names no folder: the working directory may be far larger than
 * the project.
 */
export function entryFolders(input: unknown): string[] {
  const entries = typeof input === "string" ? [input] : Object.values(input ?? {});
  const folders = new Set<string>();
  for (const entry of entries) {
    if (typeof entry !== "string") continue;
    const file = path.resolve(entry);
    try {
      if (statSync(file).isFile()) folders.add(path.dirname(file));
    } catch {
      // Missing, unreadable, or no path at all (a plugin's virtual entry, "\0…"): no folder.
    }
  }
  const sorted = [...folders].sort();
  return sorted.filter((folder) => !sorted.some((other) => folder.startsWith(other + path.sep)));
}
