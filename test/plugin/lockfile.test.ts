import { mkdtemp, readFile, rm, writeFile, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { buildFixture, makeProject, testOptions } from "./helpers.js";
import { lockedAssetPaths } from "../../src/store/locked-entries.js";
import { emptyLockfile, formatLockfile, mergeLockfiles, parseLockfile, readLockfile, updateLockfile, type LockedAsset } from "../../src/store/lockfile.js";

const SHA_A = "a".repeat(64);
const SHA_B = "b".repeat(64);

const asset = (files: LockedAsset["files"]): LockedAsset => ({
  pageUrl: "http://x/content/a",
  title: "A",
  author: { name: "Me", url: null },
  licenses: ["CC0"],
  attribution: "",
  type: "Music",
  main: "b.ogg",
  files,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "oga-lock-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("lockfile", () => {
  it("reads a missing file as empty and writes sorted, 2-space JSON with a trailing newline", async () => {
    const file = path.join(dir, "oga.lock.json");
    expect(await readLockfile(file)).toEqual(emptyLockfile());
    const lock = emptyLockfile();
    lock.assets.z = asset({ "b.ogg": { url: "http://x/b.ogg", size: 2 }, "a.ogg": { url: "http://x/a.ogg", size: 1, etag: '"e"', sha256: SHA_A } });
    lock.assets.a = asset({});
    lock.specifiers = ["oga:z", "oga:a"];
    await updateLockfile(file, lock);
    const text = await readFile(file, "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).not.toContain("\r");
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(["assets", "specifiers", "version"]);
    expect(Object.keys(parsed.assets)).toEqual(["a", "z"]);
    expect(Object.keys(parsed.assets.z.files)).toEqual(["a.ogg", "b.ogg"]);
    expect(Object.keys(parsed.assets.z.files["a.ogg"])).toEqual(["etag", "sha256", "size", "url"]);
    expect(parsed.specifiers).toEqual(["oga:a", "oga:z"]);
    expect(text).toBe(formatLockfile(await readLockfile(file)));
    expect(text.split("\n")[1]).toBe('  "assets": {');
    // temp files never stay behind
    expect(await readdir(dir)).toEqual(["oga.lock.json"]);
  });

  it("merges with what another process wrote meanwhile (read-merge-write)", async () => {
    const file = path.join(dir, "oga.lock.json");
    const first = emptyLockfile();
    first.assets.one = asset({ "b.ogg": { url: "http://x/b.ogg", size: 2, sha256: SHA_B, etag: null } });
    first.specifiers = ["oga:one"];
    await updateLockfile(file, first);
    const second = emptyLockfile();
    second.assets.two = asset({});
    second.assets.one = asset({ "b.ogg": { url: "http://x/b.ogg", size: 2 } });
    second.specifiers = ["oga:two"];
    const merged = await updateLockfile(file, second);
    expect(Object.keys(merged.assets).sort()).toEqual(["one", "two"]);
    expect(merged.assets.one!.files["b.ogg"]!.sha256).toBe(SHA_B);
    expect(merged.specifiers).toEqual(["oga:one", "oga:two"]);
  });

  it.each([
    ["<<<<<<< HEAD\n{}", "not valid JSON"],
    ["[]", "not a JSON object"],
    ['{"version": 9, "assets": {}}', "unsupported version"],
    ['{"version": 1, "assets": {"a": {"title": 3}}}', `assets["a"].attribution is missing, expected a string`],
  ])("refuses a corrupt lockfile with a clear error (%s)", async (text, why) => {
    const file = path.join(dir, "oga.lock.json");
    await writeFile(file, text);
    const error = await readLockfile(file).catch((e: unknown) => e);
    expect(isOgaError(error, "OGA_BAD_INPUT")).toBe(true);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).toContain("oga prefetch");
  });

  /** A lockfile's JSON, loosely typed so a test can put anything anywhere. */
  interface LockJson {
    version: number;
    specifiers: unknown;
    assets: { a: Record<string, unknown> & { author: Record<string, unknown> | null; files: Record<string, Record<string, unknown>> | unknown[] } };
  }
  /** A valid lockfile's JSON with one asset `a` whose fields a test then spoils. */
  const valid = (): LockJson =>
    structuredClone({
      version: 1,
      specifiers: ["oga:a"],
      assets: { a: asset({ "b.ogg": { url: "http://x/b.ogg", size: 2, etag: null, sha256: SHA_A, entries: { "c.png": { size: 1, sha256: SHA_B } } } }) },
    }) as unknown as LockJson;
  type Spoil = (lock: LockJson) => void;
  const file = (lock: LockJson) => (lock.assets.a.files as Record<string, Record<string, unknown>>)["b.ogg"]!;

  it.each<[string, Spoil, string]>([
    ["licenses: [1, null]", (l) => void (l.assets.a.licenses = [1, null]), 'assets["a"].licenses[0] is 1, expected a string'],
    ["licenses: a string", (l) => void (l.assets.a.licenses = "CC0"), 'assets["a"].licenses is "CC0", expected a list of strings'],
    ["author: null", (l) => void (l.assets.a.author = null), 'assets["a"].author is null, expected an object'],
    ["author.url: 5", (l) => void (l.assets.a.author!.url = 5), 'assets["a"].author.url is 5, expected a string'],
    ["type: false", (l) => void (l.assets.a.type = false), 'assets["a"].type is false, expected a string'],
    ["files: a list", (l) => void (l.assets.a.files = []), 'assets["a"].files is [], expected an object'],
    ["size: a string", (l) => void (file(l).size = "12"), 'assets["a"].files["b.ogg"].size is "12", expected a size in bytes'],
    ["size: negative", (l) => void (file(l).size = -1), 'assets["a"].files["b.ogg"].size is -1, expected a size in bytes'],
    ["sha256: not a digest", (l) => void (file(l).sha256 = "xyz"), 'assets["a"].files["b.ogg"].sha256 is "xyz", expected a sha256'],
    ["etag: a number", (l) => void (file(l).etag = 5), 'assets["a"].files["b.ogg"].etag is 5, expected a string'],
    ["an entry's size", (l) => void (file(l).entries = { "c.png": { size: null, sha256: SHA_B } }), 'assets["a"].files["b.ogg"].entries["c.png"].size is null, expected a size in bytes'],
    ["filesUnavailable: a string", (l) => void (l.assets.a.filesUnavailable = "yes"), 'assets["a"].filesUnavailable is "yes", expected true or false'],
    ["specifiers: a string", (l) => void (l.specifiers = "oga:a"), 'specifiers is "oga:a", expected a list of strings'],
  ])("a field of the wrong type (%s) is OGA_BAD_INPUT naming the field, never a crash", async (_what, spoil, expected) => {
    const lock = valid();
    spoil(lock);
    const path_ = path.join(dir, "oga.lock.json");
    await writeFile(path_, JSON.stringify(lock));
    const error = await readLockfile(path_).catch((e: unknown) => e);
    expect(isOgaError(error, "OGA_BAD_INPUT"), String(error)).toBe(true);
    expect((error as Error).message).toContain(path_);
    expect((error as Error).message).toContain(expected);
  });

  it("reads back exactly what it writes, and the valid example is valid", async () => {
    const text = formatLockfile(parseLockfile(JSON.stringify(valid()), "x"));
    expect(formatLockfile(parseLockfile(text, "x"))).toBe(text);
    expect(JSON.parse(text)).toEqual(valid());
  });

  it("keeps ids, file names and entry names like __proto__, constructor and toString through read, merge and write", async () => {
    const keys = ["__proto__", "constructor", "toString", "hasOwnProperty"];
    const entries = Object.fromEntries(keys.map((k) => [k, { size: 1, sha256: SHA_B }]));
    const files = Object.fromEntries(keys.map((k) => [k, { url: `http://x/${k}`, size: 3, sha256: SHA_A, entries }]));
    // Object.fromEntries defines own properties, so `__proto__` is a key here, as JSON.parse makes it.
    const assets = Object.fromEntries(keys.map((k) => [k, { ...valid().assets.a, main: k, files }]));
    const text = JSON.stringify({ version: 1, specifiers: keys.map((k) => `oga:${k}`), assets });
    const lockfile = path.join(dir, "oga.lock.json");
    await writeFile(lockfile, text);

    const read = await readLockfile(lockfile);
    expect(Object.keys(read.assets).sort()).toEqual([...keys].sort());
    for (const id of keys) {
      expect(Object.keys(read.assets[id]!.files).sort()).toEqual([...keys].sort());
      expect(read.assets[id]!.files.__proto__!.entries!.constructor).toEqual({ size: 1, sha256: SHA_B });
      expect(lockedAssetPaths(read.assets[id]!)).toHaveLength(keys.length * (keys.length + 1));
    }
    // An empty lock inherits nothing: a lookup of a missing `constructor` is undefined.
    expect(emptyLockfile().assets.constructor).toBeUndefined();

    // Merged with another process's lockfile that lacks them, and written, nothing is lost.
    const other = emptyLockfile();
    other.assets.plain = asset({});
    const merged = await updateLockfile(lockfile, mergeLockfiles(read, other));
    expect(Object.keys(merged.assets).sort()).toEqual([...keys, "plain"].sort());
    const reread = await readLockfile(lockfile);
    expect(formatLockfile(reread)).toBe(formatLockfile(merged));
    expect(JSON.parse(await readFile(lockfile, "utf8")).assets.__proto__.files.toString.entries.__proto__).toEqual({ sha256: SHA_B, size: 1 });
  });
});

describe("a lockfile with a wrong field, through a real build", () => {
  it("fails the vite build with OGA_BAD_INPUT naming the file and the field, before any request", async () => {
    const project = await makeProject("game");
    try {
      const lock = { version: 1, specifiers: [], assets: { "battle-theme-a": { attribution: "", author: { name: "x", url: null }, files: {}, licenses: [1, null], main: null, pageUrl: "p", title: "t", type: null } } };
      await writeFile(project.lockfile, JSON.stringify(lock));
      // Port 9 (discard) on loopback: nothing answers, so a request would fail differently.
      const error = await buildFixture("vite8", project.root, testOptions(project, "http://127.0.0.1:9")).then(
        () => expect.unreachable("the build must fail"),
        (e: unknown) => e as { message: string; code?: string; pluginCode?: string; errors?: { message: string; pluginCode?: string }[] },
      );
      const text = [error.message, ...(error.errors ?? []).map((e) => e.message)].join("\n");
      expect(error.errors?.[0]?.pluginCode ?? error.pluginCode ?? error.code).toBe("OGA_BAD_INPUT");
      expect(text).toContain(project.lockfile);
      expect(text).toContain('assets["battle-theme-a"].licenses[0] is 1, expected a string');
    } finally {
      await project.cleanup();
    }
  });
});
