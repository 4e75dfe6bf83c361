/**
 * Builds `/art-search-advanced` URLs from public search filters, validating each filter so a
 * typo fails with the allowed values instead of silently searching for everything.
 */
import { OgaError } from "../errors.js";
import type { SearchFilters, SortBy, TagOperation } from "./types.js";
import { ART_TYPES, LICENSES, findArtType, findLicense } from "./vocabulary.js";

/**
 * Seconds between result pages when the caller does not say: paging is the crawl-like part, and
 * the site asks for restraint. Here rather than in search.ts so the CLI's help can name it
 * without loading the page parsers.
 */
export const DEFAULT_SEARCH_DELAY_SECONDS = 1;

/** Results per page when the caller does not say (what the Python library asked for). */
export const DEFAULT_ITEMS_PER_PAGE = 144;

const SORT_PARAM: Record<SortBy, string> = { favorites: "count", created: "created", views: "totalcount", relevance: "score" };
const TAG_OPERATIONS: readonly TagOperation[] = ["or", "and", "not", "empty", "not empty"];
const FILTER_KEYS: readonly (keyof SearchFilters)[] = [
  "keys", "title", "submitter", "sortBy", "descending", "types", "licenses", "tags", "tagOperation", "pageLimit", "itemsPerPage",
];

function badFilter(name: string, value: unknown, allowed: string): OgaError {
  return new OgaError("OGA_BAD_INPUT", `invalid search filter ${name}: ${JSON.stringify(value)}; allowed: ${allowed}`);
}

function optionalText(filters: SearchFilters, name: "keys" | "title" | "submitter"): string | undefined {
  const value: unknown = filters[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw badFilter(name, value, "a string");
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function stringList(name: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) throw badFilter(name, value, "an array of strings");
  return value as string[];
}

/** Checks a positive-integer filter (`pageLimit`, `itemsPerPage`). */
export function positiveInteger(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw badFilter(name, value, "a positive integer");
  return value;
}

function typeTermIds(values: string[]): number[] {
  const allowed = ART_TYPES.map((t) => `"${t.name}" (${t.slug})`).join(", ");
  return values.map((value) => {
    const info = findArtType(value);
    if (!info) throw badFilter("types", value, allowed);
    return info.termId;
  });
}

function licenseTermIds(values: string[]): number[] {
  const searchable = LICENSES.filter((l) => l.termId !== null);
  const allowed = searchable.map((l) => `"${l.id}" (${l.slug})`).join(", ");
  return values.map((value) => {
    const info = findLicense(value);
    if (!info) throw badFilter("licenses", value, allowed);
    if (info.termId === null) {
      throw new OgaError(
        "OGA_BAD_INPUT",
        `invalid search filter licenses: ${JSON.stringify(value)} (${info.id}) cannot be searched for, its search term id on the site is not known; searchable: ${allowed}`,
      );
    }
    return info.termId;
  });
}

/**
 * Validates search filters and returns them normalised. Called by `searchPageUrl`; exported so
 * a caller can reject bad filters before any request.
 *
 * @throws OgaError `OGA_BAD_INPUT` naming the filter, the bad value and the allowed values.
 */
export function validateSearchFilters(filters: SearchFilters): SearchFilters {
  if (filters === null || typeof filters !== "object") throw badFilter("filters", filters, "an object");
  for (const key of Object.keys(filters)) {
    if (!FILTER_KEYS.includes(key as keyof SearchFilters)) throw badFilter(key, (filters as Record<string, unknown>)[key], `known filters are ${FILTER_KEYS.join(", ")}`);
  }
  const sortBy: unknown = filters.sortBy;
  if (sortBy !== undefined && !(typeof sortBy === "string" && Object.hasOwn(SORT_PARAM, sortBy))) {
    throw badFilter("sortBy", sortBy, Object.keys(SORT_PARAM).join(", "));
  }
  const tagOperation: unknown = filters.tagOperation;
  if (tagOperation !== undefined && !TAG_OPERATIONS.includes(tagOperation as TagOperation)) {
    throw badFilter("tagOperation", tagOperation, TAG_OPERATIONS.map((op) => `"${op}"`).join(", "));
  }
  const descending: unknown = filters.descending;
  if (descending !== undefined && typeof descending !== "boolean") throw badFilter("descending", descending, "true or false");
  const keys = optionalText(filters, "keys");
  if (sortBy === "relevance" && keys === undefined) {
    throw new OgaError("OGA_BAD_INPUT", `invalid search filter sortBy: "relevance" needs keys (words to rank by); allowed without keys: favorites, created, views`);
  }
  const tags = stringList("tags", filters.tags).map((tag) => tag.trim());
  // The site splits the tag parameter on commas, so a comma inside one tag cannot be searched for.
  const badTag = tags.find((tag) => tag === "" || tag.includes(","));
  if (badTag !== undefined) throw badFilter("tags", badTag, "non-empty tag names without commas");
  typeTermIds(stringList("types", filters.types));
  licenseTermIds(stringList("licenses", filters.licenses));
  positiveInteger("pageLimit", filters.pageLimit);
  positiveInteger("itemsPerPage", filters.itemsPerPage);
  optionalText(filters, "title");
  optionalText(filters, "submitter");
  return filters;
}

/**
 * The URL of one page of an advanced search, with parameters named and encoded as the site's
 * own form sends them (`field_art_type_tid[]` repeated, tags comma-joined, `page` omitted for 0).
 *
 * @param page 0-based page index.
 * @throws OgaError `OGA_BAD_INPUT` for an invalid filter or page.
 */
export function searchPageUrl(origin: string, filters: SearchFilters, page: number): string {
  validateSearchFilters(filters);
  if (!Number.isInteger(page) || page < 0) throw badFilter("page", page, "an integer >= 0");
  const params = new URLSearchParams();
  const keys = optionalText(filters, "keys");
  const title = optionalText(filters, "title");
  const submitter = optionalText(filters, "submitter");
  if (keys !== undefined) params.append("keys", keys);
  if (title !== undefined) params.append("title", title);
  if (submitter !== undefined) params.append("name", submitter);
  const tags = stringList("tags", filters.tags).map((tag) => tag.trim());
  const tagOperation = filters.tagOperation ?? "or";
  // "empty"/"not empty" test for the presence of tags and take no tag names.
  if (tags.length > 0 || tagOperation === "empty" || tagOperation === "not empty") {
    if (tags.length > 0) params.append("field_art_tags_tid", tags.join(","));
    params.append("field_art_tags_tid_op", tagOperation);
  }
  params.append("sort_by", SORT_PARAM[filters.sortBy ?? "favorites"]);
  params.append("sort_order", filters.descending === false ? "ASC" : "DESC");
  params.append("items_per_page", String(filters.itemsPerPage ?? DEFAULT_ITEMS_PER_PAGE));
  for (const id of typeTermIds(stringList("types", filters.types))) params.append("field_art_type_tid[]", String(id));
  for (const id of licenseTermIds(stringList("licenses", filters.licenses))) params.append("field_art_licenses_tid[]", String(id));
  if (page > 0) params.append("page", String(page));
  return `${new URL(origin).origin}/art-search-advanced?${params.toString()}`;
}
