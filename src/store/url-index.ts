/**
 * The cache's index of file URLs: for each URL, the last body stored for it and its validators.
 *
 * Kept as append-only journals, one per writing process: `journal/<time>-<host>-<pid>-<random>.jsonl`,
 * one JSON line per entry. Storing an entry appends a line to a file that already exists, where
 * a record file per URL took a temp file and a rename: creating a file is what costs (~0.1 ms
 * timed alone on the bench machine, against ~4 µs for an append, and several times more while
 * bodies are being written; bench `cold`).
 *
 * - Atomic entries: only its own process writes a journal, so lines never interleave, and a
 *   line is one write. A line cut short (a full disk, a crash mid-write) does not parse and is
 *   skipped, as is anything else that is not a valid entry; after a failed write the process
 *   starts a new journal rather than append behind a torn line.
 * - Last writer wins: a line carries the time it was written; the latest line for a URL wins,
 *   and within a journal a later line wins a tie.
 * - Visibility: the journals are read on the first lookup of a {@link UrlIndex}; lines other
 *   processes append after that are seen by the next `Cache.open`. A stale entry costs a
 *   conditional request at worst, never a wrong file: its blob is checked before it is used.
 * - Caches written before the journals (format 1 records, `index/<sha256(url)>.json`) keep
 *   working: a URL no journal knows is looked up there. Nothing writes those records any more.
 * - Compaction: once more than {@link COMPACT_PAST} journals belong to processes of this host
 *   that are gone, a reader merges their latest lines into one new journal (temp file, rename)
 *   and only then removes them. Two readers compacting at once leave duplicates, never a loss.
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { cacheIoError } from "./cache-errors.js";
import { isNotFound, isSha256, readSmallJsonOrUndefined, sha256Hex, tempPath, tempWriterIsGone } from "./fs-utils.js";

/** What the cache knows about one file URL: the last body it stored for it and its validators. */
export interface IndexEntry {
  url: string;
  /** The file name as the asset lists it; the blob basename is `blobFileName(name)`. */
  name: string;
  etag: string | null;
  lastModified: string | null;
  sha256: string;
  size: number;
}

/** Format of an entry, in a journal line and in a per-URL record; another format reads as absent. */
export const ENTRY_FORMAT = 1;
/** Journals of gone writers past which a reader merges them into one. */
export const COMPACT_PAST = 16;
const JOURNAL_SUFFIX = ".jsonl";

interface Dated {
  entry: IndexEntry;
  /** When the line was written (ms since the epoch). */
  at: number;
}

/** The index of one cache directory, as one `Cache` sees it. */
export class UrlIndex {
  #known: Map<string, Dated> | undefined;
  /** Whether `index/` exists: a cache made since the journals has none, and a lookup there is a syscall per download. */
  #hasRecords = true;
  /** This index's own journal: named on the first append, replaced after a failed write. */
  #journal: string | undefined;

  /**
   * @param cacheDir the cache, for error messages
   * @param journalDir `<cache>/journal`
   * @param recordDir `<cache>/index`, the per-URL records of earlier versions
   * @param tmpDir `<cache>/tmp`, for compaction's temp file
   */
  constructor(
    private readonly cacheDir: string,
    private readonly journalDir: string,
    private readonly recordDir: string,
    private readonly tmpDir: string,
  ) {}

  /** The entry for `url`, or `undefined`. Synchronous: asked once per download, and cheap. */
  get(url: string): IndexEntry | undefined {
    const known = this.#load().get(url)?.entry;
    return known ?? (this.#hasRecords ? this.#record(url) : undefined);
  }

  /**
   * Appends `entry` to this index's journal (creating it, and `journal/` when removed, on the
   * first append).
   *
   * @throws OgaError `OGA_CACHE` naming the journal and the system error.
   */
  append(entry: IndexEntry): void {
    const at = Date.now();
    const line = Buffer.from(journalLine({ entry, at }));
    const journal = (this.#journal ??= this.#newJournalPath());
    try {
      appendLine(journal, line, this.journalDir);
    } catch (error) {
      this.#journal = undefined; // never append behind a line that may be torn
      throw cacheIoError(error, journal, "write", this.cacheDir);
    }
    this.#known?.set(entry.url, { entry, at });
  }

  #load(): Map<string, Dated> {
    if (this.#known) return this.#known;
    const known = new Map<string, Dated>();
    this.#hasRecords = existsSync(this.recordDir);
    const gone: { name: string; lines: Dated[] }[] = [];
    for (const name of this.#journals()) {
      const file = path.join(this.journalDir, name);
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        if (isNotFound(error)) continue; // compacted by another process meanwhile
        throw cacheIoError(error, file, "read", this.cacheDir);
      }
      const lines = journalLines(text);
      for (const line of lines) keepLatest(known, line);
      if (tempWriterIsGone(name)) gone.push({ name, lines });
    }
    this.#known = known;
    if (gone.length > COMPACT_PAST) this.#compact(gone);
    return known;
  }

  /** A journal name of this process: the temp naming scheme (time, host, pid, random), so gone writers are known. */
  #newJournalPath(): string {
    return tempPath(this.journalDir, "index").replace(/\.tmp$/, JOURNAL_SUFFIX);
  }

  #journals(): string[] {
    try {
      // Sorted: names start with their creation time, so ties between journals go to the newer one.
      return readdirSync(this.journalDir)
        .filter((name) => name.endsWith(JOURNAL_SUFFIX))
        .sort();
    } catch (error) {
      if (isNotFound(error)) return []; // a cache from before the journals, or a read-only one without them
      throw cacheIoError(error, this.journalDir, "read", this.cacheDir);
    }
  }

  /** A format 1 record file, as caches written before the journals hold them. */
  #record(url: string): IndexEntry | undefined {
    const file = path.join(this.recordDir, `${sha256Hex(url)}.json`);
    let record: unknown;
    try {
      record = readSmallJsonOrUndefined(file);
    } catch (error) {
      throw cacheIoError(error, file, "read", this.cacheDir);
    }
    return isEntryRecord(record) && record.url === url ? toEntry(record) : undefined;
  }

  /**
   * Best-effort: merges the journals of gone writers into one, then removes them. A cache this
   * process may not write (or a full disk) keeps them all; reading them still works.
   */
  #compact(gone: { name: string; lines: Dated[] }[]): void {
    const latest = new Map<string, Dated>();
    for (const { lines } of gone) for (const line of lines) keepLatest(latest, line);
    const text = [...latest.values()].map(journalLine).join("");
    const temp = tempPath(this.tmpDir, "journal");
    try {
      writeFileSync(temp, text, { flag: "wx" });
      renameSync(temp, this.#newJournalPath());
    } catch {
      try {
        rmSync(temp, { force: true });
      } catch {
        // Swept by the next Cache.open.
      }
      return;
    }
    for (const { name } of gone) {
      try {
        unlinkSync(path.join(this.journalDir, name));
      } catch {
        // Removed by another reader compacting too, or not ours to remove: its lines are merged.
      }
    }
  }
}

/**
 * Appends `line` in one write, opening the file for it: no descriptor is held between entries
 * (a cache opened by many clients in one process, a Windows user removing the cache). Recreates
 * `dir` when it was removed while the cache was open, as `Cache` recreates `tmp/`.
 */
function appendLine(file: string, line: Buffer, dir: string): void {
  let fd: number;
  try {
    fd = openSync(file, "a");
  } catch (error) {
    if (!isNotFound(error)) throw error;
    mkdirSync(dir, { recursive: true });
    fd = openSync(file, "a");
  }
  let done = 0;
  try {
    while (done < line.length) done += writeSync(fd, line, done, line.length - done);
  } catch (error) {
    // Even with nothing written (a full disk refuses the first byte): a journal this append
    // created would otherwise stay behind empty, one more per failed append.
    dropTail(fd, file, done);
    throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * Takes back the `written` bytes of a line that could not be finished (a full disk): readers
 * would skip it, but nothing half-written should stay. An emptied journal goes too.
 */
function dropTail(fd: number, file: string, written: number): void {
  try {
    const size = fstatSync(fd).size - written;
    ftruncateSync(fd, size);
    if (size === 0) unlinkSync(file);
  } catch {
    // Left as a torn line, which every reader skips.
  }
}

/** One journal line: the entry's fields and when it was written. */
function journalLine({ entry, at }: Dated): string {
  return `${JSON.stringify({ format: ENTRY_FORMAT, at, ...toEntry(entry) })}\n`;
}

/** The complete, valid lines of a journal; a torn last line and any garbage are skipped. */
export function journalLines(text: string): Dated[] {
  const out: Dated[] = [];
  const lines = text.split("\n");
  lines.pop(); // after the last newline: empty, or a line still being written (or cut short)
  for (const line of lines) {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    const at = (record as { at?: unknown } | null)?.at;
    if (isEntryRecord(record) && typeof at === "number" && Number.isFinite(at)) out.push({ entry: toEntry(record), at });
  }
  return out;
}

function keepLatest(known: Map<string, Dated>, line: Dated): void {
  const current = known.get(line.entry.url);
  if (!current || line.at >= current.at) known.set(line.entry.url, line);
}

/** Whether `value` is an entry of {@link ENTRY_FORMAT} (extra keys allowed; {@link toEntry} drops them). */
export function isEntryRecord(value: unknown): value is IndexEntry & { format: number } {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    r.format === ENTRY_FORMAT &&
    typeof r.url === "string" &&
    typeof r.name === "string" &&
    isSha256(r.sha256) &&
    typeof r.size === "number" &&
    Number.isSafeInteger(r.size) &&
    r.size >= 0 &&
    (r.etag === null || typeof r.etag === "string") &&
    (r.lastModified === null || typeof r.lastModified === "string")
  );
}

/** Copies exactly the IndexEntry fields, so extra keys never leak into or out of the index. */
export function toEntry(e: IndexEntry): IndexEntry {
  return { url: e.url, name: e.name, etag: e.etag, lastModified: e.lastModified, sha256: e.sha256, size: e.size };
}
