/**
 * What the CLI shows and unpacks of zip packs: `oga describe --files` lists the entries of every
 * zip (zips inside zips too), `oga download --extract` places them in `--out`. Paths are the same
 * as in specifiers: `<zip name>/<entry path>`, so a listed line can be pasted after `oga:<id>/`.
 */
import type { OgaClient } from "../client.js";
import type { AssetFile } from "../site/types.js";
import { listArchive } from "../store/archive.js";
import { MAX_ARCHIVE_DEPTH, isArchiveName } from "../store/archive-limits.js";
import { extractEntry, type CachedArchive } from "../store/archive-extract.js";
import { Cache } from "../store/cache.js";
import type { CachedFile } from "../store/fetch-file.js";
import { safeFileName } from "../store/file-name.js";
import type { FileContentsLister } from "./describe.js";
import { column, formatSize, say, type CliIo } from "./io.js";
import { placeFile } from "./place-file.js";
import path from "node:path";

/** An entry somewhere below an asset's zip, by its path inside the asset. */
interface FoundEntry {
  key: string;
  size: number;
  archive: CachedArchive;
  entry: string;
  /** A zip whose own entries follow. */
  opened: boolean;
}

/** Visits every non-junk entry of `archive` and of the zips inside it, outermost first. */
async function* walk(cache: Cache, archive: CachedArchive, depth = 0): AsyncGenerator<FoundEntry> {
  for (const entry of await listArchive(archive.path, { label: archive.label })) {
    const key = `${archive.label}/${entry.path}`;
    const opened = depth + 1 < MAX_ARCHIVE_DEPTH && isArchiveName(entry.path);
    yield { key, size: entry.size, archive, entry: entry.path, opened };
    if (opened) {
      const inner = await extractEntry(cache, archive, entry.path);
      yield* walk(cache, { path: inner.path, sha256: inner.sha256, label: key }, depth + 1);
    }
  }
}

/** Fetches an asset's zip into the cache, saying so on stderr when that means a download. */
async function fetchArchive(client: OgaClient, io: CliIo, file: { url: string; name: string; size: number | null }): Promise<CachedFile> {
  let told = false;
  return client.fetchFile(file, {
    onBytes: () => {
      if (told) return;
      told = true;
      say(io, `downloading ${file.name} (${formatSize(file.size)}) to look inside it`);
    },
  });
}

/** The `describe --files` hook: `<zip>/<entry>\t<size>` for each entry of a zip, `null` for other files. */
export function archiveContentsLister(): FileContentsLister {
  return async (file: AssetFile, context) => {
    if (!isArchiveName(file.name)) return null;
    const client = context.client();
    const cached = await fetchArchive(client, context.io, file);
    const cache = await Cache.open(client.cacheDir);
    const lines: string[] = [];
    for await (const found of walk(cache, { path: cached.path, sha256: cached.sha256, label: file.name })) lines.push(`${column(found.key)}\t${formatSize(found.size)}`);
    return lines;
  };
}

/**
 * `download --extract`: every entry of a downloaded zip (inner zips unpacked too, as the plugin
 * sees them), extracted through the cache. With `target` (`<out>/<id>`) each is placed at
 * `<target>/<zip name>/<entry path>`, each segment made safe, whole files only, at the path
 * `place` gives for it (which keeps the paths of one run distinct); without, the cached blobs
 * are returned. Returns the paths, in entry order.
 */
export async function extractArchive(
  client: OgaClient,
  archive: CachedFile,
  target?: string,
  place: (wanted: string, name: string) => string = (wanted) => wanted,
): Promise<string[]> {
  const cache = await Cache.open(client.cacheDir);
  const written: string[] = [];
  for await (const found of walk(cache, { path: archive.path, sha256: archive.sha256, label: archive.name })) {
    if (found.opened) continue;
    const extracted = await extractEntry(cache, found.archive, found.entry);
    if (target === undefined) {
      written.push(extracted.path);
      continue;
    }
    // Entry paths were checked (no `..`, not absolute) and each segment is made safe here too.
    const destination = place(path.join(target, ...found.key.split("/").map((segment) => safeFileName(segment))), found.key);
    await placeFile(extracted.path, destination);
    written.push(destination);
  }
  return written;
}
