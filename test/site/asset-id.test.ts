import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { assetPageUrl } from "../../src/site/asset-id.js";

const ORIGIN = "https://opengameart.org";

describe("assetPageUrl", () => {
  it.each([
    ["battle-theme-a", "battle-theme-a"],
    ["  battle-theme-a  ", "battle-theme-a"],
    ["/content/battle-theme-a", "battle-theme-a"],
    ["/content/battle-theme-a/", "battle-theme-a"],
    ["https://opengameart.org/content/battle-theme-a", "battle-theme-a"],
    ["http://opengameart.org/content/battle-theme-a#comments", "battle-theme-a"],
  ])("%s -> %s", (input, id) => {
    expect(assetPageUrl(ORIGIN, input)).toEqual({ id, pageUrl: `${ORIGIN}/content/${id}` });
  });

  it.each(["m%c3%basica-de-batalla", "música-de-batalla", "https://opengameart.org/content/m%C3%BAsica-de-batalla", "/content/música-de-batalla"])(
    "decodes non-ASCII slugs in the id and encodes them in the URL: %s",
    (input) => {
      expect(assetPageUrl(ORIGIN, input)).toEqual({ id: "música-de-batalla", pageUrl: `${ORIGIN}/content/m%C3%BAsica-de-batalla` });
    },
  );

  it("accepts /node/<n> addresses", () => {
    expect(assetPageUrl(ORIGIN, "/node/5555")).toEqual({ id: "node/5555", pageUrl: `${ORIGIN}/node/5555` });
    expect(assetPageUrl(ORIGIN, "https://opengameart.org/node/5555")).toEqual({ id: "node/5555", pageUrl: `${ORIGIN}/node/5555` });
  });

  it("uses the configured origin", () => {
    expect(assetPageUrl("http://127.0.0.1:4000/", "x")).toEqual({ id: "x", pageUrl: "http://127.0.0.1:4000/content/x" });
  });

  it("takes a pasted opengameart.org page URL as the mirror's page", () => {
    for (const input of ["https://opengameart.org/content/x", "http://www.opengameart.org/content/x"]) {
      expect(assetPageUrl("http://127.0.0.1:4000/", input)).toEqual({ id: "x", pageUrl: "http://127.0.0.1:4000/content/x" });
    }
    expect(() => assetPageUrl("http://127.0.0.1:4000/", "https://opengameart.org.evil.example/content/x")).toThrow(/not a page on http:\/\/127\.0\.0\.1:4000/);
  });

  it.each([
    ["", /empty/],
    ["..", /"\.\."/],
    ["a/b", /slashes/],
    ["a%2Fb", /slashes/],
    ["battle-theme-a?x=1", /query/],
    ["/content/a?x=1", /query/],
    ["https://opengameart.org/content/a?page=2", /query/],
    ["https://evil.example/content/battle-theme-a", /not a page on https:\/\/opengameart\.org/],
    ["https://opengameart.org/users/someone", /not \/content/],
    ["Battle Theme A", /spaces/],
    ["bad%E0%A4%A", /malformed/],
  ])("rejects %j", (input, why) => {
    let error: unknown;
    try {
      assetPageUrl(ORIGIN, input);
    } catch (e) {
      error = e;
    }
    expect(isOgaError(error, "OGA_BAD_INPUT")).toBe(true);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toContain('"battle-theme-a"');
  });
});
