/**
 * The asset page's search: the filters of `oga search`, read from the page's query string, and
 * results served in batches as the page scrolls. Each search is one walk of the client's lazy
 * search, so a batch fetches at most one more result page, after the client's politeness delay.
 */
import type { OgaClient } from "../client.js";
import { OgaError } from "../errors.js";
import { validateSearchFilters } from "../site/search-query.js";
import type { SearchFilters, SearchResult, SortBy, TagOperation } from "../site/types.js";
import { ART_TYPES, LICENSES } from "../site/vocabulary.js";
import { assetImportLine } from "./import-line.js";
import { mediaPath } from "./media.js";

/** Results per batch, and per result page asked of the site (the size its own search form offers). */
export const SEARCH_BATCH = 24;

/** Searches kept open at once (each holds its place in the listing); the oldest is dropped. */
const MAX_SESSIONS = 8;

const SORTS: readonly SortBy[] = ["favorites", "created", "views", "relevance"];
const TAG_OPERATIONS: readonly TagOperation[] = ["or", "and", "not", "empty", "not empty"];

/** One result as the page shows it before the asset is described. */
export interface SearchResultView {
  id: string;
  title: string;
  pageUrl: string;
  /** The row's picture through the dev server, or `null`. */
  thumbnail: string | null;
  importLine: string;
}

export interface SearchBatch {
  results: SearchResultView[];
  /** Where this batch starts in the listing. */
  offset: number;
  /** "Displaying 1 - 24 of N": the site's count, `null` when it shows none. */
  total: number | null;
  /** More results may follow. */
  more: boolean;
}

/** The choices the page's search form offers, as `oga search` names them. */
export function searchFilterChoices() {
  return {
    types: ART_TYPES.map((type) => ({ value: type.slug, label: type.name })),
    // Only licenses whose search term the site is known to use can be filtered on.
    licenses: LICENSES.filter((license) => license.termId !== null).map((license) => ({ value: license.slug, label: license.id })),
    sorts: SORTS,
    tagOperations: TAG_OPERATIONS,
  };
}

/**
 * The page's query (`keys`, `title`, `submitter`, `sort`, `ascending`, repeated `type`,
 * `license` and `tag`, `tagOp`) as library filters, checked like `oga search`'s flags.
 * @throws OgaError `OGA_BAD_INPUT` naming the filter and the allowed values.
 */
export function searchFiltersFromQuery(query: URLSearchParams): SearchFilters {
  const filters: SearchFilters = { itemsPerPage: SEARCH_BATCH };
  for (const name of ["keys", "title", "submitter"] as const) {
    const value = query.get(name)?.trim();
    if (value) filters[name] = value;
  }
  const sort = query.get("sort");
  if (sort) filters.sortBy = oneOf(sort, SORTS, "sort");
  if (query.get("ascending") === "1") filters.descending = false;
  const types = query.getAll("type").filter(Boolean);
  if (types.length) filters.types = types;
  const licenses = query.getAll("license").filter(Boolean);
  if (licenses.length) filters.licenses = licenses;
  const tags = query.getAll("tag").flatMap((tag) => tag.split(",")).map((tag) => tag.trim()).filter(Boolean);
  if (tags.length) filters.tags = tags;
  const tagOp = query.get("tagOp");
  if (tagOp) filters.tagOperation = oneOf(tagOp, TAG_OPERATIONS, "tagOp");
  return validateSearchFilters(filters);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new OgaError("OGA_BAD_INPUT", `invalid search filter ${name}: ${JSON.stringify(value)}; allowed: ${allowed.join(", ")}`);
}

interface Session {
  iterator: AsyncIterator<SearchResult>;
  results: SearchResultView[];
  total: number | null;
  done: boolean;
  /** Batches of one search are read one after another, never two walks at once. */
  queue: Promise<unknown>;
}

/** Open searches, by their filters. */
export class SearchSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly client: () => Pick<OgaClient, "search">) {}

  /** The results from `offset` on, reading result pages from the site only as far as needed. */
  batch(filters: SearchFilters, offset: number): Promise<SearchBatch> {
    const session = this.session(filters);
    const read = session.queue.then(async (): Promise<SearchBatch> => {
      while (!session.done && session.results.length < offset + SEARCH_BATCH) {
        const next = await session.iterator.next();
        if (next.done) session.done = true;
        else session.results.push(resultView(next.value));
      }
      const results = session.results.slice(offset, offset + SEARCH_BATCH);
      return { results, offset, total: session.total, more: !session.done || session.results.length > offset + SEARCH_BATCH };
    });
    // A failed read (the network) ends the walk: asking again starts it over.
    session.queue = read.catch(() => this.drop(filters));
    return read;
  }

  /** Ends every open search. */
  close(): void {
    for (const key of [...this.sessions.keys()]) this.dropKey(key);
  }

  private session(filters: SearchFilters): Session {
    const key = JSON.stringify(filters);
    const open = this.sessions.get(key);
    if (open) {
      // Most recently used last, so the oldest is the one dropped.
      this.sessions.delete(key);
      this.sessions.set(key, open);
      return open;
    }
    // The walk starts on the first `next()`, after `session` is assigned.
    const search = this.client().search(filters, { onPage: (progress) => void (session.total = progress.total) });
    const session: Session = { iterator: search[Symbol.asyncIterator](), results: [], total: null, done: false, queue: Promise.resolve() };
    this.sessions.set(key, session);
    while (this.sessions.size > MAX_SESSIONS) this.dropKey(this.sessions.keys().next().value!);
    return session;
  }

  private drop(filters: SearchFilters): void {
    this.dropKey(JSON.stringify(filters));
  }

  private dropKey(key: string): void {
    const session = this.sessions.get(key);
    this.sessions.delete(key);
    void session?.iterator.return?.().catch(() => undefined);
  }
}

function resultView(result: SearchResult): SearchResultView {
  return {
    id: result.id,
    title: result.title,
    pageUrl: result.pageUrl,
    thumbnail: result.thumbnailUrl ? mediaPath(result.thumbnailUrl) : null,
    importLine: assetImportLine(result.id),
  };
}
