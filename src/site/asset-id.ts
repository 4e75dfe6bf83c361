/**
 * Turns what a user types (a slug, a page path or a page URL) into the asset id and its page URL.
 */
import { OgaError } from "../errors.js";
import { isCanonicalSiteUrl } from "./site-url.js";

const EXAMPLE = `a slug like "battle-theme-a", "/content/battle-theme-a" or "https://opengameart.org/content/battle-theme-a"`;

/**
 * Encodes a decoded slug the way the site does (PHP `rawurlencode`): besides what
 * `encodeURIComponent` escapes, `!'()*` are escaped too, so our URLs match the site's byte for byte.
 */
export function encodeSlug(slug: string): string {
  return encodeURIComponent(slug).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function badInput(input: string, why: string): OgaError {
  return new OgaError("OGA_BAD_INPUT", `invalid asset id ${JSON.stringify(input)}: ${why}; expected ${EXAMPLE}`);
}

/** Decodes and checks one slug; returns it decoded (the id form). */
function normaliseSlug(input: string, raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch (cause) {
    throw new OgaError("OGA_BAD_INPUT", `invalid asset id ${JSON.stringify(input)}: malformed percent-encoding; expected ${EXAMPLE}`, { cause });
  }
  if (decoded === "") throw badInput(input, "it is empty");
  if (decoded === "." || decoded === ".." || decoded.includes("..")) throw badInput(input, `".." is not allowed`);
  if (/[/\\]/.test(decoded)) throw badInput(input, "slashes are not allowed in a slug");
  if (/[?#]/.test(decoded)) throw badInput(input, "query strings and fragments are not allowed");
  // Slugs never hold whitespace or control characters; seeing one usually means a title was typed.
  if (/[\s\u0000-\u001f\u007f]/.test(decoded)) throw badInput(input, "slugs contain no spaces (use the page's slug, not its title)");
  return decoded;
}

/**
 * Resolves an asset reference against the site.
 *
 * Accepts a slug (`battle-theme-a`; percent-encoded UTF-8 or raw Unicode, which is encoded),
 * a root-relative path (`/content/<slug>`, `/node/<n>`) or a full page URL on `origin` or on
 * opengameart.org (the same page when `origin` is a mirror).
 * The id is the decoded slug (`música-de-batalla`, readable in lockfiles and credits); the page
 * URL carries it in the site's percent-encoding. For `/node/<n>` the slug is unknown until
 * the page is read, so the id is `node/<n>` until the parser reads the page's canonical URL.
 *
 * @throws OgaError `OGA_BAD_INPUT` for anything else, with an example of a valid id.
 */
export function assetPageUrl(origin: string, idOrUrl: string): { id: string; pageUrl: string } {
  const input = idOrUrl.trim();
  if (input === "") throw badInput(idOrUrl, "it is empty");
  const site = new URL(origin);
  const base = site.origin;

  let path: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    let url: URL;
    try {
      url = new URL(input);
    } catch (cause) {
      throw new OgaError("OGA_BAD_INPUT", `invalid asset URL ${JSON.stringify(input)}; expected ${EXAMPLE}`, { cause });
    }
    // http/https mismatches are common when pasting links; the host is what identifies the site.
    // A page on opengameart.org is also the mirror's page: the path is the same.
    if ((url.protocol !== "http:" && url.protocol !== "https:") || (url.host !== site.host && !isCanonicalSiteUrl(url))) {
      throw badInput(input, `it is not a page on ${base}`);
    }
    if (url.search !== "") throw badInput(input, "query strings are not allowed");
    path = url.pathname;
  } else if (input.startsWith("/")) {
    if (/[?#]/.test(input)) throw badInput(input, "query strings and fragments are not allowed");
    path = input;
  } else {
    const slug = normaliseSlug(input, input);
    return { id: slug, pageUrl: `${base}/content/${encodeSlug(slug)}` };
  }

  const trimmed = path.replace(/\/+$/, "");
  const node = /^\/node\/(\d+)$/.exec(trimmed);
  if (node) return { id: `node/${node[1]}`, pageUrl: `${base}/node/${node[1]}` };
  const content = /^\/content\/(.+)$/.exec(trimmed);
  if (!content) throw badInput(input, "the path is not /content/<slug> or /node/<number>");
  const slug = normaliseSlug(input, content[1]!);
  return { id: slug, pageUrl: `${base}/content/${encodeSlug(slug)}` };
}

/** The page URL of an asset id (`node/<n>` ids keep their `/node/` address). */
export function pageUrlOfId(origin: string, id: string): string {
  const base = new URL(origin).origin;
  return id.startsWith("node/") ? `${base}/${id}` : `${base}/content/${encodeSlug(id)}`;
}

/**
 * The asset id a page URL names (`/content/<slug>` → the decoded slug,
 * `/node/<n>` → `node/<n>`), or `null` when the URL is not an asset page.
 */
export function assetIdFromPageUrl(pageUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return null;
  }
  const path = url.pathname.replace(/\/+$/, "");
  const node = /^\/node\/(\d+)$/.exec(path);
  if (node) return `node/${node[1]}`;
  const content = /^\/content\/([^/]+)$/.exec(path);
  if (!content) return null;
  try {
    return decodeURIComponent(content[1]!);
  } catch {
    return null;
  }
}
