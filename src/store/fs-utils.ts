import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Lower-case hex sha256 of a string, used to turn URLs into flat file names. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Whether `value` looks like a sha256 digest as this package writes them. */
export function isSha256(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}

/** Streams a file through sha256; memory stays flat whatever its size. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** This machine's name as it appears in temp file names (no `-`, so the name splits cleanly). */
const HOST = hostname().replace(/[^A-Za-z0-9.]/g, "_") || "host";

/**
 * A fresh, unique path inside `tmpDir`: `<time>-<host>-<pid>-<random>.<label>.tmp`. The host
 * and pid name the writer, so a later process can tell a temp file whose writer was killed
 * ({@link tempWriter}); the time helps a person reading a stuck tmp dir.
 */
export function tempPath(tmpDir: string, label: string): string {
  return path.join(tmpDir, `${Date.now()}-${HOST}-${process.pid}-${randomBytes(6).toString("hex")}.${label}.tmp`);
}

/**
 * Whether the process that created a temp file (named by {@link tempPath}) is certainly gone:
 * it was on this machine and no process with its pid exists. `false` when unsure (another
 * host sharing the cache, an older name format, a pid now reused), so callers fall back to age.
 */
export function tempWriterIsGone(fileName: string): boolean {
  const match = /^\d+-([^-]+)-(\d+)-[0-9a-f]+\./.exec(fileName);
  if (!match || match[1] !== HOST) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return false;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** True for the errors that mean "nothing there" (including a file where a directory was expected). */
export function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * Renames, retrying briefly on Windows where a reader holding the target open (an antivirus, a
 * second build) makes the replace fail with EPERM/EACCES/EBUSY for a moment. The rename itself is
 * synchronous: one metadata syscall of ~10 µs, where a trip through the thread pool costs more
 * CPU than the call (a cold download renames twice per file).
 */
export async function renameReplacing(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const transient = code === "EPERM" || code === "EACCES" || code === "EBUSY";
      if (!transient || process.platform !== "win32" || attempt >= 5) throw error;
      await sleep(20 * 2 ** attempt);
    }
  }
}

/**
 * Writes JSON so that readers, including other processes, see either the old file or the new
 * one, never a torn write: write a temp file in `tmpDir` (same file system), then rename. The
 * records are small (an index entry, a stamp, a page description), so the temp file is written
 * synchronously: the promise API's open, write and close would each cross the thread pool,
 * which costs more than writing a few hundred bytes (measured: about half the CPU per record).
 */
export async function writeJsonAtomic(tmpDir: string, target: string, value: unknown): Promise<void> {
  const temp = tempPath(tmpDir, "json");
  try {
    writeFileSync(temp, `${JSON.stringify(value)}\n`, { flag: "wx" });
    await renameReplacing(temp, target);
  } catch (error) {
    // What failed (a full disk, a directory at the target) is the error to report; a temp file
    // that cannot be removed either is swept by the next Cache.open.
    try {
      rmSync(temp, { force: true });
    } catch {
      // reported: `error`
    }
    throw error;
  }
}

/**
 * {@link writeJsonAtomic} for a record a module keeps in the cache at `cacheDir` by itself (outside
 * `Cache`): its temp file goes to the cache's `tmp/`, which `Cache.open` sweeps, and both folders
 * are created when missing.
 */
export async function writeCacheRecord(cacheDir: string, file: string, value: unknown): Promise<void> {
  const tmpDir = path.join(cacheDir, "tmp");
  mkdirSync(path.dirname(file), { recursive: true });
  mkdirSync(tmpDir, { recursive: true });
  await writeJsonAtomic(tmpDir, file, value);
}

/**
 * Reads a JSON file, returning `undefined` when it is absent or not valid JSON: every JSON file
 * in the cache is a re-creatable record, so garbage (a disk error, a hand edit) means "unknown".
 */
export async function readJsonOrUndefined(file: string): Promise<unknown> {
  try {
    return parseOrUndefined(await readFile(file, "utf8"));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * {@link readJsonOrUndefined} for a record of a few dozen bytes read once per file on every warm
 * build (a blob's stamp): one synchronous read costs ~10 µs, where the promise API's open, stat,
 * read and close each cross the thread pool (~80 µs a file, most of a warm build's own time).
 */
export function readSmallJsonOrUndefined(file: string): unknown {
  try {
    return parseOrUndefined(readFileSync(file, "utf8"));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
