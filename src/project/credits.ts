/**
 * The credits model: one record per shipped asset under the license the project uses, its text
 * forms (Markdown, JSON, plain text, CSV in credits-csv.ts) and the credits files option. Framework-free: the plugin
 * (`oga:credits`, `CREDITS.md`, `credits.json`) and `oga credits` produce the same thing.
 */
import { OgaError } from "../errors.js";
import type { LockedAsset } from "../store/lockfile.js";
import { hasControls, stripControls, stripControlsKeepingLines } from "../untrusted-text.js";
import { creditsCsv, type ShippedFiles } from "./credits-csv.js";
import type { LicenseFacts, LicensePolicy } from "./license-policy.js";

/** One OpenGameArt asset as `oga:credits`, `credits.json` and `oga credits --format json` list it. */
export interface Credit {
  /** The asset id (page slug): `"battle-theme-a"`. */
  id: string;
  title: string;
  /** The asset's page on the site. */
  pageUrl: string;
  /** The author as credited on the page; `url` is their profile or own site, `null` when the page gives none. */
  author: { name: string; url: string | null };
  /** Site users who made the asset with the author (the page's "Collaborators"): credited beside the author. */
  collaborators: { name: string; url: string | null }[];
  /** The license this project uses (the first allowed one it is offered under). */
  license: string;
  /** That license's deed as the asset's page links it (else the one this package knows), or `null`. */
  licenseUrl: string | null;
  /** That license's SPDX identifier: `CC0-1.0`, `CC-BY-4.0`, `LicenseRef-OGA-BY-3.0`… (see `spdxId`). */
  spdx: string;
  /** The chosen license requires derivatives to be shared alike (CC-BY-SA, GPL, LGPL). */
  shareAlike: boolean;
  /** Every license the asset is offered under, in page order. */
  licenses: string[];
  /** The author's own attribution instructions as plain text (`""` when the page has none). */
  attribution: string;
  /** A ready-made credit line: title, author, license and source (TASL). */
  text: string;
}

/**
 * The credit for a locked asset under the chosen license. Page text is the uploader's: control
 * characters are dropped (credits end up in terminals, Markdown and game screens), and a link
 * that is not http(s) (`javascript:`, a lockfile written before links were checked) is left out.
 */
export function creditFor(
  id: string,
  asset: Pick<LockedAsset, "title" | "pageUrl" | "author" | "collaborators" | "licenses" | "licenseUrls" | "attribution">,
  license: LicenseFacts,
): Credit {
  // The deed the page links for the license as it printed it (the policy may have normalised the
  // name's case); a lock written before deeds were kept falls back to the known deed.
  const printed = asset.licenses.find((name) => name.toLowerCase() === license.name.toLowerCase()) ?? license.name;
  const deeds = asset.licenseUrls;
  const pageDeed = deeds && Object.hasOwn(deeds, printed) ? deeds[printed]! : null;
  const credit: Omit<Credit, "text"> = {
    id,
    title: stripControls(asset.title),
    pageUrl: asset.pageUrl,
    author: { name: stripControls(asset.author.name), url: webLink(asset.author.url) },
    collaborators: (asset.collaborators ?? []).map((p) => ({ name: stripControls(p.name), url: webLink(p.url) })),
    license: stripControls(license.name),
    licenseUrl: webLink(pageDeed ?? license.url),
    spdx: license.spdx,
    shareAlike: license.shareAlike,
    licenses: asset.licenses.map(stripControls),
    attribution: stripControlsKeepingLines(asset.attribution),
  };
  return { ...credit, text: creditLine(credit) };
}

/** `url` when it is an http(s) URL without control characters, else `null`. */
function webLink(url: string | null): string | null {
  if (url === null || hasControls(url)) return null;
  try {
    const { protocol } = new URL(url);
    return protocol === "https:" || protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

/**
 * `"Battle Theme A" by cynicmusic, licensed CC-BY 3.0 (https://…/by/3.0/), from https://…/content/battle-theme-a`;
 * co-authors are named with the author (`by Zane Little Music and cynicmusic`, `by A, B and C`).
 */
export function creditLine(credit: Omit<Credit, "text">): string {
  const license = credit.licenseUrl ? `${credit.license} (${credit.licenseUrl})` : credit.license;
  return `"${credit.title}" by ${namesList([credit.author, ...credit.collaborators].map((p) => p.name))}, licensed ${license}, from ${credit.pageUrl}`;
}

/** `A`, `A and B`, `A, B and C`. */
function namesList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * Stable order: by asset id, code-unit order (not locale order, which differs between machines),
 * so the same bundle always yields the same list and the same content hash.
 */
export function sortCredits(credits: Iterable<Credit>): Credit[] {
  return [...credits].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The text forms. */
export type CreditsFormat = "md" | "json" | "text" | "csv";

/**
 * The format a credits file gets from its name, like Vite's `build.license`: `.json` → JSON,
 * `.txt` → text, `.csv` → the LPC `CREDITS.csv` layout, else Markdown.
 */
export function formatForFileName(fileName: string): CreditsFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".txt")) return "text";
  if (lower.endsWith(".csv")) return "csv";
  return "md";
}

/**
 * The credits as a whole document, ending in a newline. `shippedFiles` names each asset's files
 * for the formats that list files (CSV: one row per file).
 */
export function formatCredits(credits: readonly Credit[], format: CreditsFormat, shippedFiles: ShippedFiles = () => []): string {
  if (format === "json") return JSON.stringify(credits, null, 2) + "\n";
  if (format === "csv") return creditsCsv(credits, shippedFiles);
  if (format === "text") return credits.map((c) => c.text + (c.attribution ? ` (${c.attribution.replace(/\s+/g, " ").trim()})` : "") + "\n").join("");
  return markdown(credits);
}

function markdown(credits: readonly Credit[]): string {
  const lines = ["# Credits", ""];
  if (credits.length === 0) {
    lines.push("No OpenGameArt assets are used.", "");
    return lines.join("\n");
  }
  lines.push(`This project uses ${credits.length === 1 ? "1 asset" : `${credits.length} assets`} from OpenGameArt.org.`, "");
  for (const c of credits) {
    lines.push(`## ${escapeMarkdown(c.title)}`, "");
    lines.push(`- Author: ${link(c.author.name, c.author.url)}`);
    if (c.collaborators.length > 0) lines.push(`- Collaborators: ${c.collaborators.map((p) => link(p.name, p.url)).join(", ")}`);
    const others = c.licenses.filter((name) => name !== c.license);
    lines.push(`- License: ${link(c.license, c.licenseUrl)}${others.length ? ` (also offered under ${others.map(escapeMarkdown).join(", ")})` : ""}`);
    lines.push(`- Source: <${c.pageUrl}>`);
    if (c.attribution.trim()) {
      lines.push("", "Attribution requested by the author:", "");
      for (const line of c.attribution.trim().split(/\r?\n/)) lines.push(`> ${escapeMarkdown(line)}`.trimEnd());
    }
    lines.push("");
  }
  return lines.join("\n");
}

function link(text: string, url: string | null): string {
  return url ? `[${escapeMarkdown(text)}](<${url.replace(/[<>]/g, encodeURIComponent)}>)` : escapeMarkdown(text);
}

/** Titles and names are the uploader's text: keep them from turning into links, emphasis or HTML. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|!]/g, (ch) => `\\${ch}`);
}

/** The `credits` plugin option, shaped like Vite 8's `build.license`. */
export type CreditsOption =
  | boolean
  | {
      /**
       * File name(s) relative to the output directory. A name ending in `.json` gets JSON, `.txt`
       * plain text, `.csv` the LPC `CREDITS.csv` columns (a row per shipped file), anything else
       * Markdown. Default `["CREDITS.md", "credits.json"]`.
       */
      fileName?: string | string[];
    };

/** Default credits files, written next to the bundle. */
export const DEFAULT_CREDITS_FILES = ["CREDITS.md", "credits.json"] as const;

/**
 * The credits files to emit for an option value (`true`/`undefined` → both defaults, `false` → none).
 * @throws OgaError `OGA_BAD_INPUT` for an empty or absolute name, or one that leaves the output directory.
 */
export function creditsFileNames(option: CreditsOption | undefined): string[] {
  if (option === false) return [];
  const names = option === undefined || option === true ? [...DEFAULT_CREDITS_FILES] : [option.fileName ?? [...DEFAULT_CREDITS_FILES]].flat();
  for (const name of names) {
    if (typeof name !== "string" || !name || name.startsWith("/") || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes("..")) {
      throw new OgaError("OGA_BAD_INPUT", `credits.fileName: ${JSON.stringify(name)} must be a relative path inside the output directory (e.g. "CREDITS.md" or "legal/credits.json").`);
    }
  }
  return [...new Set(names)];
}

/** The files to emit: `{ fileName, source }` per configured name. */
export function creditsFiles(fileNames: readonly string[], credits: readonly Credit[], shippedFiles?: ShippedFiles): { fileName: string; source: string }[] {
  const sorted = sortCredits(credits);
  return fileNames.map((fileName) => ({ fileName, source: formatCredits(sorted, formatForFileName(fileName), shippedFiles) }));
}

/**
 * The one summary line about share-alike and copyleft licenses, or `null` when none ships:
 * such a license can oblige the project to share its own art, or its code, alike.
 */
export function shareAlikeSummary(credits: readonly Credit[]): string | null {
  const shared = sortCredits(credits).filter((c) => c.shareAlike);
  if (shared.length === 0) return null;
  const list = shared.map((c) => `${c.id} (${c.license})`).join(", ");
  return `${shared.length === 1 ? "1 asset ships" : `${shared.length} assets ship`} under a share-alike license: ${list}. Derivatives must be shared under the same license; see the credits.`;
}

/**
 * Credits for the given asset ids from their locked records (so they work offline), each under
 * the license the policy picks.
 */
export function creditsForAssets(ids: Iterable<string>, lookup: (id: string) => LockedAsset | undefined, policy: LicensePolicy): Credit[] {
  const credits: Credit[] = [];
  for (const id of ids) {
    const asset = lookup(id);
    // Every bundled asset module was loaded through the lock session, so this is a bug, and
    // silently leaving an asset uncredited is exactly what this feature exists to prevent.
    if (!asset) throw new Error(`vite-plugin-oga: asset "${id}" is in the bundle but not in the lock session`);
    credits.push(creditFor(id, asset, policy.choose(id, asset.licenses)));
  }
  return sortCredits(credits);
}
