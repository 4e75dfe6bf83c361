/**
 * `/art-search-advanced`: the Views exposed filters, as PHP and Drupal parse and apply them.
 * Query strings are parsed the PHP way (`+` is a space, `a[]`, `a%5B%5D` and `a[3]` are all
 * array entries, a repeated scalar keeps its last value), because links in the wild use
 * every spelling and the pager links Drupal prints use the indexed one.
 */
import type { ReplicaAsset } from "./catalogue.js";
import { ART_TYPES, LICENSES } from "../../src/site/vocabulary.js";
import { rawurlencode } from "./html.js";
import type { QueryPair } from "./pager.js";

export type SortKey = "count" | "created" | "totalcount" | "score";
export type TagOperator = "or" | "and" | "not" | "empty" | "not empty";

export interface SearchQuery {
  keys: string;
  title: string;
  name: string;
  tags: string[];
  tagOperator: TagOperator;
  sortBy: SortKey;
  sortOrder: "ASC" | "DESC";
  itemsPerPage: number;
  page: number;
  types: number[];
  licenses: number[];
  /** Every parameter but `page` and `q`, rebuilt as Drupal's pager links print them. */
  pagerParams: QueryPair[];
}

export const DEFAULT_ITEMS_PER_PAGE = 24;
const MAX_ITEMS_PER_PAGE = 500;

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text; // PHP keeps malformed escapes as they are
  }
}

type PhpValue = string | Map<string, string>;

/** PHP's parse_str, one level deep (the only depth the search form uses). */
export function parsePhpQuery(search: string): Map<string, PhpValue> {
  const out = new Map<string, PhpValue>();
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = decodeComponent(eq < 0 ? "" : part.slice(eq + 1));
    const match = /^([^[]+)\[([^\]]*)\]$/.exec(key);
    if (!match) {
      out.set(key, value);
      continue;
    }
    const name = match[1]!;
    let array = out.get(name);
    if (!(array instanceof Map)) {
      array = new Map();
      out.set(name, array);
    }
    let index = match[2]!;
    if (index === "") {
      // PHP appends at max integer key + 1.
      const numeric = [...array.keys()].map(Number).filter(Number.isInteger);
      index = String(numeric.length ? Math.max(...numeric) + 1 : 0);
    }
    array.set(index, value);
  }
  return out;
}

function scalar(params: Map<string, PhpValue>, name: string): string {
  const value = params.get(name);
  return typeof value === "string" ? value.trim() : "";
}

function termIds(params: Map<string, PhpValue>, name: string): number[] {
  const value = params.get(name);
  // A bare `field_art_type_tid=12` is accepted by Views as a one-element selection too.
  const values = value instanceof Map ? [...value.values()] : value ? [value] : [];
  return values.filter((v) => v !== "" && v !== "All").map(Number);
}

export function parseSearchQuery(search: string): SearchQuery {
  const params = parsePhpQuery(search);
  const sortBy = scalar(params, "sort_by");
  const op = scalar(params, "field_art_tags_tid_op").toLowerCase();
  const perPage = Number.parseInt(scalar(params, "items_per_page"), 10);
  const page = Number.parseInt(scalar(params, "page"), 10);
  const pagerParams: QueryPair[] = [];
  for (const [key, value] of params) {
    if (key === "page" || key === "q") continue;
    if (value instanceof Map) {
      for (const [index, v] of value) pagerParams.push([`${rawurlencode(key)}[${rawurlencode(index)}]`, rawurlencode(v)]);
    } else {
      pagerParams.push([rawurlencode(key), rawurlencode(value)]);
    }
  }
  return {
    keys: scalar(params, "keys"),
    title: scalar(params, "title"),
    name: scalar(params, "name"),
    tags: scalar(params, "field_art_tags_tid")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    tagOperator: (["or", "and", "not", "empty", "not empty"] as const).find((o) => o === op) ?? "or",
    sortBy: (["count", "created", "totalcount", "score"] as const).find((s) => s === sortBy) ?? "count",
    sortOrder: scalar(params, "sort_order").toUpperCase() === "ASC" ? "ASC" : "DESC",
    itemsPerPage: perPage > 0 && perPage <= MAX_ITEMS_PER_PAGE ? perPage : DEFAULT_ITEMS_PER_PAGE,
    page: page > 0 ? page : 0,
    types: termIds(params, "field_art_type_tid"),
    licenses: termIds(params, "field_art_licenses_tid"),
    pagerParams,
  };
}

function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, " ").replace(/&[a-z#0-9]+;/gi, " ");
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

/** Relevance for `keys`: every word must occur somewhere; title and tag hits weigh more. */
function relevance(asset: ReplicaAsset, words: readonly string[]): number {
  const title = asset.title.toLowerCase();
  const tags = asset.tags.join(" ").toLowerCase();
  const author = asset.author.kind === "submitter" ? "" : asset.author.name;
  const body = `${plainText(asset.description)} ${asset.submitter.name} ${author}`.toLowerCase();
  let score = 0;
  for (const word of words) {
    const hits = countOccurrences(title, word) * 5 + countOccurrences(tags, word) * 3 + countOccurrences(body, word);
    if (hits === 0) return 0;
    score += hits;
  }
  return score;
}

function matchesTags(asset: ReplicaAsset, query: SearchQuery): boolean {
  const own = new Set(asset.tags.map((t) => t.toLowerCase()));
  const wanted = query.tags.map((t) => t.toLowerCase());
  switch (query.tagOperator) {
    case "empty":
      return own.size === 0;
    case "not empty":
      return own.size > 0;
    case "and":
      return wanted.every((t) => own.has(t));
    case "not":
      return !wanted.some((t) => own.has(t));
    case "or":
      return wanted.length === 0 || wanted.some((t) => own.has(t));
  }
}

export interface SearchOutcome {
  rows: ReplicaAsset[];
  total: number;
  /** The page shown: Drupal clamps a page past the end to the last page. */
  page: number;
  pageCount: number;
}

export function runSearch(assets: readonly ReplicaAsset[], query: SearchQuery): SearchOutcome {
  const words = query.keys.toLowerCase().split(/\s+/).filter(Boolean);
  // An unknown term id matches nothing (Drupal answers "An illegal choice" and no rows).
  const typeNames = new Set<string>(ART_TYPES.filter((t) => query.types.includes(t.termId)).map((t) => t.name));
  const licenseNames = new Set<string>(LICENSES.filter((l) => l.termId !== null && query.licenses.includes(l.termId)).map((l) => l.id));
  const scored: Array<{ asset: ReplicaAsset; score: number }> = [];
  for (const asset of assets) {
    if (asset.kind !== "art") continue;
    if (query.types.length && !(asset.type && typeNames.has(asset.type))) continue;
    if (query.licenses.length && !asset.licenses.some((l) => licenseNames.has(l))) continue;
    if (query.title && !asset.title.toLowerCase().includes(query.title.toLowerCase())) continue;
    if (query.name && !asset.submitter.name.toLowerCase().includes(query.name.toLowerCase())) continue;
    if (!matchesTags(asset, query)) continue;
    const score = words.length ? relevance(asset, words) : 0;
    if (words.length && score === 0) continue;
    scored.push({ asset, score });
  }
  const key = (entry: { asset: ReplicaAsset; score: number }): number => {
    switch (query.sortBy) {
      case "count":
        return entry.asset.favorites;
      case "totalcount":
        return entry.asset.views;
      case "score":
        return entry.score;
      case "created":
        return entry.asset.postedAt.getTime();
    }
  };
  const direction = query.sortOrder === "ASC" ? 1 : -1;
  // Ties fall back to newest node first, so every order is total and stable across runs.
  scored.sort((a, b) => direction * (key(a) - key(b)) || b.asset.nodeId - a.asset.nodeId);
  const total = scored.length;
  const pageCount = Math.max(1, Math.ceil(total / query.itemsPerPage));
  const page = Math.min(query.page, pageCount - 1);
  const rows = scored.slice(page * query.itemsPerPage, (page + 1) * query.itemsPerPage).map((e) => e.asset);
  return { rows, total, page, pageCount };
}
