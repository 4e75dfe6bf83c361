import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { parseSearchPage } from "../../src/site/parse-search.js";
import { searchPage } from "./fixtures/search-page.js";

const URL0 = "https://opengameart.org/art-search-advanced?keys=battle";

describe("parseSearchPage", () => {
  it("reads results in order, the total and the last page", () => {
    const page = parseSearchPage(
      searchPage({ results: [["battle-theme-a", "Battle Theme A"], ["m%C3%BAsica", "Música &amp; más"]], total: 3671, lastPage: 152 }),
      URL0,
    );
    expect(page).toEqual({
      results: [
        {
          id: "battle-theme-a",
          title: "Battle Theme A",
          pageUrl: "https://opengameart.org/content/battle-theme-a",
          thumbnailUrl: "https://opengameart.org/sites/default/files/styles/thumbnail/public/battle-theme-a.png",
        },
        {
          id: "música",
          title: "Música & más",
          pageUrl: "https://opengameart.org/content/m%C3%BAsica",
          thumbnailUrl: "https://opengameart.org/sites/default/files/styles/thumbnail/public/m%C3%BAsica.png",
        },
      ],
      total: 3671,
      lastPage: 152,
    });
  });

  it("has lastPage 0 without a pager, and on the last page", () => {
    expect(parseSearchPage(searchPage({ results: [["a", "A"]], lastPage: null }), URL0).lastPage).toBe(0);
    expect(parseSearchPage(searchPage({ results: [["a", "A"]] }), URL0).lastPage).toBe(0);
  });

  it("reads an empty result", () => {
    expect(parseSearchPage(searchPage({ results: [] }), URL0)).toEqual({ results: [], total: 0, lastPage: 0 });
  });

  it("ignores links and pagers outside the search view", () => {
    const page = parseSearchPage(searchPage({ results: [["a", "A"]], lastPage: null, sidebarNoise: true }), URL0);
    expect(page.results.map((r) => r.id)).toEqual(["a"]);
    expect(page.lastPage).toBe(0);
  });

  it("gives results the canonical page URL, also on a page a mirror served", () => {
    const page = parseSearchPage(searchPage({ results: [["a", "A"]], lastPage: 2 }), "http://127.0.0.1:4000/art-search-advanced");
    expect(page.results).toEqual([{ id: "a", title: "A", pageUrl: "https://opengameart.org/content/a", thumbnailUrl: "https://opengameart.org/sites/default/files/styles/thumbnail/public/a.png" }]);
    const absolute = searchPage({ results: [["a", "A"]] }).replaceAll('href="/content/a"', 'href="http://127.0.0.1:4000/content/a"');
    expect(parseSearchPage(absolute, "http://127.0.0.1:4000/art-search-advanced").results.map((r) => r.pageUrl)).toEqual(["https://opengameart.org/content/a"]);
  });

  it("reads each row's own picture: canonical, http(s) only, null when the row has none", () => {
    const html = searchPage({ results: [["a", "A"], ["b", "B"], ["c", "C"]] })
      .replace("https://opengameart.org/sites/default/files/styles/thumbnail/public/a.png", "/sites/all/themes/oga/images/music_preview.png")
      .replace("https://opengameart.org/sites/default/files/styles/thumbnail/public/b.png", "javascript:alert(1)")
      .replace(/<img[^>]*c\.png[^>]*>/, "");
    expect(parseSearchPage(html, "http://127.0.0.1:4000/art-search-advanced").results.map((r) => r.thumbnailUrl)).toEqual([
      "https://opengameart.org/sites/all/themes/oga/images/music_preview.png",
      null,
      null,
    ]);
  });

  it("skips result links to other sites", () => {
    const foreign = searchPage({ results: [["a", "A"], ["b", "B"]] }).replaceAll('href="/content/a"', 'href="https://elsewhere.example/content/a"');
    expect(parseSearchPage(foreign, URL0).results.map((r) => r.id)).toEqual(["b"]);
  });

  it("fails with OGA_PARSE on a page that is not a search page", () => {
    let error: unknown;
    try {
      parseSearchPage("<html><body><h1>Oops</h1></body></html>", URL0);
    } catch (e) {
      error = e;
    }
    expect(isOgaError(error, "OGA_PARSE")).toBe(true);
    expect((error as Error).message).toContain(URL0);
  });
});
