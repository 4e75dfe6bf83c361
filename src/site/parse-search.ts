/**
 * Reads one page of `/art-search-advanced` results.
 *
 * Everything is looked up inside the search view (`.view-display-id-search_art_advanced`), so a
 * comments pager or a sidebar list elsewhere on the page can never be mistaken for results.
 */
import { OgaError } from "../errors.js";
import { assetIdFromPageUrl, pageUrlOfId } from "./asset-id.js";
import { attr, closest, inlineText, parseHtml, selector, type HtmlElement } from "./dom.js";
import { CANONICAL_ORIGIN, isCanonicalSiteUrl, siteLink } from "./site-url.js";
import type { SearchPage, SearchResult } from "./types.js";

const $ = {
  view: selector(".view-display-id-search_art_advanced"),
  results: selector("span.art-preview-title a[href]"),
  pagerLast: selector("ul.pager li.pager-last a[href]"),
  header: selector(".view-header"),
  rowImage: selector(".field-name-field-art-preview img[src], img[src]"),
};

const isRow = (element: HtmlElement) => (attr(element, "class") ?? "").split(/\s+/).includes("views-row");

const DISPLAYING = /Displaying\s+[\d,]+\s*-\s*[\d,]+\s+of\s+([\d,]+)/i;

/** The `page` parameter of a pager link (0 when absent, as the site drops it for page 0). */
function pageParameter(href: string, pageUrl: string): number {
  const value = new URL(href, pageUrl).searchParams.get("page");
  const page = value === null ? 0 : Number(value);
  return Number.isInteger(page) && page >= 0 ? page : 0;
}

/**
 * Parses a search result page.
 *
 * @param html the page's HTML.
 * @param pageUrl the URL it was fetched from (result links resolve against it).
 * @throws OgaError `OGA_PARSE` when the page has no search view at all (not a search page).
 */
export function parseSearchPage(html: string, pageUrl: string): SearchPage {
  const document = parseHtml(html);
  const view = $.view.one(document);
  if (!view) {
    throw new OgaError("OGA_PARSE", `not a search result page (no .view-display-id-search_art_advanced) at ${pageUrl}; the page markup may have changed`);
  }
  const servedFrom = new URL(pageUrl).origin;
  const results: SearchResult[] = [];
  for (const link of $.results.all(view)) {
    // Results are the site's own pages; a mirror's copy links them canonically or on itself.
    const url = siteLink(attr(link, "href"), pageUrl, servedFrom);
    const id = url && isCanonicalSiteUrl(url) ? assetIdFromPageUrl(url.href) : null;
    if (!id || results.some((r) => r.id === id)) continue;
    // The row's picture: the preview's thumbnail, or the theme's stand-in for music and sound.
    const row = closest(link, isRow, view);
    const image = row ? $.rowImage.one(row) : null;
    const thumbnail = image ? siteLink(attr(image, "src"), pageUrl, servedFrom) : null;
    results.push({ id, title: inlineText(link), pageUrl: pageUrlOfId(CANONICAL_ORIGIN, id), thumbnailUrl: thumbnail?.href ?? null });
  }
  // The header is the documented place; the whole view is a fallback for themes that move it.
  const headerText = inlineText($.header.one(view) ?? view);
  const total = DISPLAYING.exec(headerText);
  // Only the view's own pager counts: sidebars and comments have pagers of their own.
  const last = $.pagerLast.one(view);
  return {
    results,
    total: total ? Number(total[1]!.replace(/,/g, "")) : results.length === 0 ? 0 : null,
    lastPage: last ? pageParameter(attr(last, "href")!, pageUrl) : 0,
  };
}
