/**
 * Extracting single entries of a zip archive into the content-addressed cache.
 *
 * An extracted entry becomes an ordinary blob, `<cache>/files/<entry sha256>/<entry basename>`,
 * so it gets everything blobs have: atomic creation (temp in `<cache>/tmp` + rename), stamp
 * checks that notice edits, a basename bundlers derive MIME types and emitted names from, and
 * no entry path ever used as a file system path (zip-slip cannot write anywhere by construction).
 * What was extracted is remembered per archive, keyed by the archive's own sha256:
 * `<cache>/archives/<archive sha256>/<sha256(entry path)>.json` → `{ path, sha256, size }`; one
 * small file per entry, like the URL index, so concurrent builds never need a lock.
 */
import { createHash } from "node:crypto";
import { mkdir, open, rm } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32 } from "node:zlib";
import { OgaError } from "../errors.js";
import { checkedEntryPath, corruptArchive, entryName, openArchive, readEntries } from "./archive.js";
import type { Cache } from "./cache.js";
import { isSha256, readJsonOrUndefined, sha256Hex, writeJsonAtomic } from "./fs-utils.js";

/** Largest entry extracted unless configured otherwise: far above any game asset, far below a disk. */
export const DEFAULT_MAX_ENTRY_SIZE = 1024 * 1024 * 1024;

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
export interface ExtractEntryOptions {
  /** OGA_ARCHIVE when an entry declares or inflates to more bytes than this (zip bombs). Default 1 GiB. */
  maxEntrySize?: number;
  signal?: AbortSignal;
}

const FORMAT = 1;
const inFlight = new Map<string, Promise<ExtractedEntry>>();

/** The last path segment, which names the blob (and so the emitted file and its MIME type). */
export function entryBaseName(entryPath: string): string {
  return entryPath.slice(entryPath.lastIndexOf("/") + 1);
}

/**
 * Makes one entry of a cached archive available as a blob. Reuses an earlier extraction when its
 * blob is still intact; otherwise inflates just that entry, verifying size, CRC-32 and the size
 * limit while streaming. Concurrent calls for the same entry share one extraction.
 *
 * @throws OgaError OGA_NO_FILE when the archive has no such entry, OGA_ARCHIVE when it is hostile,
 * damaged or the entry is over `maxEntrySize`. Nothing but temp files (removed) is written then.
 */
export function extractEntry(cache: Cache, archive: CachedArchive, entryPath: string, options: ExtractEntryOptions = {}): Promise<ExtractedEntry> {
  const key = JSON.stringify([cache.dir, archive.sha256, entryPath, options.maxEntrySize ?? null]);
  let job = inFlight.get(key);
  if (!job) {
    job = reuseOrExtract(cache, archive, entryPath, options);
    inFlight.set(key, job);
    const drop = () => inFlight.delete(key);
    job.then(drop, drop);
  }
  return job;
}

async function reuseOrExtract(cache: Cache, archive: CachedArchive, entryPath: string, options: ExtractEntryOptions): Promise<ExtractedEntry> {
  const record = recordPath(cache, archive.sha256, entryPath);
  const known = await readJsonOrUndefined(record);
  const name = entryBaseName(entryPath);
  if (isRecord(known, entryPath) && (await cache.checkBlob(known.sha256, name)) === "ok") {
    return { entry: entryPath, path: cache.blobPath(known.sha256, name), sha256: known.sha256, size: known.size, extracted: false };
  }
  const extracted = await inflateEntry(cache, archive, entryPath, options);
  await mkdir(path.dirname(record), { recursive: true });
  await writeJsonAtomic(path.join(cache.dir, "tmp"), record, { format: FORMAT, path: entryPath, sha256: extracted.sha256, size: extracted.size });
  return extracted;
}

function recordPath(cache: Cache, archiveSha256: string, entryPath: string): string {
  if (!isSha256(archiveSha256)) throw new OgaError("OGA_BAD_INPUT", `Not a sha256 digest: ${JSON.stringify(archiveSha256)}.`);
  return path.join(cache.dir, "archives", archiveSha256, `${sha256Hex(entryPath)}.json`);
}

function isRecord(value: unknown, entryPath: string): value is { sha256: string; size: number } {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return r.format === FORMAT && r.path === entryPath && isSha256(r.sha256) && typeof r.size === "number";
}

async function inflateEntry(cache: Cache, archive: CachedArchive, entryPath: string, options: ExtractEntryOptions): Promise<ExtractedEntry> {
  const { label } = archive;
  const limit = options.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE;
  const zip = await openArchive(archive.path, label);
  try {
    // Every entry is checked on the way, so a hostile archive is refused even when the entry
    // asked for comes before the hostile one.
    let found: import("yauzl").Entry | undefined;
    for await (const entry of readEntries(zip, label)) {
      const checked = checkedEntryPath(entryName(entry), label, entry);
      if (checked === entryPath && !entryName(entry).endsWith("/")) found ??= entry;
    }
    if (!found) throw new OgaError("OGA_NO_FILE", `${label} has no entry ${JSON.stringify(entryPath)}.`);
    const entry = found;
    if (entry.isEncrypted()) throw new OgaError("OGA_ARCHIVE", `${label}: entry ${JSON.stringify(entryPath)} is encrypted; encrypted packs are not supported.`);
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw new OgaError("OGA_ARCHIVE", `${label}: entry ${JSON.stringify(entryPath)} uses compression method ${entry.compressionMethod}; only stored and deflated entries are supported.`);
    }
    if (entry.uncompressedSize > limit) throw overLimit(label, entryPath, `declares ${entry.uncompressedSize} bytes, over the limit of ${limit}`);

    const temp = cache.tempPath("entry");
    const hash = createHash("sha256");
    let crc = 0;
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        // Counted as it inflates, so a bomb that lies about its size stops at the limit, not at the disk's.
        if (size > limit || size > entry.uncompressedSize) {
          callback(overLimit(label, entryPath, size > limit ? `inflates past the limit of ${limit} bytes` : `inflates to more than the ${entry.uncompressedSize} bytes it declares`));
          return;
        }
        hash.update(chunk);
        crc = crc32(chunk, crc);
        callback(null, chunk);
      },
    });
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(temp, "wx");
      const stream = await zip.openReadStreamPromise(entry);
      await pipeline(stream, tap, handle.createWriteStream(), ...(options.signal ? [{ signal: options.signal }] : []));
      if (size !== entry.uncompressedSize) throw new OgaError("OGA_ARCHIVE", `${label}: entry ${JSON.stringify(entryPath)} inflated to ${size} bytes but declares ${entry.uncompressedSize}; the archive is damaged.`);
      if (crc >>> 0 !== entry.crc32) throw new OgaError("OGA_ARCHIVE", `${label}: entry ${JSON.stringify(entryPath)} fails its CRC-32 check; the archive is damaged.`);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await rm(temp, { force: true });
      if (options.signal?.aborted) throw options.signal.reason;
      // yauzl's own size check fires before our tap when an entry inflates past what it declares.
      if (/too many bytes/.test((error as Error | null)?.message ?? "")) {
        throw overLimit(label, entryPath, `inflates to more than the ${entry.uncompressedSize} bytes it declares`);
      }
      throw corruptArchive(label, error);
    }
    const sha256 = hash.digest("hex");
    const blob = await cache.commitBlob(temp, sha256, entryBaseName(entryPath));
    return { entry: entryPath, path: blob, sha256, size, extracted: true };
  } finally {
    zip.close();
  }
}

function overLimit(label: string, entryPath: string, what: string): OgaError {
  return new OgaError(
    "OGA_ARCHIVE",
    `${label}: entry ${JSON.stringify(entryPath)} ${what} (a zip bomb?). Nothing was extracted; raise archives.maxEntrySize if the pack is genuine.`,
  );
}
