import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { searchAssets } from "../../src/site/search.js";
import type { SearchFilters, SearchResult } from "../../src/site/types.js";
import { searchPage } from "./fixtures/search-page.js";

const ORIGIN = "https://opengameart.org";

/** A fake site: page n of the listing is `pages[n]`; records which URLs were asked for. */
function fakeSite(pages: Array<Array<[string, string]>>) {
  const asked: string[] = [];
  return {
    asked,
    http: {
      origin: ORIGIN,
      async getPage(url: string) {
        asked.push(url);
        const page = Number(new URL(url).searchParams.get("page") ?? 0);
        const results = pages[page] ?? [];
        const lastPage = page < pages.length - 1 ? pages.length - 1 : undefined;
        return { url, html: searchPage({ results, total: 99, lastPage }) };
      },
    },
  };
}

async function collect(iterable: AsyncIterable<SearchResult>, stopAfter = Infinity): Promise<string[]> {
  const ids: string[] = [];
  for await (const result of iterable) {
    ids.push(result.id);
    if (ids.length >= stopAfter) break;
  }
  return ids;
}

describe("searchAssets", () => {
  const pages: Array<Array<[string, string]>> = [
    [["a", "A"], ["b", "B"]],
    [["b", "B"], ["c", "C"]],
    [["d", "D"]],
  ];

  it("walks every page up to the pager's last page and dedups ids", async () => {
    const site = fakeSite(pages);
    expect(await collect(searchAssets(site.http, {}, { delaySeconds: 0 }))).toEqual(["a", "b", "c", "d"]);
    expect(site.asked.map((u) => new URL(u).searchParams.get("page"))).toEqual([null, "1", "2"]);
  });

  it("fetches lazily: stopping early requests no further page", async () => {
    const site = fakeSite(pages);
    expect(await collect(searchAssets(site.http, {}, { delaySeconds: 0 }), 2)).toEqual(["a", "b"]);
    expect(site.asked).toHaveLength(1);
  });

  it("reports each page read, before its results, with the last page and the total", async () => {
    const site = fakeSite(pages);
    const seen: string[] = [];
    const iterable = searchAssets(site.http, {}, { delaySeconds: 0, onPage: (p) => seen.push(`page ${p.page}/${p.lastPage} of ${p.total}`) });
    for await (const result of iterable) seen.push(result.id);
    expect(seen).toEqual(["page 0/2 of 99", "a", "b", "page 1/2 of 99", "c", "page 2/0 of 99", "d"]);
  });

  it("stops at pageLimit", async () => {
    const site = fakeSite(pages);
    expect(await collect(searchAssets(site.http, { pageLimit: 2 }, { delaySeconds: 0 }))).toEqual(["a", "b", "c"]);
    expect(site.asked).toHaveLength(2);
  });

  it("waits between pages, not before the first", async () => {
    const site = fakeSite(pages);
    const started = Date.now();
    await collect(searchAssets(site.http, {}, { delaySeconds: 0.15 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("passes the filters into the page URLs", async () => {
    const site = fakeSite(pages);
    await collect(searchAssets(site.http, { types: ["music"], keys: "battle" }, { delaySeconds: 0 }), 1);
    expect(site.asked[0]).toBe(`${ORIGIN}/art-search-advanced?keys=battle&sort_by=count&sort_order=DESC&items_per_page=144&field_art_type_tid%5B%5D=12`);
  });

  it("rejects bad filters before any request", async () => {
    const site = fakeSite(pages);
    const filters = { licenses: ["nope"] } as SearchFilters;
    await expect(collect(searchAssets(site.http, filters))).rejects.toSatisfy((e: unknown) => isOgaError(e, "OGA_BAD_INPUT"));
    expect(site.asked).toHaveLength(0);
  });

  it("stops waiting when the signal aborts", async () => {
    const site = fakeSite(pages);
    const controller = new AbortController();
    const started = Date.now();
    const run = collect(searchAssets(site.http, {}, { delaySeconds: 10, signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
