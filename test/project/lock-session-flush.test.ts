/**
 * The lock session writes the lockfile only when it learnt something, merges with what another
 * process wrote meanwhile (or not, after `oga update` replaced it), never when frozen, and keeps
 * the entries used from a zip while the zip's bytes stay the same. Real files on disk.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockSession, lockSession } from "../../src/project/lock-session.js";
import { formatLockfile, parseLockfile, type LockedAsset, type LockedFile, type Lockfile } from "../../src/store/lockfile.js";
import { nameRecord } from "../../src/store/name-record.js";

const SHA_A = "a".repeat(64);
const SHA_B = "b".repeat(64);
const SHA_C = "c".repeat(64);
const URL = "https://opengameart.org/sites/default/files/x.zip";

const asset = (files: Record<string, LockedFile> = {}): LockedAsset => ({
  pageUrl: "https://opengameart.org/content/a",
  title: "A",
  author: { name: "Me", url: null },
  licenses: ["CC0"],
  attribution: "",
  type: null,
  main: null,
  files: nameRecord(Object.entries(files)),
});

const lockWith = (assets: Record<string, LockedAsset>, specifiers: string[] = []): Lockfile => ({ version: 1, assets: nameRecord(Object.entries(assets)), specifiers });

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "oga-session-"));
  file = path.join(dir, "oga.lock.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const onDisk = async (): Promise<Lockfile> => parseLockfile(await readFile(file, "utf8"), file);

describe("flush", () => {
  it("a build's flush declares only what the lock imports now; the dev server's (neverShrink) keeps what the file declared", async () => {
    const dts = path.join(dir, "oga.d.ts");
    const session = new LockSession(file, dts, false);
    await session.reload();
    session.setAsset("a", asset({ "x.zip": { url: URL, size: 3, sha256: SHA_A, etag: null } }));
    session.addSpecifier("oga:a");
    await session.flush();
    expect(await readFile(dts, "utf8")).toContain('declare module "oga:a"');
    // `oga:a` is no longer imported: only `oga:b`.
    const onlyB = () => lockWith({ b: asset({ "x.zip": { url: URL, size: 3, sha256: SHA_B, etag: null } }) }, ["oga:b"]);
    session.replace(onlyB());
    await session.flush({ neverShrink: true });
    const kept = await readFile(dts, "utf8");
    expect([kept.includes('declare module "oga:a"'), kept.includes('declare module "oga:b"')]).toEqual([true, true]);
    session.replace(onlyB());
    await session.flush();
    const built = await readFile(dts, "utf8");
    expect([built.includes('declare module "oga:a"'), built.includes('declare module "oga:b"')]).toEqual([false, true]);
  });

  it("writes nothing when the session learnt nothing, and the same file twice only once", async () => {
    const session = new LockSession(file, false, false);
    await session.reload();
    expect(await session.flush()).toEqual({ lockWritten: false, dtsWritten: false });
    await expect(readFile(file, "utf8")).rejects.toThrow();
    session.setAsset("a", asset({ "x.zip": { url: URL, size: 3, sha256: SHA_A, etag: null } }));
    expect((await session.flush()).lockWritten).toBe(true);
    expect(session.lastWritten).toBe(await readFile(file, "utf8"));
    expect((await session.flush()).lockWritten).toBe(false);
  });

  it("merges with what another process wrote after this session read the file", async () => {
    const session = new LockSession(file, false, false);
    await session.reload();
    session.setAsset("a", asset());
    await writeFile(file, formatLockfile(lockWith({ b: asset() }, ["oga:b"])));
    await session.flush();
    expect(Object.keys((await onDisk()).assets).sort()).toEqual(["a", "b"]);
    expect((await onDisk()).specifiers).toEqual(["oga:b"]);
    expect(Object.keys(session.lock.assets).sort()).toEqual(["a", "b"]);
  });

  it("after replace, writes the lock as it is: what the update dropped stays dropped", async () => {
    await writeFile(file, formatLockfile(lockWith({ a: asset(), b: asset() }, ["oga:a", "oga:b"])));
    const session = new LockSession(file, false, false);
    await session.reload();
    session.replace(lockWith({ a: asset() }, ["oga:a"]));
    expect((await session.flush()).lockWritten).toBe(true);
    const written = await onDisk();
    expect(Object.keys(written.assets)).toEqual(["a"]);
    expect(written.specifiers).toEqual(["oga:a"]);
    expect(session.lastWritten).toBe(await readFile(file, "utf8"));
    // Back to read-merge-write for what comes next.
    await writeFile(file, formatLockfile(lockWith({ a: asset(), c: asset() })));
    session.addSpecifier("oga:a/x");
    await session.flush();
    expect(Object.keys((await onDisk()).assets).sort()).toEqual(["a", "c"]);
  });

  it("frozen: never writes, whatever the session was told", async () => {
    const text = formatLockfile(lockWith({ a: asset() }));
    await writeFile(file, text);
    const session = new LockSession(file, false, true);
    await session.reload();
    session.setAsset("b", asset());
    session.addSpecifier("oga:b");
    expect((await session.flush()).lockWritten).toBe(false);
    session.replace(lockWith({}));
    expect((await session.flush()).lockWritten).toBe(false);
    expect(await readFile(file, "utf8")).toBe(text);
  });

  it("writes the declarations when asked to, and reports whether it did", async () => {
    const dts = path.join(dir, "src", "oga-env.d.ts");
    const session = new LockSession(file, dts, false);
    await session.reload();
    session.addSpecifier("oga:a");
    expect(await session.flush()).toEqual({ lockWritten: true, dtsWritten: true });
    expect(await readFile(dts, "utf8")).toMatch(/^\/\/ Generated by vite-plugin-oga/);
    expect(await session.flush()).toEqual({ lockWritten: false, dtsWritten: false });
  });

  it("reload drops what a failed build left in memory", async () => {
    const session = new LockSession(file, false, false);
    await session.reload();
    session.setAsset("a", asset());
    await session.reload();
    expect(session.asset("a")).toBeUndefined();
    expect((await session.flush()).lockWritten).toBe(false);
  });
});

describe("what a session records", () => {
  it("a file only when something about it changed", async () => {
    const file1: LockedFile = { url: URL, size: 3, sha256: SHA_A, etag: '"e"' };
    await writeFile(file, formatLockfile(lockWith({ a: asset({ "x.zip": file1 }) })));
    const session = new LockSession(file, false, false);
    await session.reload();
    session.setFile("a", "x.zip", { ...file1 });
    expect((await session.flush()).lockWritten).toBe(false);
    for (const change of [{ sha256: SHA_B }, { etag: '"f"' }, { size: 4 }, { url: `${URL}?v=2` }]) {
      session.setFile("a", "x.zip", { ...file1, ...change });
      expect((await session.flush()).lockWritten, JSON.stringify(change)).toBe(true);
      expect((await onDisk()).assets.a!.files["x.zip"]).toEqual({ ...file1, ...change });
      session.setFile("a", "x.zip", { ...file1 });
      await session.flush();
    }
    // A file of an asset the session does not know is not recorded.
    session.setFile("nope", "x.zip", file1);
    expect(session.asset("nope")).toBeUndefined();
    // A file the asset did not list (the lock reloaded by a rebuild meanwhile) is added.
    session.setFile("a", "new.ogg", { ...file1, sha256: SHA_C });
    expect(session.asset("a")!.files["new.ogg"]).toEqual({ ...file1, sha256: SHA_C });
  });

  it("the zip entries used stay recorded while the zip's sha256 stays the same", async () => {
    const session = new LockSession(file, false, false);
    await session.reload();
    session.setAsset("a", asset({ "x.zip": { url: URL, size: 3, sha256: SHA_A } }));
    session.setEntry("a", "x.zip", ["png/a.png"], { size: 1, sha256: SHA_C });
    session.setEntry("a", "nope.zip", ["png/a.png"], { size: 1, sha256: SHA_C });
    session.setEntry("nope", "x.zip", ["png/a.png"], { size: 1, sha256: SHA_C });
    expect(Object.keys(session.asset("a")!.files)).toEqual(["x.zip"]);
    expect(session.asset("nope")).toBeUndefined();
    await session.flush();
    expect((await onDisk()).assets.a!.files["x.zip"]!.entries).toEqual({ "png/a.png": { size: 1, sha256: SHA_C } });
    // The same bytes again (a new ETag): entries kept.
    session.setFile("a", "x.zip", { url: URL, size: 3, sha256: SHA_A, etag: '"n"' });
    expect(session.asset("a")!.files["x.zip"]!.entries).toEqual({ "png/a.png": { size: 1, sha256: SHA_C } });
    // New bytes: the entries belonged to the old ones.
    session.setFile("a", "x.zip", { url: URL, size: 3, sha256: SHA_B, etag: '"n"' });
    expect(session.asset("a")!.files["x.zip"]!.entries).toBeUndefined();
    // The same entry again changes nothing.
    await session.flush();
    session.setFile("a", "x.zip", { url: URL, size: 3, sha256: SHA_A, etag: '"n"' });
    session.setEntry("a", "x.zip", ["png/a.png"], { size: 1, sha256: SHA_C });
    await session.flush();
    session.setEntry("a", "x.zip", ["png/a.png"], { size: 1, sha256: SHA_C });
    expect((await session.flush()).lockWritten).toBe(false);
  });

  it("a specifier once, sorted", async () => {
    const session = new LockSession(file, false, false);
    await session.reload();
    session.addSpecifier("oga:b");
    session.addSpecifier("oga:a");
    await session.flush();
    session.addSpecifier("oga:b");
    expect(session.lock.specifiers).toEqual(["oga:a", "oga:b"]);
    expect((await session.flush()).lockWritten).toBe(false);
  });

  it("one session per lockfile, declarations file and frozen flag in a process", () => {
    expect(lockSession(file, false, false)).toBe(lockSession(file, false, false));
    expect(lockSession(file, false, true)).not.toBe(lockSession(file, false, false));
    expect(lockSession(file, "x.d.ts", false)).not.toBe(lockSession(file, false, false));
  });
});
