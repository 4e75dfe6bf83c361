/**
 * Shared pieces of the fault matrix: the cache invariant every row ends with, a client tuned so
 * retries and timeouts take milliseconds instead of seconds, and small conveniences.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { createClient, type ClientOptions, type OgaClient } from "../../src/client.js";
import { isOgaError, type OgaErrorCode } from "../../src/errors.js";
import { Cache } from "../../src/store/cache.js";
import { safeFileName } from "../../src/store/file-name.js";
import { readLockfile } from "../../src/store/lockfile.js";
import { encodePath, type Replica } from "../replica/index.js";

export const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
}

/**
 * The promise the cache makes whatever happened before: every blob hashes to its directory
 * name (so a path the bundler is given is never a partial or foreign file), no temp file is
 * left in `tmp/`, and every index entry (journal line or record) either names a blob that is there with its recorded
 * size, or is one the cache ignores (unreadable JSON, another format). A missing cache dir is
 * valid too (nothing was ever stored).
 */
export async function expectCacheValid(cacheDir: string): Promise<void> {
  const files = path.join(cacheDir, "files");
  for (const digest of await entries(files)) {
    expect(digest, `a blob directory is named by a sha256: ${digest}`).toMatch(/^[0-9a-f]{64}$/);
    for (const name of await entries(path.join(files, digest))) {
      expect(await hashFile(path.join(files, digest, name)), `files/${digest}/${name} holds exactly those bytes`).toBe(digest);
    }
  }
  expect(await entries(path.join(cacheDir, "tmp")), "no temp file is left behind").toEqual([]);

  const cache = await Cache.open(cacheDir);
  // The URLs the index names: in its journals (a line each) and in the records of earlier versions.
  const texts: string[] = [];
  for (const journal of await entries(path.join(cacheDir, "journal"))) texts.push(...(await readFile(path.join(cacheDir, "journal", journal), "utf8")).split("\n"));
  for (const record of await entries(path.join(cacheDir, "index"))) texts.push(await readFile(path.join(cacheDir, "index", record), "utf8"));
  for (const raw of texts) {
    let url: unknown;
    try {
      url = (JSON.parse(raw) as { url?: unknown }).url;
    } catch {
      continue; // garbage (or a torn last line) reads as "not cached": ignorable
    }
    if (typeof url !== "string") continue;
    const entry = await cache.readEntry(url);
    if (!entry) continue; // a record the cache does not accept: ignorable
    const blob = path.join(files, entry.sha256, safeFileName(entry.name));
    const size = await stat(blob).then((s) => s.size, () => null);
    expect(size, `index entry for ${url} names a blob that is there`).toBe(entry.size);
  }
}

/** The lockfile parses, and every pinned hash is a sha256 (a torn write would fail to parse). */
export async function expectLockfileValid(lockfile: string): Promise<void> {
  const lock = await readLockfile(lockfile);
  for (const asset of Object.values(lock.assets)) {
    for (const file of Object.values(asset.files)) {
      if (file.sha256 !== undefined) expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  }
}

/**
 * Client options for the matrix: retries wait 10 ms (doubling) instead of 500 ms, and a silent
 * server is given up on after half a second instead of 30.
 */
export const FAST: ClientOptions = { retries: 3, retryDelaySeconds: 0.01, timeoutSeconds: 0.5 };

export function fastClient(replica: Replica, cacheDir: string, extra: ClientOptions = {}): OgaClient {
  return createClient({ url: replica.url, cacheDir, concurrency: 2, ...FAST, ...extra });
}

/** A fresh directory under the OS temp dir. */
export async function tempDir(prefix = "oga-faults-"): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** URL path of a stored replica file, as its asset page links it. */
export function filePath(stored: string): string {
  return `/sites/default/files/${encodePath(stored)}`;
}

/** The bytes the replica serves for a stored file. */
export async function servedBytes(replica: Replica, slug: string, name: string): Promise<Buffer> {
  const body = replica.catalogue.findFile(slug, name)?.open();
  if (body === undefined) throw new Error(`replica has no ${slug}/${name}`);
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The rejection of a promise that must fail (the test fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.unreachable("expected the operation to fail"),
    (error: unknown) => error as Error,
  );
}

/** Asserts an OgaError with `code` whose message names every one of `words`. */
export function expectOgaError(error: unknown, code: OgaErrorCode, ...words: string[]): void {
  expect(isOgaError(error) ? error.code : error).toBe(code);
  for (const word of words) expect((error as Error).message).toContain(word);
}
