/**
 * The index journal's edges: which lines count (wrong field types, a time no writer could have
 * written), which line wins a tie, when the journals are read, what happens when journal/ or the
 * whole cache is removed while open, when the file system refuses a listing, a read or a write
 * (real resource limits of this process), and when compaction cannot write its merged journal.
 * Real files on disk; the Cache API as the client uses it.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { Cache, type IndexEntry } from "../../src/store/cache.js";
import { COMPACT_PAST } from "../../src/store/url-index.js";
import { withResourceLimit } from "./resource-limit.js";
import { goneWriterJournal } from "./journal-names.js";
import { useTempDir } from "./setup.js";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const temp = useTempDir();

const url = (i: number | string) => `https://opengameart.org/sites/default/files/${i}.png`;
const entry = (u: string, n: number): IndexEntry => ({ url: u, name: "a.png", etag: `"${n}"`, lastModified: null, sha256: sha256(String(n)), size: n });
const line = (record: object, at: number) => `${JSON.stringify({ format: 1, at, ...record })}\n`;
const journalDir = (cacheDir = temp.dir) => path.join(cacheDir, "journal");
const journals = async (cacheDir = temp.dir) => (await readdir(journalDir(cacheDir))).sort();
/** A journal of a writer on another host: never compacted by this one. */
const otherJournal = (i: number) => `${1_000 + i}-otherhost-1-abc.index.jsonl`;

async function rejection(work: Promise<unknown>): Promise<Error> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, "expected a rejection").toBeInstanceOf(Error);
  return error!;
}

/** The descriptors this process holds open on files under `under` (Linux: /proc/self/fd). */
async function openFilesUnder(under: string): Promise<string[]> {
  const targets = await Promise.all((await readdir("/proc/self/fd")).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => "")));
  return targets.filter((target) => target.startsWith(`${under}${path.sep}`));
}


/** `count` journals of gone writers in `cacheDir`, journal i holding url(i) and a line for url("shared"). */
async function goneJournals(cacheDir: string, count: number): Promise<string[]> {
  await mkdir(journalDir(cacheDir), { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = goneWriterJournal(i);
    names.push(name);
    await writeFile(path.join(journalDir(cacheDir), name), line(entry(url(i), i), 10 + i) + line(entry(url("shared"), i), 100 + i));
  }
  return names;
}

describe("journal lines", () => {
  it("with a field of the wrong type are skipped; a null ETag and a Last-Modified string are entries", async () => {
    const good = entry(url("good"), 1);
    const bad: Record<string, object> = {
      name: { ...good, name: 5 },
      size: { ...good, size: -1 },
      etag: { ...good, etag: 5 },
      lastModified: { ...good, lastModified: 5 },
    };
    await mkdir(journalDir(), { recursive: true });
    const text = Object.entries(bad).map(([field, record]) => line({ ...record, url: url(field) }, 1)).join("");
    const nullEtag = { ...entry(url("null-etag"), 2), etag: null, lastModified: "Tue, 01 Dec 2026 10:00:00 GMT" };
    await writeFile(path.join(journalDir(), otherJournal(1)), text + line(nullEtag, 1));
    const cache = await Cache.open(temp.dir);
    for (const field of Object.keys(bad)) expect(await cache.readEntry(url(field)), field).toBeUndefined();
    expect(await cache.readEntry(nullEtag.url)).toEqual(nullEtag);
  });

  it("with a time no writer could have written (1e999 parses as Infinity) are skipped, else they would win forever", async () => {
    await mkdir(journalDir(), { recursive: true });
    const stuck = line(entry(url(0), 1), 1).replace('"at":1,', '"at":1e999,');
    expect(stuck).toContain('"at":1e999');
    await writeFile(path.join(journalDir(), otherJournal(1)), stuck + line(entry(url(0), 2), 2));
    expect(await (await Cache.open(temp.dir)).readEntry(url(0))).toEqual(entry(url(0), 2));
  });

  it("are refused to a writer when the URL is not a string", async () => {
    const cache = await Cache.open(temp.dir);
    const error = await rejection(cache.writeEntry({ ...entry(url(0), 1), url: 5 } as unknown as IndexEntry));
    expect(isOgaError(error, "OGA_BAD_INPUT")).toBe(true);
    expect(await journals()).toEqual([]);
  });
});

describe("the latest line wins", () => {
  it("even when it is read first: an earlier journal's later line beats a later journal's earlier one", async () => {
    await mkdir(journalDir(), { recursive: true });
    await writeFile(path.join(journalDir(), otherJournal(1)), line(entry(url(0), 3), 300));
    await writeFile(path.join(journalDir(), otherJournal(2)), line(entry(url(0), 1), 100));
    expect(await (await Cache.open(temp.dir)).readEntry(url(0))).toEqual(entry(url(0), 3));
  });

  it("a tie within a journal goes to the later line", async () => {
    await mkdir(journalDir(), { recursive: true });
    await writeFile(path.join(journalDir(), otherJournal(1)), line(entry(url(0), 1), 5) + line(entry(url(0), 2), 5));
    expect(await (await Cache.open(temp.dir)).readEntry(url(0))).toEqual(entry(url(0), 2));
  });

  it("a tie between journals goes to the newer journal (by name), whatever order they were created in", async () => {
    const count = 12;
    await mkdir(journalDir(), { recursive: true });
    for (let i = count - 1; i >= 0; i--) await writeFile(path.join(journalDir(), otherJournal(i)), line(entry(url(0), i), 5));
    expect(await (await Cache.open(temp.dir)).readEntry(url(0))).toEqual(entry(url(0), count - 1));
  });
});

describe("reading the journals", () => {
  it("happens once, on the first lookup: a line appended by another process after it is seen by the next Cache.open", async () => {
    const cache = await Cache.open(temp.dir);
    expect(await cache.readEntry(url(0))).toBeUndefined();
    await writeFile(path.join(journalDir(), otherJournal(1)), line(entry(url(0), 1), Date.now()));
    expect(await cache.readEntry(url(0))).toBeUndefined();
    expect(await (await Cache.open(temp.dir)).readEntry(url(0))).toEqual(entry(url(0), 1));
  });

  it("leaves out what is not a journal: other files and directories in journal/", async () => {
    await mkdir(journalDir(), { recursive: true });
    await writeFile(path.join(journalDir(), otherJournal(1)), line(entry(url(0), 1), 1));
    // A newer line, in files a person or a tool left there; and a directory.
    await writeFile(path.join(journalDir(), `${otherJournal(2)}.bak`), line(entry(url(0), 2), 2));
    await writeFile(path.join(journalDir(), "notes.txt"), line(entry(url(1), 3), 3));
    await mkdir(path.join(journalDir(), "old"));
    const cache = await Cache.open(temp.dir);
    expect(await cache.readEntry(url(0))).toEqual(entry(url(0), 1));
    expect(await cache.readEntry(url(1))).toBeUndefined();
  });

  it("skips a journal listed but gone when read (removed by a reader compacting meanwhile: here a dangling link)", async () => {
    await mkdir(journalDir(), { recursive: true });
    await writeFile(path.join(journalDir(), otherJournal(1)), line(entry(url(0), 1), 1));
    await symlink(path.join(temp.dir, "compacted-away.jsonl"), path.join(journalDir(), otherJournal(2)));
    expect(await (await Cache.open(temp.dir)).readEntry(url(0))).toEqual(entry(url(0), 1));
  });

  it("a directory named as a journal: OGA_CACHE naming it (EISDIR), not a silently shorter index", async () => {
    await mkdir(path.join(journalDir(), otherJournal(1)), { recursive: true });
    const cache = await Cache.open(temp.dir);
    const error = await rejection(cache.readEntry(url(0)));
    expect(isOgaError(error, "OGA_CACHE")).toBe(true);
    expect(error.message).toContain(`Could not read ${path.join(journalDir(), otherJournal(1))} (EISDIR`);
  });

  it("no file descriptor left for the listing (EMFILE): OGA_CACHE naming journal/, and the next lookup works", async () => {
    await mkdir(journalDir(), { recursive: true });
    await writeFile(path.join(journalDir(), otherJournal(1)), line(entry(url(0), 1), 1));
    const cache = await Cache.open(temp.dir);
    const error = await withResourceLimit("nofile", 0, () => rejection(cache.readEntry(url(0))));
    expect(isOgaError(error, "OGA_CACHE")).toBe(true);
    expect(error.message).toContain(`Could not read ${journalDir()} (EMFILE`);
    expect(await cache.readEntry(url(0))).toEqual(entry(url(0), 1));
  });

  it("journal/ removed while the cache is open: an earlier version's record is still read, and the next entry recreates journal/", async () => {
    const cache = await Cache.open(temp.dir);
    const old = entry(url("old"), 7);
    await mkdir(path.join(temp.dir, "index"));
    await writeFile(path.join(temp.dir, "index", `${sha256(old.url)}.json`), JSON.stringify({ format: 1, ...old }));
    await rm(journalDir(), { recursive: true });
    expect(await cache.readEntry(old.url)).toEqual(old);
    expect(await cache.readEntry(url(0))).toBeUndefined();
    await cache.writeEntry(entry(url(0), 1));
    expect(await journals()).toHaveLength(1);
    expect(await (await Cache.open(temp.dir)).readEntry(url(0))).toEqual(entry(url(0), 1));
  });

  it("the whole cache removed while open (as a user may): the next entry recreates its journal", async () => {
    const cacheDir = path.join(temp.dir, "cache");
    const cache = await Cache.open(cacheDir);
    expect(await cache.readEntry(url(0))).toBeUndefined();
    await rm(cacheDir, { recursive: true });
    await cache.writeEntry(entry(url(0), 1));
    expect(await journals(cacheDir)).toHaveLength(1);
    expect(await (await Cache.open(cacheDir)).readEntry(url(0))).toEqual(entry(url(0), 1));
  });
});

describe("appending", () => {
  it("holds no file descriptor between entries, nor after a failed one", async () => {
    const cache = await Cache.open(temp.dir);
    for (let i = 0; i < 3; i++) await cache.writeEntry(entry(url(i), i));
    expect(await openFilesUnder(temp.dir)).toEqual([]);
    await withResourceLimit("fsize", 0, () => rejection(cache.writeEntry(entry(url(9), 9))));
    expect(await openFilesUnder(temp.dir)).toEqual([]);
  });

  it("refused past the first byte (a full disk): OGA_CACHE, no empty journal left behind, and the next entry works", async () => {
    const cache = await Cache.open(temp.dir);
    const error = await withResourceLimit("fsize", 0, () => rejection(cache.writeEntry(entry(url(0), 1))));
    expect(isOgaError(error, "OGA_CACHE")).toBe(true);
    expect(error.message).toMatch(/\(EFBIG/);
    expect(await journals()).toEqual([]);
    await cache.writeEntry(entry(url(0), 2));
    expect(await (await Cache.open(temp.dir)).readEntry(url(0))).toEqual(entry(url(0), 2));
  });

  it("cut short behind earlier entries: the journal keeps them byte for byte, and the next entry starts a new journal", async () => {
    const cache = await Cache.open(temp.dir);
    await cache.writeEntry(entry(url(0), 1));
    const [first] = await journals();
    const before = await readFile(path.join(journalDir(), first!), "utf8");
    // Room for part of the next line only: the write stops midway, as on a disk that fills up.
    const error = await withResourceLimit("fsize", before.length + 40, () => rejection(cache.writeEntry(entry(url(1), 2))));
    expect(error.message).toContain(`Could not write ${path.join(journalDir(), first!)} (EFBIG`);
    expect(await readFile(path.join(journalDir(), first!), "utf8")).toBe(before);
    await cache.writeEntry(entry(url(1), 3));
    const after = await journals();
    expect(after).toHaveLength(2);
    expect(after).toContain(first);
    const reopened = await Cache.open(temp.dir);
    expect(await reopened.readEntry(url(0))).toEqual(entry(url(0), 1));
    expect(await reopened.readEntry(url(1))).toEqual(entry(url(1), 3));
  });
});

describe("compaction", () => {
  it(`leaves exactly ${COMPACT_PAST} journals of gone writers alone; one more and they are merged`, async () => {
    const names = await goneJournals(temp.dir, COMPACT_PAST);
    expect(await (await Cache.open(temp.dir)).readEntry(url("shared"))).toEqual(entry(url("shared"), COMPACT_PAST - 1));
    expect(await journals()).toEqual(names);
    await writeFile(path.join(journalDir(), goneWriterJournal(COMPACT_PAST)), line(entry(url(COMPACT_PAST), COMPACT_PAST), 10));
    expect(await (await Cache.open(temp.dir)).readEntry(url("shared"))).toEqual(entry(url("shared"), COMPACT_PAST - 1));
    expect(await journals()).toHaveLength(1);
    const reopened = await Cache.open(temp.dir);
    for (let i = 0; i <= COMPACT_PAST; i++) expect(await reopened.readEntry(url(i)), url(i)).toEqual(entry(url(i), i));
  });

  it("works in a cache whose path has `.tmp` in it, as do appends", async () => {
    const cacheDir = path.join(temp.dir, "build.tmp", "cache");
    const names = await goneJournals(cacheDir, COMPACT_PAST + 1);
    const cache = await Cache.open(cacheDir);
    expect(await cache.readEntry(url("shared"))).toEqual(entry(url("shared"), COMPACT_PAST));
    const merged = await journals(cacheDir);
    expect(merged).toHaveLength(1);
    expect(names).not.toContain(merged[0]);
    expect(merged[0]).toMatch(/\.jsonl$/);
    await cache.writeEntry(entry(url("new"), 1));
    expect(await journals(cacheDir)).toHaveLength(2);
    const reopened = await Cache.open(cacheDir);
    expect(await reopened.readEntry(url("new"))).toEqual(entry(url("new"), 1));
    expect(await reopened.readEntry(url(3))).toEqual(entry(url(3), 3));
  });

  it("that cannot write its merged journal (a full disk) keeps every journal and leaves no temp file", async () => {
    const names = await goneJournals(temp.dir, COMPACT_PAST + 1);
    const sizes = await Promise.all(names.map(async (name) => (await stat(path.join(journalDir(), name))).size));
    expect(Math.min(...sizes)).toBeGreaterThan(100);
    // Reading them needs no write; the merged journal is larger than the limit.
    const seen = await withResourceLimit("fsize", 100, async () => (await Cache.open(temp.dir)).readEntry(url("shared")));
    expect(seen).toEqual(entry(url("shared"), COMPACT_PAST));
    expect(await journals()).toEqual(names);
    expect(await readdir(path.join(temp.dir, "tmp"))).toEqual([]);
    const reopened = await Cache.open(temp.dir);
    for (let i = 0; i <= COMPACT_PAST; i++) expect(await reopened.readEntry(url(i)), url(i)).toEqual(entry(url(i), i));
  });
});
