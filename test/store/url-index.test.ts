/**
 * The index of file URLs as append-only journals, one per writing process: a cache made before
 * the journals (one record file per URL) keeps working, a torn last line is skipped, two
 * processes appending at once lose nothing, and the journals of gone writers are merged into one.
 * Real files, real child processes, and the client against the replica.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client.js";
import { Cache, type IndexEntry } from "../../src/store/cache.js";
import { COMPACT_PAST } from "../../src/store/url-index.js";
import { minimalAsset, startReplica, type Replica } from "../replica/index.js";
import { goneWriterJournal, JOURNAL_HOST } from "./journal-names.js";
import { useTempDir } from "./setup.js";

const run = promisify(execFile);
const writer = fileURLToPath(new URL("./index-writer.ts", import.meta.url));
const sha256 = (text: string | Buffer): string => createHash("sha256").update(text).digest("hex");

const temp = useTempDir();

const entry = (url: string, n: number): IndexEntry => ({ url, name: "a.png", etag: `"${n}"`, lastModified: null, sha256: sha256(String(n)), size: n });
const line = (e: IndexEntry, at: number) => `${JSON.stringify({ format: 1, at, ...e })}\n`;
const journalDir = () => path.join(temp.dir, "journal");
const journals = async () => (await readdir(journalDir())).sort();


describe("a cache made before the journals", () => {
  let replica: Replica;
  beforeAll(async () => {
    replica = await startReplica();
    replica.catalogue.addAsset(minimalAsset("old-layout", { files: [{ path: "old.png", body: Buffer.from("an old file") }] }));
  });
  afterAll(async () => {
    await replica.close();
  });

  it("keeps working: its per-URL record is read (offline, and for a conditional request), and a newer journal line wins", async () => {
    const first = createClient({ url: replica.url, cacheDir: temp.dir, retries: 0 });
    const [file] = (await first.describe("old-layout")).files;
    const stored = await first.fetchFile(file!);
    await first.close();
    // What the earlier version left on disk: no journal/, and the entry as index/<sha256(url)>.json.
    await rm(journalDir(), { recursive: true });
    const record = path.join(temp.dir, "index", `${sha256(file!.url)}.json`);
    await mkdir(path.dirname(record), { recursive: true });
    const { url, name, etag, sha256: digest, size } = stored;
    await writeFile(record, `${JSON.stringify({ format: 1, url, name, etag, lastModified: null, sha256: digest, size })}\n`);

    const client = createClient({ url: replica.url, cacheDir: temp.dir, retries: 0 });
    try {
      expect(await client.fetchFile(file!, { offline: true })).toMatchObject({ transfer: "none", path: stored.path, etag });
      replica.requests.reset();
      expect((await client.fetchFile(file!)).transfer).toBe("revalidated");
      expect(replica.requests.filter((r) => r.pathname.endsWith("/old.png")).map((r) => r.headers["if-none-match"])).toEqual([etag]);
      // The site changed the file: the new entry goes to the journal and wins over the old record.
      replica.catalogue.setFileContent("old-layout", "old.png", Buffer.from("a new file"));
      const changed = await client.fetchFile(file!);
      expect(changed.transfer).toBe("downloaded");
      expect(await (await Cache.open(temp.dir)).readEntry(file!.url)).toMatchObject({ sha256: changed.sha256 });
      expect(await readFile(record, "utf8")).toContain(digest); // never rewritten
    } finally {
      await client.close();
    }
  });
});

describe("journals", () => {
  it("skip a torn last line (a write cut short) and keep the lines before it", async () => {
    const whole = entry("https://opengameart.org/a.png", 1);
    const torn = line(entry("https://opengameart.org/b.png", 2), 2);
    await mkdir(journalDir(), { recursive: true });
    await writeFile(path.join(journalDir(), "1-otherhost-1-abc.index.jsonl"), line(whole, 1) + torn.slice(0, torn.length - 10));
    const cache = await Cache.open(temp.dir);
    expect(await cache.readEntry(whole.url)).toEqual(whole);
    expect(await cache.readEntry("https://opengameart.org/b.png")).toBeUndefined();
    // This process appends to a journal of its own, never behind the torn line.
    await cache.writeEntry(entry("https://opengameart.org/b.png", 3));
    expect(await (await Cache.open(temp.dir)).readEntry("https://opengameart.org/b.png")).toMatchObject({ size: 3 });
  });

  it("the latest line for a URL wins, across journals, whatever their order", async () => {
    const url = "https://opengameart.org/a.png";
    await mkdir(journalDir(), { recursive: true });
    await writeFile(path.join(journalDir(), "2-otherhost-1-abc.index.jsonl"), line(entry(url, 1), 100) + line(entry(url, 3), 300));
    await writeFile(path.join(journalDir(), "1-otherhost-2-abc.index.jsonl"), line(entry(url, 2), 200));
    expect(await (await Cache.open(temp.dir)).readEntry(url)).toEqual(entry(url, 3));
  });

  it("two processes appending at once: every line whole, every URL's entry one of theirs", async () => {
    const count = 400;
    await Cache.open(temp.dir);
    const outputs = await Promise.all(["one", "two"].map((label) => run(process.execPath, ["--import", "tsx", writer, temp.dir, label, String(count)])));
    expect(outputs.map((o) => o.stdout)).toEqual(["done\n", "done\n"]);
    const names = await journals();
    expect(names).toHaveLength(2);
    for (const name of names) {
      const lines = (await readFile(path.join(journalDir(), name), "utf8")).split("\n");
      expect(lines.pop()).toBe("");
      expect(lines).toHaveLength(count);
      for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
    }
    const cache = await Cache.open(temp.dir);
    for (const label of ["one", "two"]) {
      for (let i = 1; i < count; i += 2) expect(await cache.readEntry(`https://opengameart.org/${label}/${i}.png`)).toMatchObject({ etag: `"${label}-${i}"` });
    }
    for (let k = 0; k < 20; k += 2) {
      // Both writers' last line for it is their entry `count - 20 + k`; either may win.
      expect((await cache.readEntry(`https://opengameart.org/shared/${k}.png`))?.etag).toMatch(new RegExp(`^"(one|two)-${count - 20 + k}"$`));
    }
  });

  it(`of gone writers, once more than ${COMPACT_PAST}, are merged into one holding the latest line per URL; a live writer's is left alone`, async () => {
    const url = (i: number) => `https://opengameart.org/${i}.png`;
    await mkdir(journalDir(), { recursive: true });
    const gone: string[] = [];
    for (let i = 0; i <= COMPACT_PAST; i++) {
      const name = goneWriterJournal(i);
      gone.push(name);
      // Each journal has its own URL and a newer line for the shared URL 0.
      await writeFile(path.join(journalDir(), name), line(entry(url(i + 1), i + 1), i) + line(entry(url(0), i), 1000 + i));
    }
    const live = `5-${JOURNAL_HOST}-${process.pid}-000000000000.index.jsonl`;
    await writeFile(path.join(journalDir(), live), line(entry(url(99), 99), 5));
    await writeFile(path.join(journalDir(), "6-otherhost-1-000000000000.index.jsonl"), line(entry(url(98), 98), 6) + "{torn");

    const cache = await Cache.open(temp.dir);
    expect(await cache.readEntry(url(0))).toEqual(entry(url(0), COMPACT_PAST));
    const after = await journals();
    expect(after).toHaveLength(3);
    expect(after).toContain(live);
    expect(after).toContain("6-otherhost-1-000000000000.index.jsonl");
    for (const name of gone) expect(after).not.toContain(name);
    expect(await readdir(path.join(temp.dir, "tmp"))).toEqual([]);
    const reopened = await Cache.open(temp.dir);
    for (let i = 0; i <= COMPACT_PAST + 1; i++) expect(await reopened.readEntry(url(i)), url(i)).toEqual(entry(url(i), i === 0 ? COMPACT_PAST : i));
    expect(await reopened.readEntry(url(98))).toEqual(entry(url(98), 98));
    expect(await reopened.readEntry(url(99))).toEqual(entry(url(99), 99));
  });
});
