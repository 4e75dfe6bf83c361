/**
 * What differs between two versions of a locked asset, for `oga update` (what it changed) and
 * `oga outdated` (what it would change). Pure: no IO.
 */
import type { LockedAsset, LockedFile } from "../store/lockfile.js";

/** Asset fields that change what a build credits or imports. */
export const META_FIELDS = ["pageUrl", "title", "author", "collaborators", "licenses", "licenseUrls", "attribution", "type", "main"] as const;
export type MetaField = (typeof META_FIELDS)[number];

/** Per-file facts a change can touch. */
export const FILE_FIELDS = ["url", "size", "etag", "sha256"] as const;
export type FileField = (typeof FILE_FIELDS)[number];

export interface MetaChange {
  field: MetaField;
  before: unknown;
  after: unknown;
}

export type FileChange =
  | { kind: "added"; name: string; after: LockedFile }
  | { kind: "removed"; name: string; before: LockedFile }
  | { kind: "changed"; name: string; before: LockedFile; after: LockedFile; fields: FileField[] };

/** Everything that differs for one asset; `removed` when the asset itself is gone upstream. */
export interface AssetChanges {
  id: string;
  meta: MetaChange[];
  files: FileChange[];
}

/** True when the asset has any change worth reporting. */
export function hasChanges(changes: AssetChanges): boolean {
  return changes.meta.length > 0 || changes.files.length > 0;
}

/**
 * Compares `before` with `after`. A file field only counts when both sides know it: a file that
 * was never downloaded has no sha256, and `oga outdated` learns a changed file's ETag and size
 * without its hash, so "unknown" must not read as "changed".
 */
export function diffLockedAsset(id: string, before: LockedAsset, after: LockedAsset): AssetChanges {
  const meta: MetaChange[] = [];
  for (const field of META_FIELDS) {
    // A deed that comes or goes with its license is part of the license change, not news.
    const [was, now] = field === "licenseUrls" ? sharedDeeds(before, after) : [before[field], after[field]];
    if (!sameValue(was, now)) meta.push({ field, before: before[field], after: after[field] });
  }
  const files: FileChange[] = [];
  const names = [...new Set([...Object.keys(before.files), ...Object.keys(after.files)])].sort();
  for (const name of names) {
    const old = before.files[name];
    const now = after.files[name];
    if (!old) files.push({ kind: "added", name, after: now! });
    else if (!now) files.push({ kind: "removed", name, before: old });
    else {
      const fields = FILE_FIELDS.filter((field) => old[field] !== undefined && now[field] !== undefined && old[field] !== now[field]);
      if (fields.length > 0) files.push({ kind: "changed", name, before: old, after: now, fields });
    }
  }
  return { id, meta, files };
}

/** The deeds of the licenses both versions offer the asset under. */
function sharedDeeds(before: LockedAsset, after: LockedAsset): [Record<string, string>, Record<string, string>] {
  const shared = before.licenses.filter((name) => after.licenses.includes(name));
  const pick = (deeds: Record<string, string> | undefined): Record<string, string> =>
    Object.fromEntries(shared.filter((name) => deeds && Object.hasOwn(deeds, name)).map((name) => [name, deeds![name]!]));
  return [pick(before.licenseUrls), pick(after.licenseUrls)];
}

/**
 * Field values are JSON data (strings, lists, small records). Records compare by content, not
 * key order: a lock read back is sorted, a fresh description is in page order. An absent list or
 * record equals an empty one (a lock leaves out what a page does not have).
 */
function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "null" : `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value).sort();
    return keys.length === 0 ? "null" : `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
