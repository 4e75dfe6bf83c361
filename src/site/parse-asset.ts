/**
 * Reads an asset page (`/content/<slug>`) into an `Asset`.
 *
 * Every field is found by its Display Suite class (`field-name-…`), never by column or position:
 * the site has moved fields between columns over the years, and sidebar blocks put other `h2`s
 * before the title. Optional fields that are missing come back empty; only the title is required.
 */
import { getChildren, removeElement } from "domutils";
import { OgaError } from "../errors.js";
import { assetIdFromPageUrl, pageUrlOfId } from "./asset-id.js";
import { attr, blockText, closest, inlineText, isTag, isText, parseHtml, selector, type HtmlElement, type HtmlNode } from "./dom.js";
import { parseFileLink } from "./parse-file-link.js";
import { parsePeople, personFromLink, type LinkReader } from "./parse-people.js";
import { readPreviews } from "./parse-previews.js";
import { CANONICAL_ORIGIN, isCanonicalSiteUrl, siteLink } from "./site-url.js";
import { parseHeadDate, parseSiteDate } from "./site-time.js";
import type { Asset, AssetFile, Person } from "./types.js";
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
  publishedTime: selector('meta[property="article:published_time"], meta[name="dcterms.date"], meta[property="dcterms.date"]'),
  updatedTime: selector('meta[property="og:updated_time"]'),
  author: selector(".field-name-author-submitter"),
  collaborators: selector(".field-name-field-collaborators .field-item a[href]"),
  postDate: selector(".field-name-post-date .field-item"),
  artType: selector(".field-name-field-art-type .field-item a"),
  artTypeItem: selector(".field-name-field-art-type .field-item"),
  tags: selector(".field-name-field-art-tags .field-item a"),
  licenseItems: selector(".field-name-field-art-licenses .field-item"),
  licenseName: selector(".license-name"),
  licenseLink: selector("a[href]"),
  attribution: selector(".field-name-field-art-attribution .field-items"),
  copyright: selector(".field-name-field-copyright-notice .field-items"),
  body: selector('.field-name-body div[property="content:encoded"]'),
  anyBody: selector('div[property="content:encoded"]'),
  bodyItems: selector(".field-name-body .field-items"),
  filesField: selector(".field-name-field-art-files"),
  fileItems: selector(".field-name-field-art-files .field-item"),
  fileLinks: selector(".file a[href]"),
  dlcount: selector(".dlcount-number, .dlcount"),
  favorites: selector(".field-name-favorites .field-item"),
  collections: selector(".collect-container a[href]"),
};

// The site's module spells it "unavalable"; accept that and the correct spelling.
const WITHHELD = /file\(s\)\s+currently\s+unavai?lable/i;
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

/**
 * The slug the page gives itself (og:url, then the canonical link), for a `/node/<n>` request
 * only: a `/content/<slug>` request keeps the id it asked for, whatever the page says.
 */
function slugOfNodePage(document: ReturnType<typeof parseHtml>, pageUrl: string): string | null {
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

function readLicenses(root: HtmlElement, readLink: LinkReader): { licenses: LicenseId[]; licenseUrls: Record<string, string> } {
  const licenses: LicenseId[] = [];
  const licenseUrls: Record<string, string> = Object.create(null);
  for (const item of $.licenseItems.all(root)) {
    const labelled = $.licenseName.all(item);
    // Without a `license-name` the item's own text is the best the page offers.
    for (const element of labelled.length > 0 ? labelled : [item]) {
      const name = inlineText(element);
      if (!name) continue;
      // Known names are normalised to our spelling; anything else is kept verbatim.
      const known = LICENSES.find((l) => l.id.toLowerCase() === name.toLowerCase());
      const id = known ? known.id : name;
      if (!licenses.includes(id)) licenses.push(id);
      // The deed is the link around the name (`<a href='DEED'>…<div class='license-name'>`).
      const link = element.name === "a" ? element : (closest(element, (el) => el.name === "a", item) ?? $.licenseLink.one(item));
      const deed = link ? readLink(attr(link, "href")) : null;
      if (deed && !Object.hasOwn(licenseUrls, id)) licenseUrls[id] = deed.href;
    }
  }
  return { licenses, licenseUrls };
}

function readCollaborators(root: HtmlElement, readLink: LinkReader): Person[] {
  const people: Person[] = [];
  for (const link of $.collaborators.all(root)) {
    const person = personFromLink(link, readLink);
    if (person.name && !people.some((p) => p.name === person.name && p.url === person.url)) people.push(person);
  }
  return people;
}

function readFiles(root: HtmlElement, readLink: LinkReader): AssetFile[] {
  const files: AssetFile[] = [];
  for (const item of $.fileItems.all(root)) {
    const links = $.fileLinks.all(item);
    const counts = $.dlcount.all(item);
    links.forEach((link, index) => {
      // With one file per item (the site's layout) the item's count is that file's count.
      const countElement = counts.length === links.length ? counts[index] : links.length === 1 ? counts[0] : undefined;
      const file = parseFileLink(link, countElement ? inlineText(countElement) : null, readLink);
      if (file && !files.some((f) => f.url === file.url)) files.push(file);
    });
  }
  return files;
}

// The collections block has sat outside the node's columns, so it is looked up page-wide.
function readCollections(root: ReturnType<typeof parseHtml>, readLink: LinkReader): string[] {
  const slugs: string[] = [];
  for (const link of $.collections.all(root)) {
    const url = readLink(attr(link, "href"));
    if (!url || !isCanonicalSiteUrl(url) || !url.pathname.startsWith("/content/")) continue;
    const id = assetIdFromPageUrl(url.href);
    if (id && !slugs.includes(id)) slugs.push(id);
  }
  return slugs;
}

/**
 * Whether the site withholds the files: its notice stands in for the files field (a bare
 * `File(s):` label and an italic line, no `.field-name-field-art-files`), or sits inside it.
 * Every other field is skipped: descriptions, titles and tags are uploaders' text, and one
 * that quotes the notice must not hide the files.
 */
function filesWithheld(root: HtmlElement): boolean {
  const texts: string[] = [];
  const walk = (node: HtmlNode): void => {
    if (isText(node)) texts.push(node.data);
    if (!isTag(node)) return;
    const classes = (attr(node, "class") ?? "").split(/\s+/);
    if (node !== root && classes.includes("field") && !classes.includes("field-name-field-art-files")) return;
    for (const child of getChildren(node)) walk(child);
  };
  walk(root);
  return WITHHELD.test(texts.join(" ").replace(/[\s\u00a0]+/g, " "));
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
 * @param pageUrl the URL that was requested (`<origin>/content/<slug>` or `<origin>/node/<n>`):
 *   the asset id comes from it, never from the page (page text is the uploader's), except that
 *   a `/node/<n>` request learns its slug from the page's og:url / canonical link. Links on the
 *   canonical site or on this URL's origin (a mirror) are the site's own and come back on
 *   `https://opengameart.org`; links that are not http(s) are dropped.
 * @throws OgaError `OGA_PARSE` when the page is not an asset page, has no title, or has neither
 *   a files field nor the site's notice that the files are withheld.
 */
export function parseAssetPage(html: string, pageUrl: string): Asset {
  const document = parseHtml(html);
  // Comments carry their own usernames, fields and pager; drop them before reading anything.
  for (const comments of $.comments.all(document)) removeElement(comments);
  const root = $.nodeArt.one(document);
  if (!root) throw notAnAssetPage(document, pageUrl);

  const title = readTitle(root, document);
  if (!title) throw parseError('required field "title" not found (div[property="dc:title"] h2, og:title, <title>)', pageUrl);

  const requested = assetIdFromPageUrl(pageUrl);
  if (!requested) throw parseError("the page URL does not name an asset (/content/<slug>)", pageUrl);
  const id = requested.startsWith("node/") ? (slugOfNodePage(document, pageUrl) ?? requested) : requested;
  const canonicalUrl = pageUrlOfId(CANONICAL_ORIGIN, id);
  const servedFrom = new URL(pageUrl).origin;
  const readLink: LinkReader = (href) => siteLink(href, canonicalUrl, servedFrom);

  const { author, submitter } = parsePeople($.author.one(root), readLink);
  const dateItem = $.postDate.one(root);
  const publishedMeta = $.publishedTime.all(document).map((meta) => parseHeadDate(attr(meta, "content"))).find((date) => date !== null);
  const updatedMeta = $.updatedTime.one(document);
  const typeElement = $.artType.one(root) ?? $.artTypeItem.one(root);
  const typeInfo = typeElement ? findArtType(inlineText(typeElement)) : undefined;
  const tags = [...new Set($.tags.all(root).map((a) => inlineText(a)).filter((tag) => tag !== ""))];
  const favoritesItem = $.favorites.one(root);
  const description = $.body.one(root) ?? $.anyBody.one(root) ?? $.bodyItems.one(root);
  const attribution = $.attribution.one(root);
  const copyright = $.copyright.one(root);
  // Every art page has the files field (the site requires a file) or the notice that the site
  // withholds them. With neither, "no files" would be a guess that builds an empty module: the
  // markup has changed, so say so.
  const withheld = filesWithheld(root);
  if (!$.filesField.one(root) && !withheld) {
    throw parseError('the files section (".field-name-field-art-files") is missing', pageUrl);
  }
  const files = readFiles(root, readLink);

  return {
    id,
    pageUrl: canonicalUrl,
    title,
    description: description ? blockText(description) : "",
    author,
    submitter,
    collaborators: readCollaborators(root, readLink),
    type: typeInfo ? typeInfo.name : null,
    ...readLicenses(root, readLink),
    tags,
    favorites: (favoritesItem ? readInteger(inlineText(favoritesItem)) : null) ?? 0,
    postedAt: publishedMeta ?? (dateItem ? parseSiteDate(inlineText(dateItem)) : null),
    updatedAt: updatedMeta ? parseHeadDate(attr(updatedMeta, "content")) : null,
    attribution: attribution ? blockText(attribution) : "",
    copyrightNotice: copyright ? blockText(copyright) : "",
    collections: readCollections(document, readLink),
    previews: readPreviews(root, readLink),
    files,
    filesUnavailable: files.length === 0 && withheld,
  };
}
