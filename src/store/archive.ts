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
import { DEFAULT_MAX_RATIO, DEFAULT_MAX_TOTAL_SIZE } from "./archive-limits.js";
import { cacheIoError, isSystemError } from "./cache-errors.js";

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
export interface ListArchiveOptions extends ArchiveLimits {
  /** Keep `__MACOSX/`, `.DS_Store`, `Thumbs.db` entries. Default `false`. */
  includeJunk?: boolean;
  /** How to name the archive in errors (`tiles.zip`, `extras.zip/bonus.zip`); default its path. */
  label?: string;
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

/**
 * Wraps a yauzl error (bad signature, truncated file, size mismatch) as a clear OGA_ARCHIVE error.
 * A file system error (EMFILE, EIO, EACCES …) is the machine's, not the zip's: it becomes
 * `OGA_CACHE` naming `file`, so a full file table is never blamed on a damaged download.
 */
export function corruptArchive(label: string, error: unknown, file: string): OgaError {
  if (error instanceof OgaError) return error;
  if (isSystemError(error)) return cacheIoError(error, file, `read the zip ${label} at`);
  const reason = error instanceof Error ? error.message : String(error);
  return new OgaError("OGA_ARCHIVE", `${label} is not a valid zip archive (${reason}); the download may be damaged, try \`oga update\`, or the pack is broken upstream.`, { cause: error });
}

/** Opens an archive for reading; the caller must `close()` it. */
export async function openArchive(file: string, label: string): Promise<yauzl.ZipFile> {
  reader ??= (await import("yauzl")).default;
  try {
    return await reader.openPromise(file, YAUZL_OPTIONS);
  } catch (error) {
    throw corruptArchive(label, error, file);
  }
}

/** Limits on what one archive may inflate to, checked against its central directory before anything is extracted. */
export interface ArchiveLimits {
  /** Most bytes all entries of one zip may declare together. Default {@link DEFAULT_MAX_TOTAL_SIZE}. */
  maxTotalSize?: number;
  /**
   * Most bytes declared per byte of zip, once the entries declare more than
   * {@link RATIO_CHECK_FLOOR} in all. Default {@link DEFAULT_MAX_RATIO}.
   */
  maxRatio?: number;
}

/** Below this many unpacked bytes a zip is not checked for its ratio: a small file of zeros or blank text is no threat. */
export const RATIO_CHECK_FLOOR = 16 * 1024 * 1024;

/**
 * The central directory of one zip, read once: every file entry under its checked path.
 *
 * Entry sizes are the ones the archive declares; extraction verifies them while inflating (an
 * entry that inflates past its declared size fails), so the sum of declared sizes bounds
 * everything the archive can ever put in the cache.
 */
export class ArchiveDirectory {
  /** Entries by path; a path the archive lists twice is in {@link duplicates} instead. */
  readonly #entries = new Map<string, yauzl.Entry>();
  readonly #duplicates = new Set<string>();
  /** Sum of the declared uncompressed sizes of every file entry. */
  readonly declaredSize: number;

  constructor(
    readonly file: string,
    readonly label: string,
    /** Size of the zip file itself. */
    readonly fileSize: number,
    entries: readonly { path: string; entry: yauzl.Entry }[],
  ) {
    let total = 0;
    for (const { path: entryPath, entry } of entries) {
      total += entry.uncompressedSize;
      if (this.#entries.has(entryPath)) this.#duplicates.add(entryPath);
      else this.#entries.set(entryPath, entry);
    }
    this.declaredSize = total;
  }

  /**
   * The yauzl entry at `entryPath`, `undefined` when there is none.
   * @throws OgaError OGA_ARCHIVE when the archive lists the path twice (which one is meant?)
   */
  entry(entryPath: string): yauzl.Entry | undefined {
    if (this.#duplicates.has(entryPath)) throw this.#listedTwice(entryPath);
    return this.#entries.get(entryPath);
  }

  /**
   * The file entries, sorted by path; junk left out unless `includeJunk`.
   * @throws OgaError OGA_ARCHIVE when a path among them is listed twice.
   */
  list(includeJunk = false): ArchiveEntry[] {
    const out: ArchiveEntry[] = [];
    for (const [entryPath, entry] of this.#entries) {
      if (!includeJunk && isJunkPath(entryPath)) continue;
      if (this.#duplicates.has(entryPath)) throw this.#listedTwice(entryPath);
      out.push({ path: entryPath, size: entry.uncompressedSize, compressedSize: entry.compressedSize, crc32: entry.crc32 });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Refuses an archive that would unpack to more than `maxTotalSize`, or (past
   * {@link RATIO_CHECK_FLOOR}) to more than `maxRatio` times its own size: a zip bomb made of
   * many entries that each stay under `maxEntrySize`.
   * @throws OgaError OGA_ARCHIVE naming the sizes and the option to raise.
   */
  checkLimits(limits: ArchiveLimits = {}): void {
    const maxTotal = limits.maxTotalSize ?? DEFAULT_MAX_TOTAL_SIZE;
    const maxRatio = limits.maxRatio ?? DEFAULT_MAX_RATIO;
    const declared = `declares ${this.declaredSize} bytes unpacked in ${this.#entries.size} entries`;
    if (this.declaredSize > maxTotal) {
      throw amplification(this.label, `${declared}, over the limit of ${maxTotal}`, "archives.maxTotalSize");
    }
    const ratio = this.declaredSize / Math.max(1, this.fileSize);
    if (this.declaredSize > RATIO_CHECK_FLOOR && ratio > maxRatio) {
      throw amplification(this.label, `${declared} from ${this.fileSize} zipped, ${Math.round(ratio)} times its size (the limit is ${maxRatio})`, "archives.maxRatio");
    }
  }

  #listedTwice(entryPath: string): OgaError {
    return new OgaError("OGA_ARCHIVE", `${this.label} is refused: it lists ${JSON.stringify(entryPath)} twice, so which one is meant is ambiguous.`);
  }
}

function amplification(label: string, what: string, option: string): OgaError {
  return new OgaError("OGA_ARCHIVE", `${label} is refused: it ${what} (a zip bomb?). Nothing was extracted; raise ${option} if the pack is genuine.`);
}

/** Directories read in this process, by zip path (blob paths are content-addressed); a few, most recent last. */
const directories = new Map<string, Promise<ArchiveDirectory>>();
const REMEMBERED_DIRECTORIES = 16;

/**
 * The central directory of the zip at `file`, read once per process: one open, one pass over
 * the directory, whatever number of entries is later listed or extracted. Every entry is
 * checked on the way, so one absolute, `..`, NUL or symlink entry refuses the whole archive
 * with OGA_ARCHIVE, as does a damaged directory. A failure is not remembered.
 */
export function readArchiveDirectory(file: string, label: string): Promise<ArchiveDirectory> {
  let directory = directories.get(file);
  if (directory) {
    // Most recently used last, so the oldest is the one forgotten.
    directories.delete(file);
    directories.set(file, directory);
    return directory;
  }
  directory = readDirectoryNow(file, label);
  directories.set(file, directory);
  directory.catch(() => forgetArchiveDirectory(file));
  while (directories.size > REMEMBERED_DIRECTORIES) directories.delete(directories.keys().next().value!);
  return directory;
}

/** Drops a remembered directory (its zip turned out damaged, so the next reader starts afresh). */
export function forgetArchiveDirectory(file: string): void {
  directories.delete(file);
}

async function readDirectoryNow(file: string, label: string): Promise<ArchiveDirectory> {
  const zip = await openArchive(file, label);
  try {
    const entries: { path: string; entry: yauzl.Entry }[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        const name = entryName(entry);
        const entryPath = checkedEntryPath(name, label, entry);
        if (name.endsWith("/") || entryPath === "") continue;
        entries.push({ path: entryPath, entry });
      }
    } catch (error) {
      throw corruptArchive(label, error, file);
    }
    return new ArchiveDirectory(file, label, zip.fileSize, entries);
  } finally {
    zip.close();
  }
}

/**
 * Lists the files of a zip archive, sorted by path, checking every entry first: one absolute,
 * `..` or symlink entry, a path listed twice, an archive over its limits or a damaged directory
 * fails the whole archive with OGA_ARCHIVE. Only the central directory is read, once per process.
 */
export async function listArchive(file: string, options: ListArchiveOptions = {}): Promise<ArchiveEntry[]> {
  const directory = await readArchiveDirectory(file, options.label ?? file);
  directory.checkLimits(options);
  return directory.list(options.includeJunk);
}
