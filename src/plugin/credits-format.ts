/**
 * Credit records and their text forms (Markdown, JSON, plain text). Framework-free: the plugin
 * (`oga:credits`, `CREDITS.md`, `credits.json`) and `oga credits` print the same thing.
 */
import type { LockedAsset } from "../store/lockfile.js";
import type { LicenseFacts } from "./license-policy.js";

/** One OpenGameArt asset as `oga:credits`, `credits.json` and `oga credits --format json` list it. */
export interface Credit {
  /** The asset id (page slug): `"battle-theme-a"`. */
  id: string;
  title: string;
  /** The asset's page on the site. */
  pageUrl: string;
  /** The author as credited on the page; `url` is their profile or own site, `null` when the page gives none. */
  author: { name: string; url: string | null };
  /** The license this project uses (the first allowed one it is offered under). */
  license: string;
  /** That license's deed, or `null` for a license this package does not know. */
  licenseUrl: string | null;
  /** The chosen license requires derivatives to be shared alike (CC-BY-SA, GPL, LGPL). */
  shareAlike: boolean;
  /** Every license the asset is offered under, in page order. */
  licenses: string[];
  /** The author's own attribution instructions as plain text (`""` when the page has none). */
  attribution: string;
  /** A ready-made credit line: title, author, license and source (TASL). */
  text: string;
}

/** The credit for a locked asset under the chosen license. */
export function creditFor(id: string, asset: Pick<LockedAsset, "title" | "pageUrl" | "author" | "licenses" | "attribution">, license: LicenseFacts): Credit {
  const credit: Omit<Credit, "text"> = {
    id,
    title: asset.title,
    pageUrl: asset.pageUrl,
    author: { name: asset.author.name, url: asset.author.url },
    license: license.name,
    licenseUrl: license.url,
    shareAlike: license.shareAlike,
    licenses: [...asset.licenses],
    attribution: asset.attribution,
  };
  return { ...credit, text: creditLine(credit) };
}

/** `"Battle Theme A" by cynicmusic, licensed CC-BY 3.0 (https://…/by/3.0/), from https://…/content/battle-theme-a` */
export function creditLine(credit: Omit<Credit, "text">): string {
  const license = credit.licenseUrl ? `${credit.license} (${credit.licenseUrl})` : credit.license;
  return `"${credit.title}" by ${credit.author.name}, licensed ${license}, from ${credit.pageUrl}`;
}

/**
 * Stable order: by asset id, code-unit order (not locale order, which differs between machines),
 * so the same bundle always yields the same list and the same content hash.
 */
export function sortCredits(credits: Iterable<Credit>): Credit[] {
  return [...credits].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The text forms. */
export type CreditsFormat = "md" | "json" | "text";

/** The format a credits file gets from its name, like Vite's `build.license`: `.json` → JSON, `.txt` → text, else Markdown. */
export function formatForFileName(fileName: string): CreditsFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".txt")) return "text";
  return "md";
}

/** The credits as a whole document, ending in a newline. */
export function formatCredits(credits: readonly Credit[], format: CreditsFormat): string {
  if (format === "json") return JSON.stringify(credits, null, 2) + "\n";
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
