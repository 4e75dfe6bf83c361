import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { searchPageUrl } from "../../src/site/search-query.js";
import type { SearchFilters } from "../../src/site/types.js";

const ORIGIN = "https://opengameart.org";

function params(url: string): [string, string][] {
  return [...new URL(url).searchParams.entries()];
}

function badInput(filters: SearchFilters, page = 0): Error {
  try {
    searchPageUrl(ORIGIN, filters, page);
  } catch (error) {
    expect(isOgaError(error, "OGA_BAD_INPUT")).toBe(true);
    return error as Error;
  }
  throw new Error("expected OGA_BAD_INPUT");
}

describe("searchPageUrl", () => {
  it("builds the default query", () => {
    const url = searchPageUrl(ORIGIN, {}, 0);
    expect(url.startsWith(`${ORIGIN}/art-search-advanced?`)).toBe(true);
    expect(params(url)).toEqual([["sort_by", "count"], ["sort_order", "DESC"], ["items_per_page", "144"]]);
  });

  it("maps every filter to the site's parameter names", () => {
    const url = searchPageUrl(
      ORIGIN,
      {
        keys: "battle music",
        title: "theme",
        submitter: "xeno",
        tags: ["Battle", "metal gear"],
        tagOperation: "and",
        sortBy: "relevance",
        descending: false,
        itemsPerPage: 24,
        types: ["Music", "sfx"],
        licenses: ["CC0", "cc-by-40", "oga-by 3.0"],
      },
      3,
    );
    expect(params(url)).toEqual([
      ["keys", "battle music"],
      ["title", "theme"],
      ["name", "xeno"],
      ["field_art_tags_tid", "Battle,metal gear"],
      ["field_art_tags_tid_op", "and"],
      ["sort_by", "score"],
      ["sort_order", "ASC"],
      ["items_per_page", "24"],
      ["field_art_type_tid[]", "12"],
      ["field_art_type_tid[]", "13"],
      ["field_art_licenses_tid[]", "4"],
      ["field_art_licenses_tid[]", "17981"],
      ["field_art_licenses_tid[]", "10310"],
      ["page", "3"],
    ]);
  });

  it.each([
    ["created", "created"],
    ["views", "totalcount"],
    ["favorites", "count"],
  ] as const)("sortBy %s -> %s", (sortBy, param) => {
    expect(new URL(searchPageUrl(ORIGIN, { sortBy }, 0)).searchParams.get("sort_by")).toBe(param);
  });

  it("sends the tag operation for empty / not empty without tags", () => {
    expect(params(searchPageUrl(ORIGIN, { tagOperation: "empty" }, 0))).toContainEqual(["field_art_tags_tid_op", "empty"]);
    expect(new URL(searchPageUrl(ORIGIN, { tagOperation: "or" }, 0)).searchParams.has("field_art_tags_tid_op")).toBe(false);
  });

  it("omits page for page 0", () => {
    expect(new URL(searchPageUrl(ORIGIN, {}, 0)).searchParams.has("page")).toBe(false);
  });

  it("rejects an unknown type naming the filter, value and allowed values", () => {
    const error = badInput({ types: ["musik"] });
    expect(error.message).toContain("types");
    expect(error.message).toContain('"musik"');
    expect(error.message).toContain('"Music" (music)');
  });

  it("rejects an unknown license with the allowed values", () => {
    const error = badInput({ licenses: ["MIT"] });
    expect(error.message).toContain("licenses");
    expect(error.message).toContain('"MIT"');
    expect(error.message).toContain('"CC-BY 4.0" (cc-by-40)');
  });

  it("searches OGA-BY 4.0 by the site's term id 31772, by name or slug", () => {
    for (const license of ["OGA-BY 4.0", "oga-by-40"]) {
      expect(params(searchPageUrl(ORIGIN, { licenses: [license, "OGA-BY 3.0"] }, 0)).filter(([name]) => name.startsWith("field_art_licenses_tid"))).toEqual([
        ["field_art_licenses_tid[]", "31772"],
        ["field_art_licenses_tid[]", "10310"],
      ]);
    }
    expect(badInput({ licenses: ["MIT"] }).message).toContain('"OGA-BY 4.0" (oga-by-40)');
  });

  it("requires keys for relevance sorting", () => {
    expect(badInput({ sortBy: "relevance" }).message).toMatch(/relevance.*keys/);
    expect(badInput({ sortBy: "relevance", keys: "  " }).message).toMatch(/relevance.*keys/);
  });

  it.each([
    [{ sortBy: "newest" } as unknown as SearchFilters, /sortBy.*"newest".*favorites, created, views, relevance/],
    [{ tagOperation: "xor" } as unknown as SearchFilters, /tagOperation.*"xor".*"not empty"/],
    [{ pageLimit: 0 }, /pageLimit.*0.*positive integer/],
    [{ pageLimit: 1.5 }, /pageLimit.*1\.5.*positive integer/],
    [{ itemsPerPage: -24 }, /itemsPerPage.*-24.*positive integer/],
    [{ tags: ["a,b"] }, /tags.*"a,b"/],
    [{ descending: "yes" } as unknown as SearchFilters, /descending/],
    [{ sort: "created" } as unknown as SearchFilters, /sort.*known filters/],
  ])("rejects %j", (filters, message) => {
    expect(badInput(filters).message).toMatch(message);
  });

  it("rejects a negative page", () => {
    expect(badInput({}, -1).message).toMatch(/page/);
  });
});
