/**
 * Extraction records are written in batches a moment after the extractions, so a `**` glob over
 * thousands of entries creates a few files, not thousands; but a build or a CLI command that ends
 * writes them before it returns, so nothing writes into the cache once it has (a caller may remove
 * or copy the cache right then). Real zips, extracted by the store as a build extracts them.
 */
import { createHash } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { zip } from "../replica/zip.js";
import { closeSharedStores } from "../../src/project/resolve-asset.js";
import { extractEntry } from "../../src/store/archive-extract.js";
import { Cache } from "../../src/store/cache.js";
import { useTempDir } from "./setup.js";
import { writeExtractionRecords } from "../../src/store/extraction-index.js";

const temp = useTempDir("file");
let cache: Cache;
beforeAll(async () => {
  cache = await Cache.open(path.join(temp.dir, "cache"));
});

/** A zip on disk with the given entries, as the store sees a downloaded one. */
async function archive(name: string, entries: string[]) {
  const bytes = zip(entries.map((entry) => ({ name: entry, data: Buffer.from(`${name}/${entry}\n`) })));
  const file = path.join(temp.dir, name);
  await writeFile(file, bytes);
  return { path: file, sha256: createHash("sha256").update(bytes).digest("hex"), label: name };
}

/** What the batch files of one archive record, entry path → blob sha256. */
async function recorded(sha256: string): Promise<Record<string, string>> {
  const folder = path.join(cache.dir, "archives", sha256);
  const out: Record<string, string> = {};
  for (const name of await readdir(folder).catch(() => [])) {
    const record = JSON.parse(await readFile(path.join(folder, name), "utf8")) as { entries: { path: string; sha256: string }[] };
    for (const entry of record.entries) out[entry.path] = entry.sha256;
  }
  return out;
}

it("writes the pending batch at once when asked, all the extractions in one file", async () => {
  const pack = await archive("a.zip", ["one.txt", "two.txt"]);
  const one = await extractEntry(cache, pack, "one.txt");
  const two = await extractEntry(cache, pack, "two.txt");
  await writeExtractionRecords();
  expect(await recorded(pack.sha256)).toEqual({ "one.txt": one.sha256, "two.txt": two.sha256 });
  expect(await readdir(path.join(cache.dir, "archives", pack.sha256))).toHaveLength(1);
  // Nothing is left pending: asking again writes no second batch.
  await writeExtractionRecords();
  expect(await readdir(path.join(cache.dir, "archives", pack.sha256))).toHaveLength(1);
});

it("closing the shared stores (what the CLI does before it exits) writes them too", async () => {
  const pack = await archive("b.zip", ["three.txt"]);
  const three = await extractEntry(cache, pack, "three.txt");
  await closeSharedStores();
  expect(await recorded(pack.sha256)).toEqual({ "three.txt": three.sha256 });
});

it("left alone, the batch is written by itself shortly after", async () => {
  const pack = await archive("c.zip", ["four.txt"]);
  const four = await extractEntry(cache, pack, "four.txt");
  await expect.poll(() => recorded(pack.sha256), { timeout: 5000 }).toEqual({ "four.txt": four.sha256 });
});
