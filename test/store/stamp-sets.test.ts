/**
 * A stamp set carries the stamps one build used to the next build of the same project, so it can
 * vouch for blobs without reading their stamp files; it is trusted exactly as those files are
 * (every stat field must match) and only while it is open. Real files on disk.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Cache } from "../../src/store/cache.js";
import { fetchFile } from "../../src/store/fetch-file.js";
import { sha256Hex } from "../../src/store/fs-utils.js";
import { StampSet, stampSetScope } from "../../src/store/stamp-sets.js";
import { useTempDir } from "./setup.js";

const SCOPE = "/projects/game/oga.lock.json";

const temp = useTempDir();
let cacheDir: string;
let cache: Cache;
const blobs = new Map<string, { sha: string; path: string }>();

async function commit(name: string, body: string): Promise<void> {
  const sha = createHash("sha256").update(body).digest("hex");
  const temp = cache.tempPath();
  await writeFile(temp, body);
  blobs.set(name, { sha, path: await cache.commitBlob(temp, sha, name) });
}

const sha = (name: string) => blobs.get(name)!.sha;
const isStamped = (name: string) => cache.isStamped(sha(name), name);
const setFile = (scope = SCOPE) => path.join(cacheDir, "stamps", "sets", `${sha256Hex(scope)}.json`);
const setKeys = async () => Object.keys((JSON.parse(await readFile(setFile(), "utf8")) as { stamps: object }).stamps).sort();

/** Removes every blob's own stamp file, leaving the sets. */
async function dropStampFiles(): Promise<void> {
  const dir = path.join(cacheDir, "stamps");
  for (const name of await readdir(dir)) if (name.endsWith(".json")) await rm(path.join(dir, name));
}

/** One build: a set opened, the blobs asked about, the set closed. */
async function build(names: readonly string[]): Promise<boolean[]> {
  const set = new StampSet(cacheDir, SCOPE);
  const answers = await Promise.all(names.map(isStamped));
  await set.close();
  return answers;
}

beforeEach(async () => {
  cacheDir = path.join(temp.dir, "cache");
  // No racy window: a verified blob is stamped at once.
  cache = await Cache.open(cacheDir, { racyWindowMs: 0 });
  blobs.clear();
  await commit("a.ogg", "the bytes of a");
  await commit("b.png", "the bytes of b");
  for (const name of blobs.keys()) expect(await cache.checkBlob(sha(name), name)).toBe("ok");
});

describe("stamp sets", () => {
  it("a set vouches for the blobs its last build used, without their stamp files, and only while it is open", async () => {
    expect(await build(["a.ogg", "b.png"])).toEqual([true, true]);
    expect(await setKeys()).toEqual([`${sha("a.ogg")}/a.ogg`, `${sha("b.png")}/b.png`].sort());
    await dropStampFiles();

    expect(await build(["a.ogg", "b.png"])).toEqual([true, true]);
    // Closed: nothing vouches for them any more but their (removed) stamp files.
    expect(await isStamped("a.ogg")).toBe(false);
    expect(await cache.checkBlob(sha("a.ogg"), "a.ogg")).toBe("ok");
  });

  it("an unchanged set is not written again; one that used other blobs is", async () => {
    await build(["a.ogg", "b.png"]);
    const written = await stat(setFile(), { bigint: true });
    // Asked in either order: the record is the same.
    await build(["b.png", "a.ogg"]);
    await build(["a.ogg", "b.png"]);
    const again = await stat(setFile(), { bigint: true });
    expect([again.ino, again.mtimeNs]).toEqual([written.ino, written.mtimeNs]);

    await build(["a.ogg"]);
    expect(await setKeys()).toEqual([`${sha("a.ogg")}/a.ogg`]);
  });

  it("a blob rewritten after the set was saved is not vouched for, is found modified and leaves the set", async () => {
    await build(["a.ogg", "b.png"]);
    await writeFile(blobs.get("a.ogg")!.path, "THE BYTES OF A");
    const set = new StampSet(cacheDir, SCOPE);
    expect(await isStamped("a.ogg")).toBe(false);
    expect(await cache.checkBlob(sha("a.ogg"), "a.ogg")).toBe("modified");
    expect(await isStamped("b.png")).toBe(true);
    await set.close();
    expect(await setKeys()).toEqual([`${sha("b.png")}/b.png`]);
  });

  it("a stamp the set holds stops vouching once hashing finds other bytes behind matching stat fields", async () => {
    // Damage below the file system: the bytes change, the stat fields the set holds do not. Made
    // here by rewriting the blob and then the set to match its new stat fields.
    await build(["a.ogg"]);
    const file = blobs.get("a.ogg")!.path;
    await writeFile(file, "THE BYTES OF A");
    const s = await stat(file);
    const record = JSON.parse(await readFile(setFile(), "utf8")) as { stamps: Record<string, number[]> };
    record.stamps[`${sha("a.ogg")}/a.ogg`] = [s.size, s.mtimeMs, s.ctimeMs, s.ino];
    await writeFile(setFile(), JSON.stringify(record));

    const set = new StampSet(cacheDir, SCOPE);
    expect(await isStamped("a.ogg")).toBe(true);
    expect(await cache.checkBlob(sha("a.ogg"), "a.ogg", { full: true })).toBe("modified");
    expect(await isStamped("a.ogg")).toBe(false);
    await set.close();
    expect((await readFile(setFile(), "utf8")).includes(sha("a.ogg"))).toBe(false);
  });

  it("a set of another scope or format, or with damaged entries, vouches for nothing", async () => {
    await build(["a.ogg", "b.png"]);
    await dropStampFiles();
    const right = JSON.parse(await readFile(setFile(), "utf8")) as { format: number; scope: string; stamps: Record<string, unknown> };
    const keyA = `${sha("a.ogg")}/a.ogg`;
    const keyB = `${sha("b.png")}/b.png`;
    const wrongs: unknown[] = [
      { ...right, scope: "/another/project/oga.lock.json" },
      { ...right, format: right.format + 1 },
      { ...right, stamps: null },
      { ...right, stamps: { [keyA]: (right.stamps[keyA] as number[]).slice(0, 3), [keyB]: (right.stamps[keyB] as number[]).map(String) } },
      { ...right, stamps: { [keyA]: 5, [keyB]: { size: 1 } } },
      { ...right, stamps: "not stamps" },
      [right],
      "not a set",
      null,
    ];
    for (const wrong of wrongs) {
      await writeFile(setFile(), JSON.stringify(wrong));
      expect(await build(["a.ogg", "b.png"]), JSON.stringify(wrong).slice(0, 80)).toEqual([false, false]);
    }
    await writeFile(setFile(), "{ torn");
    expect(await build(["a.ogg", "b.png"])).toEqual([false, false]);
  });

  it("closing a set twice writes it once", async () => {
    const set = new StampSet(cacheDir, SCOPE);
    expect(await isStamped("a.ogg")).toBe(true);
    await set.close();
    const written = await stat(setFile(), { bigint: true });
    // Vouching after the close reaches no closed set.
    expect(await isStamped("b.png")).toBe(true);
    await set.close();
    const again = await stat(setFile(), { bigint: true });
    expect([again.ino, again.mtimeNs]).toEqual([written.ino, written.mtimeNs]);
    expect(await setKeys()).toEqual([`${sha("a.ogg")}/a.ogg`]);
  });

  it("a blob stored again (a new inode, the same bytes) gets its new stamp in the set", async () => {
    await build(["a.ogg"]);
    const set = new StampSet(cacheDir, SCOPE);
    const before = await stat(blobs.get("a.ogg")!.path);
    // Stored anew (as a download does) and verified at once (no racy window here).
    await commit("a.ogg", "the bytes of a");
    expect((await stat(blobs.get("a.ogg")!.path)).ino).not.toBe(before.ino);
    expect(await isStamped("a.ogg")).toBe(true);
    await set.close();
    const s = await stat(blobs.get("a.ogg")!.path);
    const record = JSON.parse(await readFile(setFile(), "utf8")) as { stamps: Record<string, number[]> };
    expect(record.stamps[`${sha("a.ogg")}/a.ogg`]).toEqual([s.size, s.mtimeMs, s.ctimeMs, s.ino]);
  });

  it("a pinned file its set vouches for is served by fetchFile without a request or a hash", async () => {
    await build(["a.ogg"]);
    await dropStampFiles();
    const noNetwork = { streamFile: () => Promise.reject(new Error("no request expected")) };
    const hashes = vi.spyOn(cache as unknown as { hashBlob(file: string): Promise<string> }, "hashBlob");
    const url = "https://opengameart.org/sites/default/files/a.ogg";
    const set = new StampSet(cacheDir, SCOPE);
    const pinned = await fetchFile(noNetwork, cache, { url, name: "a.ogg" }, { expect: { sha256: sha("a.ogg"), etag: '"e1"' } });
    await set.close();
    expect(pinned).toEqual({ url, name: "a.ogg", path: blobs.get("a.ogg")!.path, sha256: sha("a.ogg"), size: "the bytes of a".length, etag: '"e1"', transfer: "none" });
    expect(hashes).not.toHaveBeenCalled();
    // Without the set nothing vouches for it: it is hashed (and found right) before it is served.
    const again = await fetchFile(noNetwork, cache, { url, name: "a.ogg" }, { expect: { sha256: sha("a.ogg"), size: 14, etag: null } });
    expect(again).toMatchObject({ path: blobs.get("a.ogg")!.path, size: 14, etag: null, transfer: "none" });
    expect(hashes).toHaveBeenCalledTimes(1);
  });

  it("each environment of a project has its own scope; without one the scope is the lockfile", () => {
    const scopes = [stampSetScope(SCOPE, undefined), stampSetScope(SCOPE, "client"), stampSetScope(SCOPE, "ssr"), stampSetScope(`${SCOPE}client`, undefined)];
    expect(new Set(scopes).size).toBe(4);
    expect(scopes[0]).toBe(SCOPE);
  });

  it("while two sets of one cache are open, closing one leaves the other's stamps trusted", async () => {
    await build(["a.ogg", "b.png"]);
    await dropStampFiles();
    const first = new StampSet(cacheDir, SCOPE);
    const second = new StampSet(cacheDir, "/projects/other/oga.lock.json");
    await second.close();
    expect(await isStamped("a.ogg")).toBe(true);
    await first.close();
    expect(await isStamped("a.ogg")).toBe(false);
  });

  it("a set that cannot be saved (a file where its folder goes) costs nothing but the next build's reads", async () => {
    await rm(path.join(cacheDir, "stamps", "sets"), { recursive: true, force: true });
    await writeFile(path.join(cacheDir, "stamps", "sets"), "not a folder");
    expect(await build(["a.ogg", "b.png"])).toEqual([true, true]);
    expect(await readdir(path.join(cacheDir, "tmp"))).toEqual([]);
    // Reading it fails the same way, and reads as no set.
    expect(await build(["a.ogg", "b.png"])).toEqual([true, true]);
  });

  it("a set that cannot be read (a folder in its place) reads as none", async () => {
    await mkdir(setFile(), { recursive: true });
    await dropStampFiles();
    expect(await build(["a.ogg", "b.png"])).toEqual([false, false]);
    await writeFile(path.join(setFile(), "inside"), "x");
    expect(await build(["a.ogg"])).toEqual([false]);
  });
});
