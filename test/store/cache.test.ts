import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, stat, truncate, utimes, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Asset } from "../../src/site/types.js";
import { Cache, type CacheOptions, type IndexEntry } from "../../src/store/cache.js";
import { bytes, tempCache } from "./setup.js";

const sha = (body: Buffer): string => createHash("sha256").update(body).digest("hex");
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function open(options?: CacheOptions): Promise<Cache> {
  const { cache, remove } = await tempCache(options);
  cleanups.push(remove);
  return cache;
}

/** Stores `body` as a blob the way fetchFile does (temp file, then commit). */
async function storeBlob(cache: Cache, body: Buffer, name = "a.png"): Promise<string> {
  const temp = cache.tempPath();
  await writeFile(temp, body);
  return cache.commitBlob(temp, sha(body), name);
}

/** Counts re-hashes: the one expensive thing a warm check must avoid. */
function countHashes(cache: Cache): { count: () => number } {
  const spy = vi.spyOn(cache as unknown as { hashBlob: (file: string) => Promise<string> }, "hashBlob");
  return { count: () => spy.mock.calls.length };
}

describe("Cache.open", () => {
  it("creates the layout and sweeps only stale temp files", async () => {
    const first = await open();
    const tmp = path.join(first.dir, "tmp");
    await writeFile(path.join(tmp, "stale.part.tmp"), "x");
    await mkdir(path.join(tmp, "stale-dir"));
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(path.join(tmp, "stale.part.tmp"), old, old);
    await utimes(path.join(tmp, "stale-dir"), old, old);
    await writeFile(path.join(tmp, "fresh.part.tmp"), "y");
    const reopened = await Cache.open(first.dir);
    expect(await readdir(tmp)).toEqual(["fresh.part.tmp"]);
    expect((await readdir(reopened.dir)).sort()).toEqual(["files", "journal", "pages", "stamps", "tmp"]);
  });

  it("sweeps a fresh temp file at once when its writer process is gone (kill -9), not a live writer's", async () => {
    const first = await open();
    const tmp = path.join(first.dir, "tmp");
    // A child that has exited is a pid known to be free (until reused, which only keeps the file).
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const live = path.basename(first.tempPath("part")); // this process: alive
    const orphan = path.basename(first.tempPath("part")).replace(`-${process.pid}-`, `-${dead}-`);
    await writeFile(path.join(tmp, live), "live");
    await writeFile(path.join(tmp, orphan), "orphan");
    await Cache.open(first.dir);
    expect(await readdir(tmp)).toEqual([live]);
  });
});

describe("Cache.blobPath", () => {
  it("puts the original name under the hash", async () => {
    const cache = await open();
    const hash = "a".repeat(64);
    expect(cache.blobPath(hash, "Battle Theme.mp3")).toBe(path.join(cache.dir, "files", hash, "Battle Theme.mp3"));
  });

  it("can never leave its directory", async () => {
    const cache = await open();
    const hash = "b".repeat(64);
    for (const name of ["../../x", "..\\..\\x", "a/b", "x\u0000y"]) {
      expect(path.dirname(cache.blobPath(hash, name))).toBe(path.join(cache.dir, "files", hash));
    }
    expect(() => cache.blobPath(hash, "..")).toThrow(/file name/);
    expect(() => cache.blobPath("../x", "a")).toThrow(/sha256/);
  });
});

describe("Cache.checkBlob", () => {
  it("tells ok, missing, truncated and same-size tampering apart", async () => {
    const cache = await open();
    const body = bytes(10_000);
    const blob = await storeBlob(cache, body);
    expect(await cache.checkBlob(sha(body), "a.png")).toBe("ok");
    expect(await cache.checkBlob(sha(body), "b.png")).toBe("missing");
    expect(await cache.checkBlob("c".repeat(64), "a.png")).toBe("missing");
    const tampered = Buffer.from(body);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    await writeFile(blob, tampered);
    expect(await cache.checkBlob(sha(body), "a.png")).toBe("modified");
    await truncate(blob, 5);
    expect(await cache.checkBlob(sha(body), "a.png")).toBe("modified");
  });

  it("trusts a verified stamp while the file is untouched, and re-hashes once it is touched", async () => {
    const cache = await open({ racyWindowMs: 50 });
    const body = bytes(10_000);
    const blob = await storeBlob(cache, body);
    const hashes = countHashes(cache);
    await sleep(80); // leave the racy window, so the next verification may record a stamp
    expect(await cache.checkBlob(sha(body), "a.png")).toBe("ok");
    expect(hashes.count()).toBe(1);
    expect(await cache.checkBlob(sha(body), "a.png")).toBe("ok");
    expect(await cache.checkBlob(sha(body), "a.png")).toBe("ok");
    expect(hashes.count()).toBe(1); // warm checks cost a stat, not a hash

    // Same size, and mtime put back as it was: only ctime betrays the edit.
    const before = await stat(blob);
    const tampered = Buffer.from(body);
    tampered[5000] = (tampered[5000] ?? 0) ^ 1;
    await writeFile(blob, tampered);
    await utimes(blob, before.atime, before.mtime);
    expect(await cache.checkBlob(sha(body), "a.png")).toBe("modified");
    expect(hashes.count()).toBe(2);
  });

  it("re-hashes a blob verified within the racy window instead of trusting its stamp", async () => {
    const cache = await open(); // default 2 s window: a just-written blob gets no stamp
    const body = bytes(1000);
    await storeBlob(cache, body);
    const hashes = countHashes(cache);
    await cache.checkBlob(sha(body), "a.png");
    await cache.checkBlob(sha(body), "a.png");
    expect(hashes.count()).toBe(2);
  });

  it("re-hashes every time with full", async () => {
    const cache = await open({ racyWindowMs: 0 });
    const body = bytes(1000);
    await storeBlob(cache, body);
    const hashes = countHashes(cache);
    expect(await cache.checkBlob(sha(body), "a.png", { full: true })).toBe("ok");
    expect(await cache.checkBlob(sha(body), "a.png", { full: true })).toBe("ok");
    expect(hashes.count()).toBe(2);
  });
});

describe("index entries", () => {
  const entry: IndexEntry = {
    url: "https://opengameart.org/sites/default/files/a b.png",
    name: "a b.png",
    etag: '"1-2"',
    lastModified: null,
    sha256: "d".repeat(64),
    size: 12,
  };

  it("round-trip, one line in one journal per cache, and another cache opened later reads them", async () => {
    const cache = await open();
    expect(await cache.readEntry(entry.url)).toBeUndefined();
    await cache.writeEntry({ ...entry, extra: 1 } as IndexEntry);
    await cache.writeEntry({ ...entry, url: `${entry.url}?2` });
    expect(await cache.readEntry(entry.url)).toEqual(entry);
    const journals = await readdir(path.join(cache.dir, "journal"));
    expect(journals).toHaveLength(1);
    expect((await readFile(path.join(cache.dir, "journal", journals[0]!), "utf8")).split("\n")).toHaveLength(3);
    expect(await readdir(path.join(cache.dir, "tmp"))).toEqual([]);
    expect(await (await Cache.open(cache.dir)).readEntry(entry.url)).toEqual(entry);
  });

  it("read garbage, wrong shapes and wrong URLs as absent (a journal line or an earlier version's record)", async () => {
    const dir = (await open()).dir;
    const good = { format: 1, at: 1, ...entry };
    const record = path.join(dir, "index", `${sha(Buffer.from(entry.url))}.json`);
    await mkdir(path.dirname(record), { recursive: true });
    const journal = path.join(dir, "journal", "1-otherhost-1-abc.index.jsonl");
    const { at: _, ...recordShape } = good;
    for (const bad of ["", "\u0000\u0000", "{", "null", "[]", JSON.stringify({ ...good, sha256: "xyz" }), JSON.stringify({ ...good, url: "other" }), JSON.stringify({ ...good, format: 99 })]) {
      await writeFile(journal, `${bad}\n`);
      await writeFile(record, bad.replace(/"at":1,/, ""));
      expect(await (await Cache.open(dir)).readEntry(entry.url), bad).toBeUndefined();
    }
    // A journal line needs the time it was written; a record of an earlier version never had one.
    await writeFile(journal, `${JSON.stringify(recordShape)}\n`);
    expect(await (await Cache.open(dir)).readEntry(entry.url)).toBeUndefined();
    await writeFile(record, JSON.stringify(recordShape));
    expect(await (await Cache.open(dir)).readEntry(entry.url)).toEqual(entry);
  });

  it("survive many concurrent writers without a torn record", async () => {
    const cache = await open();
    await Promise.all(Array.from({ length: 40 }, (_, i) => cache.writeEntry({ ...entry, size: i })));
    const read = await cache.readEntry(entry.url);
    expect(read?.url).toBe(entry.url);
    expect(await readdir(path.join(cache.dir, "tmp"))).toEqual([]);
  });
});

describe("descriptions", () => {
  const asset = {
    id: "battle-theme-a",
    pageUrl: "https://opengameart.org/content/battle-theme-a",
    title: "Battle Theme A",
    licenses: ["CC0"],
    collaborators: [],
    previews: [],
    files: [{ name: "a.mp3", url: "https://opengameart.org/sites/default/files/a.mp3" }],
  } as unknown as Asset;

  it("round-trip with a fetch time, and garbage reads as absent", async () => {
    const cache = await open();
    expect(await cache.readDescription(asset.pageUrl)).toBeUndefined();
    await cache.writeDescription(asset.pageUrl, asset);
    const read = await cache.readDescription(asset.pageUrl);
    expect(read?.asset).toEqual(asset);
    expect(Date.parse(read?.fetchedAt ?? "")).toBeGreaterThan(Date.now() - 60_000);
    const [file] = await readdir(path.join(cache.dir, "pages"));
    await writeFile(path.join(cache.dir, "pages", file ?? ""), '{"format":2,"fetchedAt":"x","asset":{"files":7}}');
    expect(await cache.readDescription(asset.pageUrl)).toBeUndefined();
  });

  it("are found by the key they were written under, whatever the page called itself", async () => {
    const cache = await open();
    const other = "https://opengameart.org/content/not-battle-theme-a";
    await cache.writeDescription(other, asset);
    expect((await cache.readDescription(other))?.asset.id).toBe("battle-theme-a");
    expect(await cache.readDescription(asset.pageUrl)).toBeUndefined();
  });
});
