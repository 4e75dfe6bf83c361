/**
 * Reads one file link of an asset page's files field.
 */
import { attr, inlineText, type HtmlElement } from "./dom.js";
import type { LinkReader } from "./parse-people.js";
import type { AssetFile } from "./types.js";

/**
 * The file's name in this project: the decoded last path segment of its URL. The link text is
 * not used because the site stores duplicate upload names as `name_0.ext` while still showing
 * `name.ext`, and uploaders may replace the text with a description.
 */
export function fileNameFromUrl(url: URL): string {
  const segment = url.pathname.split("/").pop() ?? "";
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes: keep what the site sent rather than lose the file
  }
}

/** `type="audio/mpeg; length=3145728"` → MIME type and byte size. */
export function parseTypeAttribute(value: string | null): { mime: string | null; size: number | null } {
  if (!value) return { mime: null, size: null };
  const [mimePart, ...params] = value.split(";");
  const mime = (mimePart ?? "").trim().toLowerCase() || null;
  let size: number | null = null;
  for (const param of params) {
    const match = /^\s*length\s*=\s*(\d+)\s*$/i.exec(param);
    if (match) size = Number(match[1]);
  }
  return { mime, size };
}

/** `[12,345 download(s)]` → 12345, or `null` when the text holds no count. */
export function parseDownloadCount(text: string | null): number | null {
  if (!text) return null;
  const match = /(\d[\d,.\s]*)\s*download/i.exec(text) ?? /^\s*\[?\s*(\d[\d,]*)\s*\]?\s*$/.exec(text);
  if (!match) return null;
  const digits = match[1]!.replace(/[^\d]/g, "");
  return digits === "" ? null : Number(digits);
}

/**
 * One `AssetFile` from a file link. `countText` is the download counter shown beside it.
 * Returns `null` for a link with no usable (http or https) href.
 */
export function parseFileLink(link: HtmlElement, countText: string | null, readLink: LinkReader): AssetFile | null {
  const url = readLink(attr(link, "href"));
  if (!url) return null;
  url.hash = "";
  const name = fileNameFromUrl(url);
  if (!name) return null;
  // `download` is the name as uploaded (the stored name may have gained `_0`); the link text may
  // be a description instead, with the file name in `title`; an empty text falls back to that.
  const label = (attr(link, "download") ?? "").trim() || inlineText(link) || (attr(link, "title") ?? "").trim() || name;
  const { mime, size } = parseTypeAttribute(attr(link, "type"));
  return { name, label, url: url.href, size, mime, downloads: parseDownloadCount(countText) };
}
