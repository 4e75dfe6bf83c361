/**
 * What was extracted from each archive: entry path → the sha256 and size of its blob, so a
 * rebuild reuses blobs without opening the zip.
 *
 * An entry of given archive bytes always inflates to the same blob, so these records are facts
 * that never change: they can be written by any number of processes without a lock and merged by
 * union. Each process writes what it extracted in batches, one file per batch under
 * `<cache>/archives/<archive sha256>/`, instead of one file per entry: a `**` glob over a pack
 * extracts thousands of entries, and on a slow disk every file created costs as much as the
 * extraction itself. A reader loads the folder once per process; once it holds many batch files
 * it merges them into one. A batch lost in a crash costs only a re-extraction.
 */
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Cache } from "./cache.js";
import { isSha256, readJsonOrUndefined } from "./fs-utils.js";

/** The blob an entry inflates to. */
export interface ExtractedBlob {
  sha256: string;
  size: number;
}

const FORMAT = 1;
/** Batch files in one archive's folder past which a reader merges them into one. */
const MERGE_PAST = 16;
/** How long extractions are collected before their batch is written. */
const BATCH_DELAY_MS = 50;
/** Archives whose index this process keeps in memory (most recently used). */
const REMEMBERED = 32;

const indexes = new Map<string, ExtractionIndex>();
/** Indexes holding extractions whose batch is not written yet (whether or not still remembered above). */
const waiting = new Set<ExtractionIndex>();
/** Batch writes in progress. */
const writes = new Set<Promise<void>>();

/** The extraction index of one archive (by its sha256) in one cache, shared in this process. */
export function extractionIndex(cache: Cache, archiveSha256: string): ExtractionIndex {
  const key = `${cache.dir}\0${archiveSha256}`;
  let index = indexes.get(key);
  if (index) indexes.delete(key);
  else index = new ExtractionIndex(cache, path.join(cache.dir, "archives", archiveSha256));
  indexes.set(key, index);
  while (indexes.size > REMEMBERED) indexes.delete(indexes.keys().next().value!);
  return index;
}

/**
 * Writes the batches of every extraction recorded so far in this process now, rather than after
 * the batch delay, and resolves once every batch write under way has ended. A build calls it before
 * it ends, so nothing writes into the cache after the build has returned: its caller may copy or
 * remove the cache at once. A failed write is not reported (see {@link ExtractionIndex.remember}).
 */
export async function writeExtractionRecords(): Promise<void> {
  for (const index of waiting) index.writeBatch();
  await Promise.all(writes);
}

/** Entries of one archive's records; a record that does not read as one is skipped ("not extracted"). */
function entriesOf(record: unknown): [string, ExtractedBlob][] {
  if (typeof record !== "object" || record === null || (record as { format?: unknown }).format !== FORMAT) return [];
  const r = record as { path?: unknown; sha256?: unknown; size?: unknown; entries?: unknown };
  // A single entry per file, as earlier versions wrote them, or a batch.
  const items = Array.isArray(r.entries) ? (r.entries as unknown[]) : [r];
  const out: [string, ExtractedBlob][] = [];
  for (const item of items) {
    const e = item as { path?: unknown; sha256?: unknown; size?: unknown } | null;
    if (e && typeof e.path === "string" && isSha256(e.sha256) && typeof e.size === "number" && Number.isSafeInteger(e.size) && e.size >= 0) {
      out.push([e.path, { sha256: e.sha256, size: e.size }]);
    }
  }
  return out;
}

export class ExtractionIndex {
  #known: Promise<Map<string, ExtractedBlob>> | undefined;
  #pending: { path: string; sha256: string; size: number }[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cache: Cache,
    private readonly dir: string,
  ) {}

  /** The blob recorded for `entryPath`, if any (the caller checks that the blob is still intact). */
  async lookup(entryPath: string): Promise<ExtractedBlob | undefined> {
    return (await this.#load()).get(entryPath);
  }

  /** Records an extraction; written to disk with the others of its batch shortly after. */
  remember(entryPath: string, blob: ExtractedBlob): void {
    void this.#load().then((known) => known.set(entryPath, blob), () => undefined);
    this.#pending.push({ path: entryPath, ...blob });
    waiting.add(this);
    // Keeps the process alive for one short delay, so a batch is never lost to a normal exit.
    this.#timer ??= setTimeout(() => this.writeBatch(), BATCH_DELAY_MS);
  }

  /** Starts writing the extractions remembered since the last batch, as one batch file. */
  writeBatch(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    waiting.delete(this);
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    const write = this.#write(batch).catch(() => {
      // The blobs are in place; without their record the next process extracts them again.
    });
    writes.add(write);
    void write.then(() => writes.delete(write));
  }

  #load(): Promise<Map<string, ExtractedBlob>> {
    const loading = (this.#known ??= this.#read());
    loading.catch(() => {
      if (this.#known === loading) this.#known = undefined;
    });
    return loading;
  }

  async #read(): Promise<Map<string, ExtractedBlob>> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => name.endsWith(".json"));
    } catch {
      return new Map(); // no folder: nothing extracted yet (an unreadable one: the same, as for every record)
    }
    const known = new Map<string, ExtractedBlob>();
    for (const name of names) for (const [entryPath, blob] of entriesOf(await readJsonOrUndefined(path.join(this.dir, name)))) known.set(entryPath, blob);
    if (names.length > MERGE_PAST) await this.#merge(known, names);
    return known;
  }

  /** Replaces the batch files read with one holding them all (best-effort: a reader racing it re-extracts at worst). */
  async #merge(known: Map<string, ExtractedBlob>, names: string[]): Promise<void> {
    try {
      await this.#write([...known].map(([entryPath, blob]) => ({ path: entryPath, ...blob })));
      await Promise.all(names.map((name) => rm(path.join(this.dir, name), { force: true })));
    } catch {
      // A read-only or full cache keeps its batch files; reading them still works.
    }
  }

  #write(entries: { path: string; sha256: string; size: number }[]): Promise<void> {
    // A fresh, unique name per batch (the temp file naming scheme), so writers never collide.
    const file = path.join(this.dir, `${path.basename(this.cache.tempPath("batch"), ".tmp")}.json`);
    return this.cache.writeRecord(file, { format: FORMAT, entries });
  }
}
