/**
 * Reading zip archives safely: which entries a pack holds, under which names.
 *
 * yauzl, because it reads the central directory and each entry through positioned reads of
 * the file (never the whole archive in memory, unlike adm-zip or JSZip), streams entries with
 * inflate, checks every entry's declared sizes against what it inflates, exposes the raw name
 * bytes and attributes we need to decode names and spot symlinks ourselves, and is the
 * maintained, dependency-light reader most of npm builds on (extract-zip, electron tools).
 */
import type yauzl from "yauzl";
import { OgaError } from "../errors.js";

/**
 * yauzl, loaded by the first {@link openArchive}: every other function here takes an open
 * archive or its entries. Builds without zip imports never load it (~10 ms at plugin start).
 */
let reader: typeof yauzl | undefined;

/** One file inside an archive. Directories are not entries: folders exist through paths. */
export interface ArchiveEntry {
  /** `/`-separated path inside the archive, decoded (UTF-8 when flagged, else CP437), no `.` or empty segments. */
  path: string;
  /** Uncompressed size as the archive declares it (extraction verifies it). */
  size: number;
  compressedSize: number;
  crc32: number;
}

/** Options of {@link listArchive}. */
export interface ListArchiveOptions {
  /** Keep `__MACOSX/`, `.DS_Store`, `Thumbs.db` entries. Default `false`. */
  includeJunk?: boolean;
  /** How to name the archive in errors (`tiles.zip`, `extras.zip/bonus.zip`); default its path. */
  label?: string;
}

/** How deep zips inside zips are followed (the plugin and the CLI alike); real packs nest once at most. */
export const MAX_ARCHIVE_DEPTH = 4;

/** Whether a file name is an archive this package can look into. */
export function isArchiveName(name: string): boolean {
  return /\.zip$/i.test(name);
}

/**
 * Files that archivers add behind the user's back: macOS resource forks and Finder metadata,
 * Windows thumbnail caches. Nobody imports them on purpose and they would pollute globs.
 */
export function isJunkPath(entryPath: string): boolean {
  const segments = entryPath.split("/");
  const base = segments[segments.length - 1]!;
  return segments[0] === "__MACOSX" || base === ".DS_Store" || base === "Thumbs.db" || base.startsWith("._");
}

/** The yauzl options every reader here uses: names decoded by us, sizes checked by yauzl. */
export const YAUZL_OPTIONS = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true } as const;

/** The decoded name of a yauzl entry: UTF-8 flag or Info-ZIP Unicode Path field, else CP437; `\` becomes `/`. */
export function entryName(entry: yauzl.Entry): string {
  return reader!.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
}

/** Unix symlinks keep their type in the high half of the external attributes (when made on Unix). */
function isSymlink(entry: yauzl.Entry): boolean {
  return entry.versionMadeBy >> 8 === 3 && ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000;
}

/**
 * The normalised path of an entry, or an OGA_ARCHIVE error for a hostile one. We never use entry
 * paths as file system paths (extracted files are stored by content hash), so these could not
 * escape anyway; they are refused because an archive that tries is not one to trust at all.
 */
export function checkedEntryPath(name: string, label: string, entry?: yauzl.Entry): string {
  const refuse = (why: string) => new OgaError("OGA_ARCHIVE", `${label} is refused: its entry ${JSON.stringify(name)} ${why}. Nothing was extracted; report the pack to its author.`);
  if (name.includes("\0")) throw refuse("contains a NUL character");
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) throw refuse("has an absolute path");
  const segments = name.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) throw refuse("climbs out of the archive with '..' (zip-slip)");
  if (entry && isSymlink(entry)) throw refuse("is a symbolic link");
  return segments.join("/");
}

/** Wraps a yauzl error (bad signature, truncated file, size mismatch) as a clear OGA_ARCHIVE error. */
export function corruptArchive(label: string, error: unknown): OgaError {
  if (error instanceof OgaError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new OgaError("OGA_ARCHIVE", `${label} is not a valid zip archive (${reason}); the download may be damaged, try \`oga update\`, or the pack is broken upstream.`, { cause: error });
}

/** Opens an archive for reading; the caller must `close()` it. */
export async function openArchive(file: string, label: string): Promise<yauzl.ZipFile> {
  reader ??= (await import("yauzl")).default;
  try {
    return await reader.openPromise(file, YAUZL_OPTIONS);
  } catch (error) {
    throw corruptArchive(label, error);
  }
}

/**
 * Iterates the entries of an open archive (directories included), one central directory record
 * at a time. Errors (a truncated directory, a bad signature) reject as OGA_ARCHIVE.
 */
export async function* readEntries(zip: yauzl.ZipFile, label: string): AsyncGenerator<yauzl.Entry> {
  try {
    for await (const entry of zip.eachEntry()) yield entry;
  } catch (error) {
    throw corruptArchive(label, error);
  }
}

/**
 * Lists the files of a zip archive, sorted by path, checking every entry first: one absolute,
 * `..` or symlink entry, a path listed twice, or a damaged directory fails the whole archive with
 * OGA_ARCHIVE. Only the central directory is read.
 */
export async function listArchive(file: string, options: ListArchiveOptions = {}): Promise<ArchiveEntry[]> {
  const label = options.label ?? file;
  const zip = await openArchive(file, label);
  try {
    const entries = new Map<string, ArchiveEntry>();
    for await (const entry of readEntries(zip, label)) {
      const name = entryName(entry);
      const entryPath = checkedEntryPath(name, label, entry);
      if (name.endsWith("/") || entryPath === "") continue;
      if (!options.includeJunk && isJunkPath(entryPath)) continue;
      if (entries.has(entryPath)) {
        throw new OgaError("OGA_ARCHIVE", `${label} is refused: it lists ${JSON.stringify(entryPath)} twice, so which one is meant is ambiguous.`);
      }
      entries.set(entryPath, { path: entryPath, size: entry.uncompressedSize, compressedSize: entry.compressedSize, crc32: entry.crc32 });
    }
    return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  } finally {
    zip.close();
  }
}
