import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { MAX_GLOB_ALTERNATIVES, compileGlob, expandBraces } from "../../src/project/glob.js";

const matches = (pattern: string, name: string) => compileGlob(pattern).matches(name);

describe("compileGlob", () => {
  it.each([
    ["*.png", "hero.png", true],
    ["*.png", "dir/hero.png", false],
    ["*", ".hidden", true],
    ["**", "a/b/c", true],
    ["**/*.png", "x.png", true],
    ["**/*.png", "d/e/x.png", true],
    ["a/**", "a/b/c", true],
    ["a/**", "a", false],
    ["a/**/**", "a/b", true],
    ["**/**", "a", true],
    ["a/**", "ab", false],
    ["a/**/b", "a/b", true],
    ["a/**/b", "a/x/y/b", true],
    ["a/**/**/b", "a/x/b", true],
    ["a**b", "axyb", true],
    ["a**b", "ax/yb", false],
    ["*.{png,jpg}", "a.jpg", true],
    ["*.{png,jpg}", "a.gif", false],
    ["{a,b/c}/*", "b/c/d", true],
    ["a{b,c{d,e}}", "ace", true],
    ["{,x}a", "a", true],
    ["pack.zip/png/*.png", "pack.zip/png/floor.png", true],
  ])("%s against %j is %s", (pattern, name, expected) => {
    expect(matches(pattern, name)).toBe(expected);
  });

  it.each([
    ["*(1).png", "x(1).png"],
    ["*[v2].png", "x[v2].png"],
    ["*?.png", "a?.png"],
    ["*+(a).png", "x+(a).png"],
    ["@(a)*", "@(a)b"],
    ["!*.png", "!x.png"],
    ["*{1}.png", "x{1}.png"],
    ["*{1..3}", "x{1..3}"],
    ["*{a,b", "x{a,b"],
  ])("takes everything but * and {a,b} literally: %s matches %j", (pattern, name) => {
    expect(matches(pattern, name)).toBe(true);
  });

  it("does not read [v2] as a class or (1) as a group", () => {
    expect(matches("*[v2].png", "xv.png")).toBe(false);
    expect(matches("*{1..3}", "x2")).toBe(false);
  });

  it.each(["line\nbreak.png", "para\u2028sep.png", "tab\tand\rreturn.png", "nul\u0000.png", "emoji 🎮.png"])("matches names holding any character: %j", (name) => {
    expect(matches("*.png", name)).toBe(true);
    expect(matches("**/*.png", `dir\nwith\u2028breaks/${name}`)).toBe(true);
    expect(matches("**", name)).toBe(true);
  });

  it("tells whether a glob can reach below a folder (so a zip is worth opening)", () => {
    expect(compileGlob("**/*.png").canMatchBelow("pack.zip")).toBe(true);
    expect(compileGlob("*.png").canMatchBelow("pack.zip")).toBe(false);
    expect(compileGlob("tiles.zip/png/*.png").canMatchBelow("tiles.zip")).toBe(true);
    expect(compileGlob("tiles.zip/png/*.png").canMatchBelow("tiles.zip/png")).toBe(true);
    expect(compileGlob("tiles.zip/png/*.png").canMatchBelow("other.zip")).toBe(false);
    expect(compileGlob("{a.png,tiles.zip/*}").canMatchBelow("tiles.zip")).toBe(true);
    expect(compileGlob("*.zip").canMatchBelow("tiles.zip")).toBe(false);
  });

  it("answers hostile names at once: 12 KB against *_*_*.png, 300 characters against five stars", () => {
    const long = `${"_".repeat(12_000)}x.pn`;
    expect(matches("*_*_*.png", long)).toBe(false);
    expect(matches("*_*_*.pn", long)).toBe(true);
    expect(matches("*a*a*a*a*a*b", "a".repeat(300))).toBe(false);
    expect(matches("**/**/**/*x", `${"a/".repeat(5000)}y`)).toBe(false);
  });

  it("refuses brace groups that expand past the limit with OGA_BAD_INPUT", () => {
    const pattern = "{a,b}".repeat(Math.ceil(Math.log2(MAX_GLOB_ALTERNATIVES)) + 1);
    let error: unknown;
    try {
      compileGlob(pattern);
    } catch (e) {
      error = e;
    }
    expect(isOgaError(error, "OGA_BAD_INPUT")).toBe(true);
    expect((error as Error).message).toContain(pattern);
    expect(expandBraces("{a,b}{a,b}")).toEqual(["aa", "ab", "ba", "bb"]);
  });

  it("takes any hostile name without * or { as a literal matching exactly itself", () => {
    const piece = fc.constantFrom("a", ".", "/", "?", "[v2]", "(1)", "!", "+(x)", "@(y)", "#", "%", "&", "\n", "\u2028", "\u0000", "\u001b[2J", "__proto__", "}", ",");
    const name = fc
      .array(piece, { minLength: 1, maxLength: 8 })
      .map((parts) => parts.join(""))
      .filter((n) => !n.startsWith("/") && !n.endsWith("/") && !n.includes("//"));
    fc.assert(
      fc.property(name, (n) => {
        const glob = compileGlob(n);
        expect(glob.matches(n)).toBe(true);
        expect(glob.matches(`${n}x`)).toBe(false);
        expect(compileGlob("**").matches(n)).toBe(true);
        expect(compileGlob("*").matches(n)).toBe(!n.includes("/"));
      }),
      { numRuns: 2000 },
    );
  });

  // picomatch is the reference where the grammars overlap: no characters it reads specially, no
  // line breaks (its `**` stops at them), no empty alternatives (it reads `**{x,}` as a `**` segment),
  // names without empty or dot segments, and no segment ending in `.` (picomatch finds no match of
  // `*.*` in `b.`, where a `*` may be empty everywhere else).
  it("agrees with picomatch wherever the grammars overlap", () => {
    const segment = fc.stringMatching(/^[ab.x]{1,4}$/).filter((s) => !s.endsWith("."));
    const name = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
    const patternSegment = fc.oneof(
      fc.constant("**"),
      fc
        .array(fc.constantFrom("a", "b", ".", "x", "*", "{a,b}", "{ab,x}"), { minLength: 1, maxLength: 4 })
        .map((parts) => parts.join(""))
        // Specifiers never hold `.` or `..` segments (parseSpecifier refuses them); picomatch reads
        // `**{a,b}` as a `**` segment, where `**` within a segment is `*` everywhere else.
        .filter((s) => s !== "." && s !== ".." && !s.includes("**")),
    );
    const pattern = fc
      .array(patternSegment, { minLength: 1, maxLength: 4 })
      .map((s) => s.join("/"))
      .filter((p) => p.split("{").length <= 7);
    fc.assert(
      fc.property(pattern, name, (p, n) => {
        // picomatch lets `a/**` (not `*/**`) match `a` itself; here a last `**` is what lies below.
        fc.pre(!p.endsWith("/**"));
        expect(matches(p, n)).toBe(picomatch(p, { dot: true })(n));
      }),
      { numRuns: 3000 },
    );
  });
});
