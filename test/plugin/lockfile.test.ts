import { mkdtemp, readFile, rm, writeFile, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { emptyLockfile, formatLockfile, readLockfile, updateLockfile, type LockedAsset } from "../../src/store/lockfile.js";

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
    lock.assets.z = asset({ "b.ogg": { url: "http://x/b.ogg", size: 2 }, "a.ogg": { url: "http://x/a.ogg", size: 1, etag: '"e"', sha256: "ab" } });
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
    first.assets.one = asset({ "b.ogg": { url: "http://x/b.ogg", size: 2, sha256: "s1", etag: null } });
    first.specifiers = ["oga:one"];
    await updateLockfile(file, first);
    const second = emptyLockfile();
    second.assets.two = asset({});
    second.assets.one = asset({ "b.ogg": { url: "http://x/b.ogg", size: 2 } });
    second.specifiers = ["oga:two"];
    const merged = await updateLockfile(file, second);
    expect(Object.keys(merged.assets).sort()).toEqual(["one", "two"]);
    expect(merged.assets.one!.files["b.ogg"]!.sha256).toBe("s1");
    expect(merged.specifiers).toEqual(["oga:one", "oga:two"]);
  });

  it.each([
    ["<<<<<<< HEAD\n{}", "not valid JSON"],
    ["[]", "not a JSON object"],
    ['{"version": 9, "assets": {}}', "unsupported version"],
    ['{"version": 1, "assets": {"a": {"title": 3}}}', `asset "a"`],
  ])("refuses a corrupt lockfile with a clear error (%s)", async (text, why) => {
    const file = path.join(dir, "oga.lock.json");
    await writeFile(file, text);
    const error = await readLockfile(file).catch((e: unknown) => e);
    expect(isOgaError(error, "OGA_BAD_INPUT")).toBe(true);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).toContain("oga prefetch");
  });
});
