/**
 * Walks the pages of an advanced search lazily, politely spaced, yielding results as they come.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { SiteHttp } from "./http.js";
import { parseSearchPage } from "./parse-search.js";
import { DEFAULT_SEARCH_DELAY_SECONDS, positiveInteger, searchPageUrl, validateSearchFilters } from "./search-query.js";
import type { SearchFilters, SearchProgress, SearchResult } from "./types.js";

export interface SearchOptions {
  signal?: AbortSignal;
  /** Seconds to wait before each page after the first (fractions allowed; 0 in tests). Default 1. */
  delaySeconds?: number;
  /** Called after each result page is read, before its results are yielded. */
  onPage?: (progress: SearchProgress) => void;
}

/**
 * Searches the site. Fetches page 0, then further pages only as the consumer asks for more, up
 * to the last page the pager names or `filters.pageLimit` pages. A result seen on an earlier page
 * (the listing can shift while we page) is not yielded twice.
 *
 * @throws OgaError `OGA_BAD_INPUT` for invalid filters (before any request), and whatever
 *   `SiteHttp.getPage` / `parseSearchPage` throw.
 */
export async function* searchAssets(http: Pick<SiteHttp, "origin" | "getPage">, filters: SearchFilters = {}, options: SearchOptions = {}): AsyncGenerator<SearchResult, void, undefined> {
  validateSearchFilters(filters);
  const pageLimit = positiveInteger("pageLimit", filters.pageLimit) ?? Number.POSITIVE_INFINITY;
  const delayMs = Math.max(0, (options.delaySeconds ?? DEFAULT_SEARCH_DELAY_SECONDS) * 1000);
  const seen = new Set<string>();
  let lastPage = 0;
  for (let page = 0; page <= lastPage && page < pageLimit; page++) {
    if (page > 0 && delayMs > 0) await sleep(delayMs, undefined, { signal: options.signal });
    options.signal?.throwIfAborted();
    const { url, html } = await http.getPage(searchPageUrl(http.origin, filters, page), { signal: options.signal });
    const parsed = parseSearchPage(html, url);
    // Trust each page's pager: a listing that shrinks while we page ends early rather than 404ing.
    lastPage = parsed.lastPage;
    options.onPage?.({ page, lastPage, total: parsed.total });
    if (parsed.results.length === 0) return;
    for (const result of parsed.results) {
      if (seen.has(result.id)) continue;
      seen.add(result.id);
      yield result;
    }
  }
}
