/**
 * How `oga update` and `oga outdated` print changes: one grep-able line per change on stdout,
 * `<id>/<file>: …` for files and `<id>: …` for the asset's own fields.
 */
import type { AssetChanges, FileChange, MetaChange } from "../project/lock-diff.js";
import type { LockedFile } from "../store/lockfile.js";
import { formatSize } from "./io.js";
import { shortHash } from "./project.js";

/** The lines for one asset's changes (none when it did not change). */
export function changeLines(changes: AssetChanges): string[] {
  return [...changes.meta.map((m) => metaLine(changes.id, m)), ...changes.files.map((f) => fileLine(changes.id, f))];
}

function metaLine(id: string, change: MetaChange): string {
  return `${id}: ${change.field} ${metaValue(change.before)} → ${metaValue(change.after)}`;
}

function metaValue(value: unknown): string {
  // Lists of names (licenses) or of people (collaborators).
  if (Array.isArray(value)) return value.length ? value.map((item) => (typeof item === "string" ? item : metaValue(item))).join(", ") : "(none)";
  if (value && typeof value === "object" && "name" in value) return String((value as { name: unknown }).name);
  // A record of deeds: `CC0 <url>, CC-BY 3.0 <url>`.
  if (value && typeof value === "object") return Object.entries(value).map(([name, url]) => `${name} <${String(url)}>`).join(", ") || "(none)";
  return value === null || value === undefined || value === "" ? "(none)" : JSON.stringify(value);
}

function fileLine(id: string, change: FileChange): string {
  const where = `${id}/${change.name}`;
  if (change.kind === "added") return `${where}: added (${formatSize(change.after.size)})`;
  if (change.kind === "removed") return `${where}: removed upstream`;
  const parts = change.fields.map((field) => `${field} ${fieldValue(change.before, field, change.after)} → ${fieldValue(change.after, field, change.before)}`);
  return `${where}: changed ${parts.join(", ")}`;
}

/** A field's value for a report; sizes fall back to exact bytes when the rounded ones look equal. */
function fieldValue(file: LockedFile, field: "url" | "size" | "etag" | "sha256", other: LockedFile): string {
  switch (field) {
    case "size":
      return formatSize(file.size) === formatSize(other.size) ? `${file.size} B` : formatSize(file.size);
    case "sha256":
      return shortHash(file.sha256);
    case "etag":
      return file.etag ?? "(none)";
    default:
      return file.url;
  }
}
