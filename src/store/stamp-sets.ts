/**
 * The stamps of every blob one project's build checked, kept together in one record.
 *
 * A warm build asks the cache about every file it imports, and each answer costs a stat of the
 * blob and a read of its stamp (`stamps/<…>.json`, see `Cache.checkBlob`). The stat is what
 * detects a modified or missing blob; the read only fetches what the blob's stat fields looked
 * like when its hash was last verified. So a build leaves that knowledge for the next one in a
 * single file, `<cacheDir>/stamps/sets/<sha256(scope)>.json` (the scope is the lockfile's path and
 * the bundler environment, see {@link stampSetScope}):
 * while a set is open, the cache trusts its stamps exactly as it trusts a blob's own stamp file,
 * only when every stat field still matches, and a blob they do not vouch for is checked as
 * before. A missing, damaged or stale set costs the reads it would have saved, never a wrong
 * answer. The record holds stamps and nothing else: a blob whose bytes changed through the file
 * system has a new ctime or inode, which no set can match.
 */
import path from "node:path";
import { readSmallJsonOrUndefined, sha256Hex, writeCacheRecord } from "./fs-utils.js";

/** The stat fields that change whenever a file's bytes are written or it is replaced. */
export interface BlobStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** Bump when the record's shape changes; records of another format are ignored. */
const SET_FORMAT = 1;

interface SetRecord {
  format: number;
  scope: string;
  /** `<sha256>/<blob file name>` → `[size, mtimeMs, ctimeMs, ino]`. */
  stamps: Record<string, [number, number, number, number]>;
}

/** What this process knows of one cache directory's stamps while sets of it are open. */
interface OpenStamps {
  /** Stamps loaded from the open sets, by blob key. */
  trusted: Map<string, BlobStamp>;
  sets: Set<StampSet>;
}

const openByDir = new Map<string, OpenStamps>();

/**
 * The scope of a project's builds for one environment (Vite's `client`, `ssr` …; none under
 * Rollup): a client build and an SSR build of one project use different files, and each keeps its own set.
 */
export function stampSetScope(lockfile: string, environment: string | undefined): string {
  // NUL cannot occur in a path, so no lockfile path reads as another's with an environment.
  return environment ? `${lockfile}\0${environment}` : lockfile;
}

/** The key of a blob in sets: its hash and its file name in the cache. */
export function stampKey(sha256: string, blobName: string): string {
  return `${sha256}/${blobName}`;
}

/** A stamp an open set of `cacheDir` holds for `key`, or `undefined`. */
export function trustedStamp(cacheDir: string, key: string): BlobStamp | undefined {
  return openByDir.get(cacheDir)?.trusted.get(key);
}

/** `stamp` vouched for the blob `key` (from a set, its stamp file, or a new verification): every open set of `cacheDir` keeps it. */
export function stampVouched(cacheDir: string, key: string, stamp: BlobStamp): void {
  const open = openByDir.get(cacheDir);
  if (open) for (const set of open.sets) set.used.set(key, stamp);
}

/** The blob `key` lost its stamp (its bytes no longer hash to its name): no open set of `cacheDir` may vouch for it. */
export function stampDropped(cacheDir: string, key: string): void {
  const open = openByDir.get(cacheDir);
  if (!open) return;
  open.trusted.delete(key);
  for (const set of open.sets) set.used.delete(key);
}

/**
 * One build's set: opened at its start, closed at its end. Opening loads the stamps the last
 * build of `scope` left; closing records the stamps that vouched for a blob while it was open.
 */
export class StampSet {
  /** Stamps that vouched for a blob while this set was open, by blob key. */
  readonly used = new Map<string, BlobStamp>();
  private readonly cacheDir: string;
  private readonly file: string;
  private readonly open: OpenStamps;
  /** The stamps as loaded, as JSON of {@link stampsRecord}. */
  private readonly loadedText: string;
  private closed = false;

  /**
   * Loads the set of `scope` in the cache at `cacheDir`; its stamps are trusted until
   * {@link close}. Never throws: an unreadable set is an empty one.
   */
  constructor(
    cacheDir: string,
    private readonly scope: string,
  ) {
    this.cacheDir = path.resolve(cacheDir);
    this.file = path.join(this.cacheDir, "stamps", "sets", `${sha256Hex(scope)}.json`);
    const loaded = readSet(this.file, scope);
    this.loadedText = JSON.stringify(stampsRecord(loaded));
    let open = openByDir.get(this.cacheDir);
    if (!open) openByDir.set(this.cacheDir, (open = { trusted: new Map(), sets: new Set() }));
    for (const [key, stamp] of loaded) open.trusted.set(key, stamp);
    open.sets.add(this);
    this.open = open;
  }

  /**
   * Stops trusting the set (once no other set of the cache is open) and writes the stamps used
   * while it was open, unless they are exactly what it loaded. Best effort: a cache this process
   * may not write, or a full disk, leaves the old record, which can only cost reads.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.open.sets.delete(this);
    if (this.open.sets.size === 0) openByDir.delete(this.cacheDir);
    const stamps = stampsRecord(this.used);
    if (JSON.stringify(stamps) === this.loadedText) return;
    const record: SetRecord = { format: SET_FORMAT, scope: this.scope, stamps };
    try {
      await writeCacheRecord(this.cacheDir, this.file, record);
    } catch {
      // See above: the next build reads the blobs' own stamp files instead.
    }
  }
}

/** The `stamps` field of a record, keys sorted: two sets with the same stamps have the same JSON. */
function stampsRecord(stamps: ReadonlyMap<string, BlobStamp>): SetRecord["stamps"] {
  const record: SetRecord["stamps"] = Object.create(null) as SetRecord["stamps"];
  for (const key of [...stamps.keys()].sort()) {
    const s = stamps.get(key)!;
    record[key] = [s.size, s.mtimeMs, s.ctimeMs, s.ino];
  }
  return record;
}

/**
 * The stamps of a set record. Nothing but their shape is checked: a stamp vouches only when each
 * of its fields equals the blob's stat field, which a damaged value never does.
 */
function readSet(file: string, scope: string): Map<string, BlobStamp> {
  const stamps = new Map<string, BlobStamp>();
  let record: unknown;
  try {
    record = readSmallJsonOrUndefined(file);
  } catch {
    // Unreadable (a folder in its place): read as absent, below.
  }
  if (typeof record !== "object" || record === null) return stamps;
  const { format, scope: recordScope, stamps: entries } = record as Partial<SetRecord>;
  // Another scope's record under a colliding name, or another format: not ours to trust.
  if (format !== SET_FORMAT || recordScope !== scope) return stamps;
  for (const [key, value] of Object.entries(entries ?? {})) {
    if (!Array.isArray(value)) continue;
    const [size, mtimeMs, ctimeMs, ino] = value as unknown[] as number[];
    stamps.set(key, { size: size!, mtimeMs: mtimeMs!, ctimeMs: ctimeMs!, ino: ino! });
  }
  return stamps;
}
