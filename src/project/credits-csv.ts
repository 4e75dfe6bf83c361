/**
 * Credits as the `CREDITS.csv` the Liberated Pixel Cup projects keep (the Universal LPC
 * Spritesheet Character Generator's layout): `filename,notes,authors,licenses,urls`, one row per
 * file, lists inside a cell joined by commas. So the rows drop into a project that keeps one.
 *
 * Written per RFC 4180 (every cell quoted, `"` doubled, CRLF line ends). Every cell is the
 * uploader's text and a CSV file is opened in spreadsheets: a cell that would start a formula
 * gets a leading `'`, and line breaks and control characters become spaces.
 */
import { lockedEntryPaths } from "../store/locked-entries.js";
import type { LockedAsset } from "../store/lockfile.js";
import type { Credit } from "./credits.js";

/** The header row, as the LPC projects write it. */
export const CREDITS_CSV_HEADER = ["filename", "notes", "authors", "licenses", "urls"] as const;

/** The files of an asset that ship, as paths inside the asset (`battleThemeA.mp3`, `pack.zip/dir/b.wav`). */
export type ShippedFiles = (id: string) => readonly string[];

/**
 * The CSV document: a row per shipped file (`filename` is `<asset id>/<file>`, the path an
 * `oga:` import names it by), in credit order then file order. An asset with no file listed
 * still gets one row, named by its id, so no credited asset is dropped.
 */
export function creditsCsv(credits: readonly Credit[], shippedFiles: ShippedFiles): string {
  const rows: string[][] = [];
  for (const credit of credits) {
    const files = [...new Set(shippedFiles(credit.id))].sort();
    const cells = [notes(credit), [credit.author, ...credit.collaborators].map((p) => p.name).join(","), credit.license, credit.pageUrl];
    for (const file of files.length > 0 ? files.map((f) => `${credit.id}/${f}`) : [credit.id]) rows.push([file, ...cells]);
  }
  return [CREDITS_CSV_HEADER.join(","), ...rows.map((row) => row.map(csvCell).join(","))].map((line) => `${line}\r\n`).join("");
}

/** The title, the other licenses on offer and the author's own attribution request. */
function notes(credit: Credit): string {
  const parts = [credit.title];
  const others = credit.licenses.filter((name) => name !== credit.license);
  if (others.length > 0) parts.push(`also offered under ${others.join(", ")}`);
  if (credit.attribution.trim()) parts.push(`attribution requested: ${credit.attribution}`);
  return parts.join("; ");
}

/**
 * One quoted cell. Spreadsheets run a cell starting with `=`, `+`, `-` or `@` (and their
 * full-width forms) as a formula, so such a cell gets a leading `'` (OWASP's advice).
 */
export function csvCell(value: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
  const safe = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/.test(flat) ? `'${flat}` : flat;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * What the lockfile says ships of an asset: every file it pins (has a sha256 for) and every zip
 * entry a build used. `oga credits` has no bundle to look at; a build lists exactly what it emitted.
 */
export function pinnedFiles(asset: Pick<LockedAsset, "files">): string[] {
  const names: string[] = [];
  for (const [name, file] of Object.entries(asset.files)) {
    if (file.sha256 !== undefined) names.push(name);
    for (const entry of lockedEntryPaths(file.entries)) names.push(`${name}/${entry}`);
  }
  return names.sort();
}
