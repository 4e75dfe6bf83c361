// Shared fixtures for the store tests: a fresh cache directory per test and a loopback server.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { Cache, type CacheOptions } from "../../src/store/cache.js";

/** A new empty directory under the OS temp dir, and a function to remove it. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "oga-store-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh temp directory for each test of the file (or describe block), removed after it, or with
 * scope "file" one for all of them. Call at the top level; `temp.dir` is the current directory.
 */
export function useTempDir(scope: "test" | "file" = "test"): { readonly dir: string } {
  const [before, after] = scope === "file" ? [beforeAll, afterAll] : [beforeEach, afterEach];
  let current: Awaited<ReturnType<typeof tempDir>> | undefined;
  before(async () => {
    current = await tempDir();
  });
  after(async () => {
    await current?.remove();
    current = undefined;
  });
  return {
    get dir() {
      if (!current) throw new Error("the temp dir is used outside a test");
      return current.dir;
    },
  };
}

/** Opens a cache in a fresh temp dir. */
export async function tempCache(options?: CacheOptions): Promise<{ cache: Cache; remove: () => Promise<void> }> {
  const { dir, remove } = await tempDir();
  return { cache: await Cache.open(path.join(dir, "cache"), options), remove };
}

/** Random bytes, so every test's content (and hash) is its own. */
export function bytes(size: number): Buffer {
  return randomBytes(size);
}
