/**
 * Reads an asset page (`/content/<slug>`) into an `Asset`.
 *
 * Every field is found by its Display Suite class (`field-name-…`), never by column or position:
 * the site has moved fields between columns over the years, and sidebar blocks put other `h2`s
 * before the title. Optional fields that are missing come back empty; only the title is required.
 */
import { removeElement } from "domutils";
import { OgaError } from "../errors.js";
import { assetIdFromPageUrl, pageUrlOfId } from "./asset-id.js";
import { attr, blockText, inlineText, parseHtml, selector, type HtmlElement } from "./dom.js";
import { parseSiteDate } from "./eastern-time.js";
import { parseFileLink } from "./parse-file-link.js";
import { parsePeople } from "./parse-people.js";
import type { Asset, AssetFile } from "./types.js";
import { LICENSES, findArtType, type LicenseId } from "./vocabulary.js";

const $ = {
  nodeArt: selector("div.node-art"),
  nodeCollection: selector("div.node-collection"),
  collectionMembers: selector("span.art-preview-title a[href]"),
  comments: selector("#comments"),
  title: selector('div[property="dc:title"] h2'),
  ogTitle: selector('meta[property="og:title"]'),
  htmlTitle: selector("title"),
  ogUrl: selector('meta[property="og:url"]'),
  canonical: selector('link[rel="canonical"]'),
  author: selector(".field-name-author-submitter"),
  postDate: selector(".field-name-post-date .field-item"),
  artType: selector(".field-name-field-art-type .field-item a"),
  artTypeItem: selector(".field-name-field-art-type .field-item"),
  tags: selector(".field-name-field-art-tags .field-item a"),
  licenseItems: selector(".field-name-field-art-licenses .field-item"),
  licenseName: selector(".license-name"),
  attribution: selector(".field-name-field-art-attribution .field-items"),
  copyright: selector(".field-name-field-copyright-notice .field-items"),
  body: selector('.field-name-body div[property="content:encoded"]'),
  anyBody: selector('div[property="content:encoded"]'),
  bodyItems: selector(".field-name-body .field-items"),
  previewMedia: selector(".field-name-field-art-preview img[src], .field-name-field-art-preview audio[src], .field-name-field-art-preview video[src], .field-name-field-art-preview source[src]"),
  previewLinks: selector(".field-name-field-art-preview a[href]"),
  filesField: selector(".field-name-field-art-files"),
  fileItems: selector(".field-name-field-art-files .field-item"),
  fileLinks: selector(".file a[href]"),
  dlcount: selector(".dlcount-number, .dlcount"),
  favorites: selector(".field-name-favorites .field-item"),
  collections: selector(".collect-container a[href]"),
};

const UNAVAILABLE = /file\(s\)\s+currently\s+unavailable/i;
const AUDIO_OR_IMAGE = /\.(mp3|ogg|oga|wav|flac|opus|m4a|png|jpe?g|gif|webp)$/i;
const SITE_TITLE_SUFFIX = /\s*\|\s*OpenGameArt\.org\s*$/i;

function parseError(what: string, pageUrl: string): OgaError {
  return new OgaError("OGA_PARSE", `${what} on ${pageUrl}; the page markup may have changed`);
}

function readTitle(root: HtmlElement, document: ReturnType<typeof parseHtml>): string {
  const heading = $.title.one(root) ?? $.title.one(document);
  const fromHeading = heading ? inlineText(heading) : "";
  if (fromHeading) return fromHeading;
  const og = $.ogTitle.one(document);
  const fromOg = og ? (attr(og, "content") ?? "").trim() : "";
  if (fromOg) return fromOg;
  const title = $.htmlTitle.one(document);
  return title ? inlineText(title).replace(SITE_TITLE_SUFFIX, "") : "";
}

/** The page's own idea of its URL, when it names an asset page: og:url, then the canonical link. */
function canonicalId(document: ReturnType<typeof parseHtml>, pageUrl: string): string | null {
  for (const [element, name] of [[$.ogUrl.one(document), "content"], [$.canonical.one(document), "href"]] as const) {
    const value = element ? attr(element, name) : null;
    if (!value) continue;
    try {
      const id = assetIdFromPageUrl(new URL(value, pageUrl).href);
      if (id && !id.startsWith("node/")) return id;
    } catch {
      // An unparsable canonical URL is ignored; the request URL still names the page.
    }
  }
  return null;
}

function readLicenses(root: HtmlElement): LicenseId[] {
  const names: string[] = [];
  for (const item of $.licenseItems.all(root)) {
    const labelled = $.licenseName.all(item).map((el) => inlineText(el));
    // Without a `license-name` the item's own text is the best the page offers.
    const found = labelled.length > 0 ? labelled : [inlineText(item)];
    for (const name of found) {
      if (!name) continue;
      // Known names are normalised to our spelling; anything else is kept verbatim.
      const known = LICENSES.find((l) => l.id.toLowerCase() === name.toLowerCase());
      const id = known ? known.id : name;
      if (!names.includes(id)) names.push(id);
    }
  }
  return names;
}

function readFiles(root: HtmlElement, pageUrl: string): AssetFile[] {
  const files: AssetFile[] = [];
  for (const item of $.fileItems.all(root)) {
    const links = $.fileLinks.all(item);
    const counts = $.dlcount.all(item);
    links.forEach((link, index) => {
      // With one file per item (the site's layout) the item's count is that file's count.
      const countElement = counts.length === links.length ? counts[index] : links.length === 1 ? counts[0] : undefined;
      const file = parseFileLink(link, countElement ? inlineText(countElement) : null, pageUrl);
      if (file && !files.some((f) => f.url === file.url)) files.push(file);
    });
  }
  return files;
}

function readPreviews(root: HtmlElement, pageUrl: string): string[] {
  const urls: string[] = [];
  const add = (value: string | null): void => {
    if (!value) return;
    try {
      const url = new URL(value, pageUrl).href;
      if (!urls.includes(url)) urls.push(url);
    } catch {
      // A broken preview link is not worth failing the page for.
    }
  };
  for (const element of $.previewMedia.all(root)) add(attr(element, "src"));
  // Music previews are players; their links point at the audio itself.
  for (const link of $.previewLinks.all(root)) {
    const href = attr(link, "href");
    if (href && AUDIO_OR_IMAGE.test(href.split(/[?#]/)[0]!)) add(href);
  }
  return urls;
}

// The collections block has sat outside the node's columns, so it is looked up page-wide.
function readCollections(root: ReturnType<typeof parseHtml>, pageUrl: string): string[] {
  const host = new URL(pageUrl).host;
  const slugs: string[] = [];
  for (const link of $.collections.all(root)) {
    const href = attr(link, "href");
    if (!href) continue;
    let url: URL;
    try {
      url = new URL(href, pageUrl);
    } catch {
      continue;
    }
    if (url.host !== host || !url.pathname.startsWith("/content/")) continue;
    const id = assetIdFromPageUrl(url.href);
    if (id && !slugs.includes(id)) slugs.push(id);
  }
  return slugs;
}

function readInteger(text: string): number | null {
  const match = /\d[\d,]*/.exec(text);
  return match ? Number(match[0].replace(/,/g, "")) : null;
}

/** The error for a page without `div.node-art`; a collection gets a hint at its members. */
function notAnAssetPage(document: ReturnType<typeof parseHtml>, pageUrl: string): OgaError {
  const collection = $.nodeCollection.one(document);
  if (!collection) return parseError("not an asset page (no div.node-art)", pageUrl);
  const members = $.collectionMembers
    .all(collection)
    .map((link) => assetIdFromPageUrl(new URL(attr(link, "href")!, pageUrl).href))
    .filter((id): id is string => id !== null);
  const hint = members.length > 0 ? `; its assets include ${members.slice(0, 5).join(", ")}${members.length > 5 ? ", …" : ""}` : "";
  return new OgaError("OGA_PARSE", `${pageUrl} is a collection (a list of other assets), not an asset page${hint}`);
}

/**
 * Parses an asset page.
 *
 * @param html the page's HTML.
 * @param pageUrl the URL the page was fetched from; relative links resolve against it and the
 *   asset id comes from it (or from the page's og:url / canonical link when present).
 * @throws OgaError `OGA_PARSE` when the page is not an asset page or has no title.
 */
export function parseAssetPage(html: string, pageUrl: string): Asset {
  const document = parseHtml(html);
  // Comments carry their own usernames, fields and pager; drop them before reading anything.
  for (const comments of $.comments.all(document)) removeElement(comments);
  const root = $.nodeArt.one(document);
  if (!root) throw notAnAssetPage(document, pageUrl);

  const title = readTitle(root, document);
  if (!title) throw parseError('required field "title" not found (div[property="dc:title"] h2, og:title, <title>)', pageUrl);

  const id = canonicalId(document, pageUrl) ?? assetIdFromPageUrl(pageUrl);
  if (!id) throw parseError("the page URL does not name an asset (/content/<slug>)", pageUrl);
  const canonicalUrl = pageUrlOfId(pageUrl, id);

  const authorField = $.author.one(root);
  const { author, submitter } = parsePeople(authorField, pageUrl);

  const dateItem = $.postDate.one(root);
  const typeElement = $.artType.one(root) ?? $.artTypeItem.one(root);
  const typeInfo = typeElement ? findArtType(inlineText(typeElement)) : undefined;
  const tags = [...new Set($.tags.all(root).map((a) => inlineText(a)).filter((tag) => tag !== ""))];
  const favoritesItem = $.favorites.one(root);
  const description = $.body.one(root) ?? $.anyBody.one(root) ?? $.bodyItems.one(root);
  const attribution = $.attribution.one(root);
  const copyright = $.copyright.one(root);
  // Every art page has the files field (the site requires a file) or, for withdrawn files, the
  // "currently unavailable" notice in or instead of it. With neither, "no files" would be a
  // guess that builds an empty module: the markup has changed, so say so.
  if (!$.filesField.one(root) && !UNAVAILABLE.test(inlineText(root))) {
    throw parseError('the files section (".field-name-field-art-files") is missing', pageUrl);
  }
  const files = readFiles(root, pageUrl);

  return {
    id,
    pageUrl: canonicalUrl,
    title,
    description: description ? blockText(description) : "",
    author,
    submitter,
    type: typeInfo ? typeInfo.name : null,
    licenses: readLicenses(root),
    tags,
    favorites: (favoritesItem ? readInteger(inlineText(favoritesItem)) : null) ?? 0,
    postedAt: dateItem ? parseSiteDate(inlineText(dateItem)) : null,
    attribution: attribution ? blockText(attribution) : "",
    copyrightNotice: copyright ? blockText(copyright) : "",
    collections: readCollections(document, pageUrl),
    previews: readPreviews(root, pageUrl),
    files,
    filesUnavailable: files.length === 0 && UNAVAILABLE.test(inlineText(root)),
  };
}
