import { statSync, type Stats } from "node:fs";
import { lstat, mkdir, open, readdir, rm, stat, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { OgaError } from "../errors.js";
import type { Asset } from "../site/types.js";
import { cacheIoError, ignoreReadOnly, isReadOnlyError } from "./cache-errors.js";
import { blobFileName, blobPathIn } from "./file-name.js";
import {
  hashFile,
  isNotFound,
  isSha256,
  readJsonOrUndefined,
  readSmallJsonOrUndefined,
  renameReplacing,
  sha256Hex,
  tempPath,
  tempWriterIsGone,
  writeJsonAtomic,
} from "./fs-utils.js";
import { stampDropped, stampKey, stampVouched, trustedStamp, type BlobStamp } from "./stamp-sets.js";
import { isEntryRecord, toEntry, UrlIndex, type IndexEntry } from "./url-index.js";

export type { IndexEntry } from "./url-index.js";

/** `ok`: the blob exists and hashes to its name; `missing`: no file; `modified`: other bytes. */
export type BlobState = "ok" | "missing" | "modified";

/** Tuning knobs; the defaults are right outside tests. */
export interface CacheOptions {
  /** Temp files older than this (by mtime) are swept by {@link Cache.open}. Default one hour. */
  staleTempMs?: number;
  /**
   * A verified stamp is only recorded once the blob's ctime/mtime are at least this much older
   * than the moment we looked at it. Default 2000 ms, coarser than any file system's timestamps; 0 records every stamp.
   */
  racyWindowMs?: number;
}

/** Bump when a stamp's shape changes; stamps of another version are ignored. */
const FORMAT = 1;
/** Page descriptions: 2 keys them by the id asked for and holds previews, collaborators and deeds. */
const DESCRIPTION_FORMAT = 2;
const HOUR = 60 * 60 * 1000;

/** A blob's stamp file: {@link BlobStamp} and its format. */
interface StampRecord extends BlobStamp {
  format: number;
}

/**
 * The content-addressed store shared by every project of a user:
 *
 * - `files/<sha256>/<name>`: blobs, named after their content hash; the original file name is
 *   the basename so bundlers derive MIME types and emitted names from it. Blobs are only ever
 *   created by renaming a fully downloaded and verified temp file into place, so a blob path
 *   never holds a half file; two processes racing to store the same blob write the same bytes.
 * - `journal/<time>-<host>-<pid>-<random>.jsonl`: the {@link IndexEntry} of each file URL,
 *   appended by the process that stored it, one journal per process: no read-merge-write, no
 *   lock, and no file created per entry; last writer wins, and a torn or garbage line reads as
 *   absent ({@link UrlIndex}).
 * - `index/<sha256(url)>.json`: one entry per file URL, as caches made before the journals
 *   hold them; still read for URLs no journal knows, never written.
 * - `pages/<sha256(pageUrl)>.json`: parsed asset pages, for offline builds.
 * - `stamps/<sha256(sha256/name)>.json`: when a blob was last verified (see {@link checkBlob}).
 * - `stamps/sets/<sha256(lockfile path, environment)>.json`: the stamps a project's last build used, in one
 *   record (see `stamp-sets.ts`).
 * - `tmp/`: temp files, on the same file system so renames are atomic; `kill -9` can only ever
 *   leave files here, and {@link open} sweeps them: at once when their writer (named in the file
 *   name) is a process of this host that no longer exists, else once untouched for an hour.
 */
export class Cache {
  /** Absolute cache directory. */
  readonly dir: string;
  private readonly tmpDir: string;
  private readonly racyWindowMs: number;
  private readonly index: UrlIndex;

  private constructor(dir: string, options: CacheOptions) {
    this.dir = dir;
    this.tmpDir = path.join(dir, "tmp");
    this.racyWindowMs = options.racyWindowMs ?? 2000;
    this.index = new UrlIndex(dir, path.join(dir, "journal"), path.join(dir, "index"), this.tmpDir);
  }

  /**
   * Creates the directory layout if needed and sweeps temp files left by killed processes. A
   * cache this process may not write (a restored CI cache, a shared read-only one) opens all the
   * same: reading never needs a write, and a download then fails with `OGA_CACHE` saying so.
   */
  static async open(dir: string, options: CacheOptions = {}): Promise<Cache> {
    const cache = new Cache(path.resolve(dir), options);
    await cache.createLayout();
    await cache.sweepTemp(options.staleTempMs ?? HOUR);
    return cache;
  }

  private async createLayout(): Promise<void> {
    for (const sub of ["files", "journal", "pages", "stamps", "tmp"]) {
      const target = path.join(this.dir, sub);
      try {
        await mkdir(target, { recursive: true });
      } catch (error) {
        // A read-only cache without, say, `pages/` is still a cache to read blobs from.
        if (!isReadOnlyError(error)) throw cacheIoError(error, target, "create", this.dir);
      }
    }
  }

  /**
   * `<dir>/files/<sha256>/<name>`, with `name` made safe by {@link blobFileName} so it can never
   * leave its directory and a bundler can import it. Throws OGA_BAD_INPUT for a malformed hash or
   * an unusable name.
   */
  blobPath(sha256: string, name: string): string {
    if (!isSha256(sha256)) {
      throw new OgaError("OGA_BAD_INPUT", `Not a sha256 digest: ${JSON.stringify(sha256)} (expected 64 lower-case hex digits).`);
    }
    return blobPathIn(this.dir, sha256, name);
  }

  /**
   * Whether the blob is there with exactly the bytes its hash names.
   *
   * With `full`, the file is re-hashed. Without it, a stamp recorded the last time the hash was
   * verified is trusted when the file's size, mtime, ctime and inode are all unchanged; otherwise
   * the file is re-hashed (and the stamp renewed when it matches). Guarantee: any change to the
   * bytes through the file system (an edit, a truncation, a replacement, a restore from backup)
   * changes the ctime or the inode, which user programs cannot set back, so it is detected. What
   * is not detected without `full`: corruption below the file system (bad disk, raw device
   * writes) or a system clock set back exactly to the old ctime. Like Git's "racy clean" rule, a
   * stamp is only recorded once the file's timestamps are older than the file system's
   * timestamp granularity, so a write in the same clock tick as the verification cannot hide.
   */
  async checkBlob(sha256: string, name: string, options: { full?: boolean } = {}): Promise<BlobState> {
    const file = this.blobPath(sha256, name);
    const statTime = Date.now();
    const stats = this.statBlob(file);
    if (stats === "missing" || stats === "modified") return stats;
    if (!options.full && this.vouches(sha256, file, stats)) return "ok";
    let actual: string;
    try {
      actual = await this.hashBlob(file);
    } catch (error) {
      if (isNotFound(error)) return "missing"; // removed while we were hashing
      // Not "missing": that would send the build to download the file again, and the next
      // attempt would meet the same disk. EMFILE, EIO … name the blob and what to do.
      throw cacheIoError(error, file, "read", this.dir);
    }
    if (actual !== sha256) {
      await this.dropStamp(sha256, name);
      return "modified";
    }
    // The stats are from before the hash: a write during hashing changes them, so the stamp
    // recorded here would simply not match next time.
    await this.recordStamp(sha256, name, stats, statTime);
    return "ok";
  }

  /**
   * True when the blob is there and its stamp vouches for it: {@link checkBlob}'s answer without
   * ever hashing (a stat, and a small read unless an open stamp set holds the stamp). `false`
   * means "not known to be ok": ask `checkBlob`. A warm build asks this for every file, so both
   * calls are synchronous: ~15 µs together, where each trip through the thread pool costs more
   * than the call itself.
   */
  async isStamped(sha256: string, name: string): Promise<boolean> {
    return (await this.stampedBlobPath(sha256, name)) !== undefined;
  }

  /** {@link isStamped}, answering with the blob's path (`undefined`: not known to be ok). */
  async stampedBlobPath(sha256: string, name: string): Promise<string | undefined> {
    const file = this.blobPath(sha256, name);
    const stats = this.statBlob(file);
    return typeof stats === "object" && this.vouches(sha256, file, stats) ? file : undefined;
  }

  /**
   * Whether a stamp matches every stat field of the blob: one an open stamp set holds (no read),
   * else the blob's stamp file. Either way, open sets learn the stamp that vouched. `file` is the
   * blob's path, whose basename is its safe name (cheaper to take than to compute again).
   */
  private vouches(sha256: string, file: string, stats: Stats): boolean {
    const key = stampKey(sha256, path.basename(file));
    const trusted = trustedStamp(this.dir, key);
    if (trusted && stampMatches(trusted, stats)) {
      stampVouched(this.dir, key, trusted);
      return true;
    }
    const record = this.readRecord(this.stampPathOf(key));
    if (!isStampRecord(record) || !stampMatches(record, stats)) return false;
    stampVouched(this.dir, key, stampOf(stats));
    return true;
  }

  /**
   * The index entry for a file URL, or `undefined` when absent or unreadable. The journals are
   * read on the first call; entries other processes store after that are seen by the next
   * {@link open} (see {@link UrlIndex}).
   */
  async readEntry(url: string): Promise<IndexEntry | undefined> {
    return this.index.get(url);
  }

  /**
   * Replaces the index entry for `entry.url` atomically (a line appended to this cache's journal).
   *
   * @throws OgaError `OGA_CACHE` naming the journal and the system error.
   */
  async writeEntry(entry: IndexEntry): Promise<void> {
    const clean = toEntry(entry);
    if (!isEntryRecord({ ...clean, format: 1 })) {
      throw new OgaError("OGA_BAD_INPUT", `Invalid index entry for ${entry.url}.`);
    }
    this.index.append(clean);
  }

  /**
   * The asset description cached under `key` (the canonical page URL of the id that was asked
   * for), or `undefined` when absent or unreadable.
   */
  async readDescription(key: string): Promise<{ asset: Asset; fetchedAt: string } | undefined> {
    const file = this.descriptionPath(key);
    const record = await readJsonOrUndefined(file).catch((error: unknown) => {
      throw cacheIoError(error, file, "read", this.dir);
    });
    if (!isDescriptionRecord(record) || record.key !== key) return undefined;
    return { asset: record.asset, fetchedAt: record.fetchedAt };
  }

  /**
   * Stores an asset description under `key`, stamped with the current time. The key is what was
   * asked for, never what the page says it is: a page naming another asset in its og:url must
   * not overwrite that asset's description. On a cache this process may not write, nothing is
   * stored: descriptions only serve offline work later.
   */
  async writeDescription(key: string, asset: Asset): Promise<void> {
    const record = { format: DESCRIPTION_FORMAT, key, fetchedAt: new Date().toISOString(), asset };
    await this.writeRecord(this.descriptionPath(key), record).catch(ignoreReadOnly);
  }

  /** A fresh temp file path in `<dir>/tmp` (nothing is created). */
  tempPath(label = "part"): string {
    return tempPath(this.tmpDir, label);
  }

  /**
   * Creates a fresh, empty temp file in `<dir>/tmp` for writing, recreating `tmp/` when it was
   * removed while the cache was open (`rm -rf ~/.cache/oga` beside a running dev server).
   *
   * @throws OgaError `OGA_CACHE` naming the path and the system error (read-only cache, disk full …).
   */
  async createTemp(label: string): Promise<{ path: string; handle: FileHandle }> {
    const file = this.tempPath(label);
    try {
      return { path: file, handle: await this.repairing(() => open(file, "wx"), [this.tmpDir]) };
    } catch (error) {
      throw cacheIoError(error, file, "create", this.dir);
    }
  }

  /**
   * Writes a JSON record at `file` (inside this cache) atomically, recreating its directory and
   * `tmp/` when they were removed.
   *
   * @throws OgaError `OGA_CACHE` naming the path and the system error.
   */
  async writeRecord(file: string, value: unknown): Promise<void> {
    try {
      await this.repairing(() => writeJsonAtomic(this.tmpDir, file, value), [this.tmpDir, path.dirname(file)]);
    } catch (error) {
      throw cacheIoError(error, file, "write", this.dir);
    }
  }

  /** Runs `operation`; when it fails because a directory is gone, recreates `dirs` and runs it once more. */
  private async repairing<T>(operation: () => Promise<T>, dirs: readonly string[]): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      for (const dir of dirs) await mkdir(dir, { recursive: true });
      return operation();
    }
  }

  /**
   * Moves a verified temp file into place as the blob for `sha256`/`name` and records it as
   * verified. The caller must have hashed exactly these bytes. Losing a race against another
   * process storing the same blob is fine: the content is identical by construction.
   */
  async commitBlob(tempFile: string, sha256: string, name: string): Promise<string> {
    const target = this.blobPath(sha256, name);
    const renameStart = Date.now();
    let created: string | undefined;
    try {
      created = await mkdir(path.dirname(target), { recursive: true });
      try {
        await renameReplacing(tempFile, target);
      } catch (error) {
        // Something that is not a file sits at the blob path (checkBlob calls it "modified"):
        // damage to repair, as a damaged file is repaired by being replaced.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "EISDIR" && code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
        await rm(target, { recursive: true, force: true });
        await renameReplacing(tempFile, target);
      }
    } catch (error) {
      // The error to report is the one that stopped the move: a temp file that cannot be removed
      // is swept by the next open, and a failure to check the blob below says nothing new.
      await rm(tempFile, { force: true }).catch(() => undefined);
      // Windows refuses to replace a blob another process holds open; if that blob is
      // already right there is nothing left to do.
      if ((await this.checkBlob(sha256, name, { full: true }).catch(() => undefined)) === "ok") return target;
      throw cacheIoError(error, target, "move into place", this.dir);
    }
    const statTime = Date.now();
    // The rename set the blob's ctime, so for a racy window after it recordStamp would only drop
    // the stamp: skip the stat (one syscall per download). Never records a stamp it would not.
    // A blob whose directory did not exist has no stamp to drop worth a syscall: a leftover
    // stamp of an earlier blob names another inode and ctime, so it can never match this one.
    if (statTime - renameStart < this.racyWindowMs) {
      if (created === undefined) await this.dropStamp(sha256, name);
      return target;
    }
    let stats: Stats;
    try {
      stats = await stat(target);
    } catch (error) {
      throw cacheIoError(error, target, "read", this.dir);
    }
    await this.recordStamp(sha256, name, stats, statTime);
    return target;
  }

  /** Synchronous, as {@link isStamped} explains. */
  private statBlob(file: string): Stats | "missing" | "modified" {
    let stats: Stats;
    try {
      stats = statSync(file);
    } catch (error) {
      if (isNotFound(error)) return "missing";
      throw cacheIoError(error, file, "read", this.dir);
    }
    return stats.isFile() ? stats : "modified";
  }

  /**
   * A small record (an index entry, a stamp), or `undefined` when absent or garbage. What the
   * file system refuses (a directory in its place, no file descriptor left) is `OGA_CACHE`
   * naming the record: reading it as absent would only move the failure to its next write.
   */
  private readRecord(file: string): unknown {
    try {
      return readSmallJsonOrUndefined(file);
    } catch (error) {
      throw cacheIoError(error, file, "read", this.dir);
    }
  }

  /** Hashes a blob; a separate method so tests can observe when the cache re-hashes. */
  protected hashBlob(file: string): Promise<string> {
    return hashFile(file);
  }

  private descriptionPath(pageUrl: string): string {
    return path.join(this.dir, "pages", `${sha256Hex(pageUrl)}.json`);
  }

  private stampPath(sha256: string, name: string): string {
    return this.stampPathOf(stampKey(sha256, blobFileName(name)));
  }

  private stampPathOf(key: string): string {
    return path.join(this.dir, "stamps", `${sha256Hex(key)}.json`);
  }

  /** Removes the blob's stamp, if any (one unlink; `rm` would lstat first), and takes it from open stamp sets. */
  private async dropStamp(sha256: string, name: string): Promise<void> {
    stampDropped(this.dir, stampKey(sha256, blobFileName(name)));
    try {
      await unlink(this.stampPath(sha256, name));
    } catch (error) {
      // A stamp that cannot be removed from a read-only cache cannot mislead either: stamps are
      // only trusted while the blob's stat fields match, and nothing here can change the blob.
      if (!isNotFound(error) && !isReadOnlyError(error)) throw cacheIoError(error, this.stampPath(sha256, name), "remove", this.dir);
    }
  }

  private async recordStamp(sha256: string, name: string, stats: Stats, statTime: number): Promise<void> {
    const stampFile = this.stampPath(sha256, name);
    // A file written in the same timestamp tick as our stat could change again without its
    // timestamps moving; such a "racy" file gets no stamp and is hashed again next time.
    // A window of 0 means none: `statTime` is whole milliseconds and file times are finer (or from
    // a coarser kernel clock), so a blob stamped in the millisecond it was written would look racy.
    const newest = Math.max(stats.ctimeMs, stats.mtimeMs);
    if (this.racyWindowMs > 0 && statTime - newest < this.racyWindowMs) {
      await this.dropStamp(sha256, name);
      return;
    }
    const stamp: StampRecord = { format: FORMAT, ...stampOf(stats) };
    stampVouched(this.dir, stampKey(sha256, blobFileName(name)), stampOf(stats));
    // A stamp only saves re-hashing next time: a cache this process may not write is simply
    // re-hashed on each run (a restored CI cache has new inodes and ctimes anyway).
    await this.writeRecord(stampFile, stamp).catch(ignoreReadOnly);
  }

  private async sweepTemp(staleMs: number): Promise<void> {
    // A temp file whose writer process no longer exists (killed with SIGKILL, a crash) is
    // abandoned at once. Otherwise by mtime, not by creation: a download in progress in another
    // process (or on another host sharing the cache) keeps writing to its temp file, so only
    // files nobody touched for a long time are abandoned.
    const now = Date.now();
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch (error) {
      if (isNotFound(error) || isReadOnlyError(error)) return;
      throw cacheIoError(error, this.tmpDir, "read", this.dir);
    }
    for (const name of names) {
      const file = path.join(this.tmpDir, name);
      try {
        if (tempWriterIsGone(name) || now - (await lstat(file)).mtimeMs > staleMs) await rm(file, { recursive: true, force: true });
      } catch (error) {
        // Gone: another process swept it first. Read-only: someone else's cache to sweep.
        if (!isNotFound(error) && !isReadOnlyError(error)) throw cacheIoError(error, file, "remove", this.dir);
      }
    }
  }
}

function isStampRecord(record: unknown): record is StampRecord {
  return typeof record === "object" && record !== null && (record as Partial<StampRecord>).format === FORMAT;
}

function stampMatches(stamp: Partial<BlobStamp>, stats: Stats): boolean {
  return stamp.size === stats.size && stamp.mtimeMs === stats.mtimeMs && stamp.ctimeMs === stats.ctimeMs && stamp.ino === stats.ino;
}

function stampOf(stats: Stats): BlobStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
}

function isDescriptionRecord(value: unknown): value is { format: number; key: string; fetchedAt: string; asset: Asset } {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  if (r.format !== DESCRIPTION_FORMAT || typeof r.key !== "string" || typeof r.fetchedAt !== "string") return false;
  const asset = r.asset as Record<string, unknown> | null;
  // We wrote this record ourselves; check the fields callers index into so a damaged record
  // reads as "not cached" instead of crashing a build later.
  return (
    typeof asset === "object" &&
    asset !== null &&
    typeof asset.id === "string" &&
    typeof asset.pageUrl === "string" &&
    typeof asset.title === "string" &&
    Array.isArray(asset.licenses) &&
    Array.isArray(asset.collaborators) &&
    Array.isArray(asset.previews) &&
    asset.previews.every((p: unknown) => typeof p === "object" && p !== null) &&
    Array.isArray(asset.files) &&
    asset.files.every(
      (f: unknown) =>
        typeof f === "object" && f !== null && typeof (f as Record<string, unknown>).name === "string" &&
        typeof (f as Record<string, unknown>).url === "string",
    )
  );
}
