/**
 * What the lockfile keeps of archive entries: the size and sha256 of each entry that a build
 * used, nested under the archive file (and under an inner archive for a zip inside a zip).
 *
 * ```json
 * "tiles.zip": { "url": "…", "sha256": "…", "size": 1234,
 *   "entries": { "png/floor.png": { "sha256": "…", "size": 96 } } }
 * ```
 * Only used entries are listed: the archive's own sha256 already pins every byte inside it, and
 * the entries say which of those bytes the game ships. Entry paths come from the zip: records
 * keyed by them have no prototype (name-record.ts).
 */
import { copyNameRecord, nameRecord } from "./name-record.js";

/** `record[key]` if it is the record's own, never something inherited (`constructor`, `toString`). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An entry of a locked archive. */
export interface LockedEntry {
  size: number;
  sha256: string;
  /** Entries used inside this entry, when it is itself an archive. */
  entries?: Record<string, LockedEntry>;
}

/** Unites two entries records of the same archive bytes; `ours` wins where both know an entry. */
export function mergeLockedEntries(
  base: Record<string, LockedEntry> | undefined,
  ours: Record<string, LockedEntry> | undefined,
): Record<string, LockedEntry> | undefined {
  if (!base) return ours;
  if (!ours) return base;
  const out = copyNameRecord(base);
  for (const [entryPath, entry] of Object.entries(ours)) {
    const other = own(base, entryPath);
    const entries = other && other.sha256 === entry.sha256 ? mergeLockedEntries(other.entries, entry.entries) : entry.entries;
    out[entryPath] = entries ? { ...entry, entries } : entry;
  }
  return out;
}

/** Every used path below an archive, as `<entry>` and `<inner.zip>/<entry>` (no leading archive name). */
export function lockedEntryPaths(entries: Record<string, LockedEntry> | undefined): string[] {
  const out: string[] = [];
  for (const [entryPath, entry] of Object.entries(entries ?? {})) {
    out.push(entryPath);
    for (const inner of lockedEntryPaths(entry.entries)) out.push(`${entryPath}/${inner}`);
  }
  return out;
}

/**
 * Records `entry` at `chain` (entry paths, outermost first) inside `entries`, in place (a glob
 * over a pack records thousands, one at a time: copying the record each time would be
 * quadratic). The outer archives of the chain must be recorded already. Returns whether
 * anything changed.
 */
export function recordLockedEntry(entries: Record<string, LockedEntry>, chain: readonly string[], entry: { size: number; sha256: string }): boolean {
  const [head, ...rest] = chain;
  if (head === undefined) return false;
  const before = own(entries, head);
  if (rest.length === 0) {
    if (before && before.sha256 === entry.sha256 && before.size === entry.size) return false;
    // Entries used inside it stay recorded while its bytes stay the same.
    entries[head] = { size: entry.size, sha256: entry.sha256, ...(before?.sha256 === entry.sha256 && before.entries && { entries: before.entries }) };
    return true;
  }
  if (!before) return false; // the outer archive is recorded first
  const inner = before.entries ?? nameRecord<LockedEntry>();
  if (!recordLockedEntry(inner, rest, entry)) return false;
  before.entries = inner;
  return true;
}

/** The locked entry at `chain`, if recorded. */
export function lockedEntryAt(entries: Record<string, LockedEntry> | undefined, chain: readonly string[]): LockedEntry | undefined {
  let current: LockedEntry | undefined;
  let level = entries;
  for (const step of chain) {
    current = level && own(level, step);
    if (!current) return undefined;
    level = current.entries;
  }
  return current;
}

/**
 * Every path of a locked asset a specifier can name: its files, and `<file>/<entry>` for each
 * archive entry a build used (sorted). Declarations list these as exact modules and record keys.
 */
export function lockedAssetPaths(asset: { files: Record<string, { entries?: Record<string, LockedEntry> }> }): string[] {
  const out: string[] = [];
  for (const [name, file] of Object.entries(asset.files)) {
    out.push(name);
    for (const inner of lockedEntryPaths(file.entries)) out.push(`${name}/${inner}`);
  }
  return out.sort();
}
