import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { parseSpecifier } from "../../src/project/specifier.js";

/** The error `run` throws, or `undefined`. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
import { fromVirtualId, toVirtualId } from "../../src/plugin/virtual-id.js";

describe("parseSpecifier", () => {
  it("parses asset, file, glob and credits forms", () => {
    expect(parseSpecifier("oga:battle-theme-a")).toEqual({ kind: "asset", specifier: "oga:battle-theme-a", id: "battle-theme-a" });
    expect(parseSpecifier("oga:battle-theme-a/battleThemeA.mp3")).toMatchObject({ kind: "file", id: "battle-theme-a", file: "battleThemeA.mp3" });
    expect(parseSpecifier("oga:imminent-threat/*.ogg")).toMatchObject({ kind: "glob", id: "imminent-threat", pattern: "*.ogg" });
    expect(parseSpecifier("oga:x/**/*.{png,jpg}")).toMatchObject({ kind: "glob", pattern: "**/*.{png,jpg}" });
    expect(parseSpecifier("oga:credits")).toEqual({ kind: "credits", specifier: "oga:credits" });
    expect(parseSpecifier("oga:x/My Song (1) [v2].ogg")).toMatchObject({ kind: "file", file: "My Song (1) [v2].ogg" });
  });

  it("takes #, %, ? and & in file names as part of the name (they are legal on the site)", () => {
    for (const file of ["sound #1.wav", "100%.wav", "what?.wav", "a&b.wav", "a.png?url"]) {
      expect(parseSpecifier(`oga:x/${file}`)).toEqual({ kind: "file", specifier: `oga:x/${file}`, id: "x", file });
    }
    expect(parseSpecifier("oga:x/#*.wav")).toMatchObject({ kind: "glob", pattern: "#*.wav" });
    expect(parseSpecifier(`oga:x/${"a".repeat(255)}`)).toMatchObject({ kind: "file" });
  });

  it.each([
    ["oga:", "empty"],
    ["oga:/battle", "absolute"],
    ["oga:a/../b", "'..'"],
    ["oga:a?url", "query"],
    ["oga:a#top/b.png", "fragments"],
    [`oga:a/${"é".repeat(128)}.png`, "no file system holds a name over 255 bytes"],
    ["oga:a\\b.png", "forward slashes"],
    ["oga:a/", "empty"],
    ["oga:..", "asset id"],
  ])("rejects %s with OGA_BAD_INPUT naming it and showing a valid one", (specifier, why) => {
    const error = thrownBy(() => parseSpecifier(specifier));
    expect(isOgaError(error, "OGA_BAD_INPUT")).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`"${specifier}"`);
    expect(message).toContain(why);
    expect(message).toContain(`"oga:battle-theme-a/battleThemeA.mp3"`);
  });

  it.each([
    ["oga:https://opengameart.org/content/battle-theme-a", "oga:battle-theme-a"],
    ["oga:http://www.opengameart.org/content/battle-theme-a/", "oga:battle-theme-a"],
    ["oga:opengameart.org/content/battle-theme-a", "oga:battle-theme-a"],
    ["oga:/content/battle-theme-a", "oga:battle-theme-a"],
    ["oga:https://opengameart.org/content/battle-theme-a?page=1#files", "oga:battle-theme-a"],
  ])("rejects the page URL %s with OGA_BAD_INPUT telling to use the slug", (specifier, slug) => {
    const error = thrownBy(() => parseSpecifier(specifier));
    expect(isOgaError(error, "OGA_BAD_INPUT")).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`"${specifier}"`);
    expect(message).toContain(`use the slug`);
    expect(message).toContain(`"${slug}"`);
    expect(message).not.toContain("path segments");
  });

  it("still parses an asset whose files sit in a folder named content", () => {
    expect(parseSpecifier("oga:my-pack/content/a.png")).toMatchObject({ kind: "file", id: "my-pack", file: "content/a.png" });
  });
});

describe("virtual ids", () => {
  it.each(["oga:battle-theme-a", "oga:x/My Song #1 (50%).ogg", "oga:x/~tilde~7E.png", "oga:Ünïcödé/ファイル.wav", "oga:x/**/*.{png,jpg}"])(
    "round-trips %s through a safe id",
    (specifier) => {
      const id = toVirtualId(specifier);
      expect(id.startsWith("\0oga:")).toBe(true);
      expect(id.endsWith(".js")).toBe(true);
      expect(id.slice(1)).toMatch(/^oga:[A-Za-z0-9._\-/*{},~]+$/);
      expect(fromVirtualId(id)).toEqual({ specifier, view: "full" });
      expect(fromVirtualId(id + "?v=123")).toEqual({ specifier, view: "full" });
      expect(fromVirtualId(toVirtualId(specifier, "main"))).toEqual({ specifier, view: "main" });
    },
  );

  it("escapes the characters that break dev URLs", () => {
    expect(toVirtualId("oga:a/b#c%d~e.png")).toBe("\0oga:a/b~23c~25d~7Ee.png.js");
    expect(toVirtualId("oga:a/é")).toBe("\0oga:a/~C3~A9.js");
  });

  it("rejects ids it did not make", () => {
    expect(fromVirtualId("oga:x.js")).toBeUndefined();
    expect(fromVirtualId("\0oga:x")).toBeUndefined();
    expect(fromVirtualId("\0oga:x~ZZ.js")).toBeUndefined();
    expect(fromVirtualId("\0oga:~FF.js")).toBeUndefined();
    // A raw character outside the escaped alphabet (an id typed into a dev URL) reads as its own byte, and only as one.
    expect(fromVirtualId("\0oga:a b.js")).toEqual({ specifier: "oga:a b", view: "full" });
    expect(fromVirtualId("\0oga:a/é.js")).toBeUndefined();
  });
});
