/**
 * Extracting single entries of a zip archive into the content-addressed cache.
 *
 * An extracted entry becomes an ordinary blob, `<cache>/files/<entry sha256>/<entry basename>`,
 * so it gets everything blobs have: atomic creation (temp in `<cache>/tmp` + rename), stamp
 * checks that notice edits, a basename bundlers derive MIME types and emitted names from, and
 * no entry path ever used as a file system path (zip-slip cannot write anywhere by construction).
 * What was extracted is remembered per archive, keyed by the archive's own sha256, in batch
 * records under `<cache>/archives/<archive sha256>/` (extraction-index.ts).
 */
import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32 } from "node:zlib";
import pLimit from "p-limit";
import type yauzl from "yauzl";
import { OgaError } from "../errors.js";
import { DEFAULT_MAX_ENTRY_SIZE } from "./archive-limits.js";
import { corruptArchive, forgetArchiveDirectory, openArchive, readArchiveDirectory, type ArchiveLimits } from "./archive.js";
import type { Cache } from "./cache.js";
import { cacheIoError, isSystemError } from "./cache-errors.js";
import { extractionIndex } from "./extraction-index.js";
import { isSha256 } from "./fs-utils.js";

/** An archive in the cache: its blob path, its sha256 (the extraction key) and its name for messages. */
export interface CachedArchive {
  path: string;
  sha256: string;
  label: string;
}

/** An entry extracted into the cache. */
export interface ExtractedEntry {
  /** Path inside the archive. */
  entry: string;
  /** Absolute blob path; its basename is the entry's basename. */
  path: string;
  sha256: string;
  size: number;
  /** False when an earlier extraction was reused (no inflating at all). */
  extracted: boolean;
}

/** Options of {@link extractEntry}. */
export interface ExtractEntryOptions extends ArchiveLimits {
  /** OGA_ARCHIVE when an entry declares or inflates to more bytes than this (zip bombs). Default 1 GiB. */
  maxEntrySize?: number;
}

const inFlight = new Map<string, Promise<ExtractedEntry>>();

/**
 * Entries worked on at once in this process, across every archive: each holds at most a temp
 * file and a zip open, so a `**` glob over thousands of entries stays far below any open-file
 * limit (macOS allows 256) while two cores are kept busy inflating and hashing.
 */
const EXTRACTION_SLOTS = 8;
const extractionSlots = pLimit(EXTRACTION_SLOTS);

/** The last path segment, which names the blob (and so the emitted file and its MIME type). */
export function entryBaseName(entryPath: string): string {
  return entryPath.slice(entryPath.lastIndexOf("/") + 1);
}

/**
 * Makes one entry of a cached archive available as a blob. Reuses an earlier extraction when its
 * blob is still intact; otherwise inflates just that entry, verifying size, CRC-32 and the size
 * limit while streaming. The archive's central directory is read once per process however many
 * entries are taken from it, and its limits (`maxTotalSize`, `maxRatio`) are checked before
 * anything is inflated. Concurrent calls for the same entry share one extraction; at most a few
 * entries are worked on at once, with one open zip per archive.
 *
 * @throws OgaError OGA_NO_FILE when the archive has no such entry, OGA_ARCHIVE when it is hostile,
 * damaged or over a limit, OGA_CACHE when the disk fails. Nothing but temp files (removed) is
 * written then.
 */
export function extractEntry(cache: Cache, archive: CachedArchive, entryPath: string, options: ExtractEntryOptions = {}): Promise<ExtractedEntry> {
  const key = JSON.stringify([cache.dir, archive.sha256, entryPath, options.maxEntrySize ?? null, options.maxTotalSize ?? null, options.maxRatio ?? null]);
  let job = inFlight.get(key);
  if (!job) {
    job = extractionSlots(() => reuseOrExtract(cache, archive, entryPath, options));
    inFlight.set(key, job);
    const drop = () => inFlight.delete(key);
    job.then(drop, drop);
  }
  return job;
}

async function reuseOrExtract(cache: Cache, archive: CachedArchive, entryPath: string, options: ExtractEntryOptions): Promise<ExtractedEntry> {
  if (!isSha256(archive.sha256)) throw new OgaError("OGA_BAD_INPUT", `Not a sha256 digest: ${JSON.stringify(archive.sha256)}.`);
  const index = extractionIndex(cache, archive.sha256);
  const known = await index.lookup(entryPath);
  const name = entryBaseName(entryPath);
  // A limit lowered since that extraction holds for it too, without opening the zip.
  const limit = options.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE;
  if (known && known.size > limit) throw overLimit(archive.label, entryPath, `is ${known.size} bytes, over the limit of ${limit}`);
  if (known && (await cache.checkBlob(known.sha256, name)) === "ok") {
    return { entry: entryPath, path: cache.blobPath(known.sha256, name), sha256: known.sha256, size: known.size, extracted: false };
  }
  const directory = await readArchiveDirectory(archive.path, archive.label);
  directory.checkLimits(options);
  const entry = directory.entry(entryPath);
  if (!entry) throw new OgaError("OGA_NO_FILE", `${archive.label} has no entry ${JSON.stringify(entryPath)}.`);
  const extracted = await withOpenArchive(archive, (zip) => inflateEntry(cache, archive, zip, entry, entryPath, options));
  index.remember(entryPath, { sha256: extracted.sha256, size: extracted.size });
  return extracted;
}

/** Zips open for extraction, shared by the entries being extracted from them at the moment. */
const openArchives = new Map<string, { zip: Promise<yauzl.ZipFile>; users: number }>();

/** Runs `use` with the archive open: one file handle per archive for every entry extracted at once, closed when the last is done. */
async function withOpenArchive<T>(archive: CachedArchive, use: (zip: yauzl.ZipFile) => Promise<T>): Promise<T> {
  let held = openArchives.get(archive.path);
  if (!held) {
    held = { zip: openArchive(archive.path, archive.label), users: 0 };
    openArchives.set(archive.path, held);
  }
  held.users++;
  try {
    return await use(await held.zip);
  } finally {
    if (--held.users === 0) {
      openArchives.delete(archive.path);
      held.zip.then((zip) => zip.close(), () => undefined);
    }
  }
}

async function inflateEntry(
  cache: Cache,
  archive: CachedArchive,
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  entryPath: string,
  options: ExtractEntryOptions,
): Promise<ExtractedEntry> {
  const { label } = archive;
  const limit = options.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE;
  if (entry.isEncrypted()) throw new OgaError("OGA_ARCHIVE", `${label}: entry ${JSON.stringify(entryPath)} is encrypted; encrypted packs are not supported.`);
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new OgaError("OGA_ARCHIVE", `${label}: entry ${JSON.stringify(entryPath)} uses compression method ${entry.compressionMethod}; only stored and deflated entries are supported.`);
  }
  if (entry.uncompressedSize > limit) throw overLimit(label, entryPath, `declares ${entry.uncompressedSize} bytes, over the limit of ${limit}`);

  const hash = createHash("sha256");
  let crc = 0;
  let size = 0;
  // yauzl counts what the entry inflates to (YAUZL_OPTIONS.validateEntrySizes) and fails the
  // stream before passing on a byte past the declared size, which is within the limit (checked
  // above): a bomb that lies about its size stops there, not at the disk's end. One that inflates
  // to less fails when it ends.
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      hash.update(chunk);
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
  });
  const temp = await cache.createTemp("entry");
  try {
    const stream = await zip.openReadStreamPromise(entry);
    await pipeline(stream, tap, temp.handle.createWriteStream());
    if (crc >>> 0 !== entry.crc32) throw new OgaError("OGA_ARCHIVE", `${label}: entry ${JSON.stringify(entryPath)} fails its CRC-32 check; the archive is damaged.`);
  } catch (error) {
    await temp.handle.close().catch(() => undefined);
    await rm(temp.path, { force: true });
    // yauzl's size check (above) refusing an entry that inflates past what it declares.
    if (/too many bytes/.test((error as Error | null)?.message ?? "")) {
      throw overLimit(label, entryPath, `inflates to more than the ${entry.uncompressedSize} bytes it declares`);
    }
    // Reading the zip or writing the temp file failed on this machine: the zip is not to blame.
    if (isSystemError(error)) throw cacheIoError(error, temp.path, `extract ${JSON.stringify(entryPath)} of ${label} into`, cache.dir);
    forgetArchiveDirectory(archive.path);
    throw corruptArchive(label, error, archive.path);
  }
  const sha256 = hash.digest("hex");
  const blob = await cache.commitBlob(temp.path, sha256, entryBaseName(entryPath));
  return { entry: entryPath, path: blob, sha256, size, extracted: true };
}

function overLimit(label: string, entryPath: string, what: string): OgaError {
  return new OgaError(
    "OGA_ARCHIVE",
    `${label}: entry ${JSON.stringify(entryPath)} ${what} (a zip bomb?). Nothing was extracted; raise archives.maxEntrySize if the pack is genuine.`,
  );
}
