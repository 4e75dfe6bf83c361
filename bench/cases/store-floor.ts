/**
 * The store's own cost, without the network, in the same kind of child as client-fetch:
 *
 * - bookkeeping: what the store does per file beyond writing the body (which undici alone does
 *   too): look up the index entry, create the blob's folder, rename the temp file into it, drop a
 *   stale stamp, append the index entry to the process's journal, `parallel` files at once. Timed
 *   on temp files made beforehand, through the real Cache methods of the built package.
 * - sha256: how fast this CPU hashes, in the 64 KiB pieces a body arrives in.
 * - loading undici: the client loads its HTTP stack on the first request (a warm build never
 *   does), so that load falls inside the client's timed span; the undici-alone reference loads
 *   it before its timer.
 */
import { randomBytes, createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import type { Cache as CacheClass } from "../../src/store/cache.js";
import { importBuilt, readInput, reply } from "./protocol.js";

export interface StoreFloorInput {
  repoRoot: string;
  cacheDir: string;
  parallel: number;
  files: number;
  /** Bytes to hash for the sha256 rate. */
  hashBytes: number;
}

const input = readInput<StoreFloorInput>();
const { Cache } = await importBuilt<{ Cache: typeof CacheClass }>(input.repoRoot, "dist/store/cache.js");
const cache = await Cache.open(input.cacheDir);
const files = await Promise.all(
  Array.from({ length: input.files }, async (_, i) => {
    const temp = cache.tempPath("part");
    await writeFile(temp, "x");
    return { temp, url: `http://127.0.0.1/bench/floor-${i}.bin`, name: `floor-${i}.bin`, sha256: randomBytes(32).toString("hex") };
  }),
);
const queue = [...files];
const started = performance.now();
await Promise.all(
  Array.from({ length: Math.min(input.parallel, files.length) }, async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      await cache.readEntry(f.url);
      await cache.commitBlob(f.temp, f.sha256, f.name);
      await cache.writeEntry({ url: f.url, name: f.name, etag: null, lastModified: null, sha256: f.sha256, size: 1 });
    }
  }),
);
const bookkeepingMs = performance.now() - started;

const piece = randomBytes(64 * 1024);
const hash = createHash("sha256");
const hashStarted = performance.now();
for (let done = 0; done < input.hashBytes; done += piece.length) hash.update(piece);
hash.digest();
const hashMs = performance.now() - hashStarted;
const loadStarted = performance.now();
// What the client loads on its first request: undici's agent and request, not its index.
const { loadUndiciParts } = await importBuilt<typeof import("../../src/site/undici-parts.js")>(input.repoRoot, "dist/site/undici-parts.js");
await loadUndiciParts();
const undiciLoadMs = performance.now() - loadStarted;
await reply({ ms: bookkeepingMs, bookkeepingMs, hashMs, hashBytes: input.hashBytes, undiciLoadMs });
