/**
 * How two lockfiles merge (a build's session over the file on disk) and what reading one refuses:
 * download facts kept only for the same URL, zip entries joined only for the same archive bytes,
 * specifiers sorted; a described file whose label is its name carries no label; a lockfile that
 * cannot be read is an error, not an empty lock.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minimalAsset, startReplica } from "../replica/index.js";
import { createClient } from "../../src/client.js";
import { lockedAssetFromAsset, mergeLockfiles, readLockfile, type LockedAsset, type LockedFile, type Lockfile } from "../../src/store/lockfile.js";

const A = "a".repeat(64);
const B = "b".repeat(64);
const E1 = "1".repeat(64);
const E2 = "2".repeat(64);

const asset = (files: Record<string, LockedFile>): LockedAsset => ({
  title: "T",
  pageUrl: "https://opengameart.org/content/t",
  author: { name: "Me", url: null },
  licenses: ["CC0"],
  attribution: "",
  type: "2D Art",
  main: null,
  files,
});
const lock = (files: Record<string, LockedFile>, specifiers: string[] = []): Lockfile => ({ version: 1, assets: { t: asset(files) }, specifiers });

describe("mergeLockfiles", () => {
  it("keeps the other side's hash for a file it knows only by URL, but not for another URL", () => {
    const base = lock({ "same.ogg": { url: "https://x/same.ogg", size: 1, sha256: A, etag: '"e"' }, "moved.ogg": { url: "https://x/old/moved.ogg", size: 1, sha256: A } });
    const ours = lock({ "same.ogg": { url: "https://x/same.ogg", size: 1 }, "moved.ogg": { url: "https://x/new/moved.ogg", size: 2 } });
    const files = mergeLockfiles(base, ours).assets["t"]!.files;
    expect(files["same.ogg"]).toEqual({ url: "https://x/same.ogg", size: 1, sha256: A, etag: '"e"' });
    expect(files["moved.ogg"]).toEqual({ url: "https://x/new/moved.ogg", size: 2 });
  });

  it("joins the zip entries both sides used when they speak of the same archive bytes, and only then", () => {
    const zipWith = (sha256: string, entry: string, entrySha: string): LockedFile => ({ url: "https://x/p.zip", size: 9, sha256, entries: { [entry]: { size: 1, sha256: entrySha } } });
    const joined = mergeLockfiles(lock({ "p.zip": zipWith(A, "a.png", E1) }), lock({ "p.zip": zipWith(A, "b.png", E2) })).assets["t"]!.files["p.zip"]!;
    expect(joined.entries).toEqual({ "a.png": { size: 1, sha256: E1 }, "b.png": { size: 1, sha256: E2 } });
    const replaced = mergeLockfiles(lock({ "p.zip": zipWith(A, "a.png", E1) }), lock({ "p.zip": zipWith(B, "b.png", E2) })).assets["t"]!.files["p.zip"]!;
    expect(replaced.entries).toEqual({ "b.png": { size: 1, sha256: E2 } });
  });

  it("lists the specifiers of both, once each, sorted", () => {
    expect(mergeLockfiles(lock({}, ["oga:z", "oga:b"]), lock({}, ["oga:a", "oga:z"])).specifiers).toEqual(["oga:a", "oga:b", "oga:z"]);
  });
});

describe("readLockfile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "oga-lockfile-merge-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a lockfile it cannot read instead of starting an empty one", async () => {
    const unreadable = path.join(dir, "oga.lock.json");
    await mkdir(unreadable);
    const error = await readLockfile(unreadable).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as NodeJS.ErrnoException).code).toBe("EISDIR");
  });
});

it("a described file whose label is its name is locked without a label", async () => {
  const replica = await startReplica();
  replica.catalogue.addAsset(minimalAsset("plain-label", { files: [{ path: "plain.ogg", body: Buffer.from("plain") }] }));
  const client = createClient({ url: replica.url, cacheDir: await mkdtemp(path.join(os.tmpdir(), "oga-lockfile-merge-cache-")) });
  try {
    const locked = lockedAssetFromAsset(await client.describe("plain-label"));
    expect(Object.keys(locked.files)).toEqual(["plain.ogg"]);
    expect(Object.keys(locked.files["plain.ogg"]!).sort()).toEqual(["size", "url"]);
  } finally {
    await client.close();
    await replica.close();
  }
});
