/**
 * The credits documents as a user reads them, written out in full: every line of the Markdown, the
 * text lines, which license each asset is credited under, the order, and the links that may appear.
 */
import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { creditFor, creditsFileNames, creditsFiles, creditsForAssets, formatCredits, shareAlikeSummary } from "../../src/project/credits.js";
import { createLicensePolicy, licenseFacts } from "../../src/project/license-policy.js";
import type { LockedAsset } from "../../src/store/lockfile.js";

const locked = (id: string, extra: Partial<LockedAsset> = {}): LockedAsset => ({
  pageUrl: `https://opengameart.org/content/${id}`,
  title: id.toUpperCase(),
  author: { name: "Ann", url: "https://opengameart.org/users/ann" },
  licenses: ["CC0"],
  attribution: "",
  type: null,
  main: null,
  files: {},
  ...extra,
});

const ASSETS: Record<string, LockedAsset> = {
  zeta: locked("zeta", {
    title: "Zeta #1 | `best`",
    collaborators: [{ name: "Bo", url: "https://bo.example/<x>" }, { name: "Cy", url: null }],
    licenses: ["CC-BY-SA 3.0", "CC-BY 3.0", "GPL 3.0"],
    licenseUrls: { "CC-BY 3.0": "http://creativecommons.org/licenses/by/3.0/" },
    attribution: "  Please credit Ann!  \r\n\r\nand link <back>  \n",
  }),
  alpha: locked("alpha", { author: { name: "Al", url: null } }),
};

const policy = createLicensePolicy(undefined);
const credits = creditsForAssets(["zeta", "alpha"], (id) => ASSETS[id], policy);

describe("credits from the lock", () => {
  it("are sorted by id, each under the most permissive license on offer", () => {
    expect(credits.map((c) => [c.id, c.license, c.licenseUrl, c.shareAlike])).toEqual([
      ["alpha", "CC0", "https://creativecommons.org/publicdomain/zero/1.0/", false],
      ["zeta", "CC-BY 3.0", "http://creativecommons.org/licenses/by/3.0/", false],
    ]);
  });

  it("an asset the lock does not hold is a loud error, never a missing credit", () => {
    expect(() => creditsForAssets(["alpha", "gone"], (id) => ASSETS[id], policy)).toThrow('vite-plugin-oga: asset "gone" is in the bundle but not in the lock session');
  });

  it("an allow-list decides the license; an asset outside it is refused", () => {
    const strict = createLicensePolicy(["GPL 3.0"]);
    expect(creditsForAssets(["zeta"], (id) => ASSETS[id], strict)[0]!.license).toBe("GPL 3.0");
    let error: unknown;
    try {
      creditsForAssets(["alpha"], (id) => ASSETS[id], strict);
    } catch (caught) {
      error = caught;
    }
    expect(isOgaError(error, "OGA_LICENSE")).toBe(true);
  });
});

describe("the Markdown document", () => {
  it("is written out in full", () => {
    expect(formatCredits(credits, "md")).toBe(
      [
        "# Credits",
        "",
        "This project uses 2 assets from OpenGameArt.org.",
        "",
        "## ALPHA",
        "",
        "- Author: Al",
        "- License: [CC0](<https://creativecommons.org/publicdomain/zero/1.0/>)",
        "- Source: <https://opengameart.org/content/alpha>",
        "",
        "## Zeta \\#1 \\| \\`best\\`",
        "",
        "- Author: [Ann](<https://opengameart.org/users/ann>)",
        "- Collaborators: [Bo](<https://bo.example/%3Cx%3E>), Cy",
        "- License: [CC-BY 3.0](<http://creativecommons.org/licenses/by/3.0/>) (also offered under CC-BY-SA 3.0, GPL 3.0)",
        "- Source: <https://opengameart.org/content/zeta>",
        "",
        "Attribution requested by the author:",
        "",
        "> Please credit Ann\\!",
        ">",
        "> and link \\<back\\>",
        "",
      ].join("\n"),
    );
  });

  it("counts one asset in the singular", () => {
    expect(formatCredits(credits.slice(0, 1), "md")).toContain("\nThis project uses 1 asset from OpenGameArt.org.\n");
  });

  it("escapes every Markdown character the uploader may write", () => {
    const credit = creditFor("x", { ...locked("x"), title: "\\`*_[]<>#|!" }, licenseFacts("CC0"));
    expect(formatCredits([credit], "md")).toContain("## \\\\\\`\\*\\_\\[\\]\\<\\>\\#\\|\\!\n");
  });
});

describe("the text document", () => {
  it("is one line per asset, with the attribution on one line", () => {
    expect(formatCredits(credits, "text")).toBe(
      '"ALPHA" by Al, licensed CC0 (https://creativecommons.org/publicdomain/zero/1.0/), from https://opengameart.org/content/alpha\n' +
        '"Zeta #1 | `best`" by Ann, Bo and Cy, licensed CC-BY 3.0 (http://creativecommons.org/licenses/by/3.0/), from https://opengameart.org/content/zeta (Please credit Ann! and link <back>)\n',
    );
  });
});

describe("links in credits", () => {
  it("only well-formed http(s) URLs without control characters are kept", () => {
    for (const url of ["javascript:alert(1)", "not a url", "https://a.example/\u0007x", "ftp://a.example/"]) {
      const credit = creditFor("x", { ...locked("x"), author: { name: "A", url } }, licenseFacts("CC0"));
      expect(credit.author.url, url).toBeNull();
    }
    expect(creditFor("x", { ...locked("x"), author: { name: "A", url: "http://a.example/" } }, licenseFacts("CC0")).author.url).toBe("http://a.example/");
  });

  it("the deed the page links is matched to the chosen license whatever its case", () => {
    const credit = creditFor("x", { ...locked("x"), licenses: ["cc-by 3.0"], licenseUrls: { "cc-by 3.0": "https://deed.example/" } }, licenseFacts("CC-BY 3.0"));
    expect(credit.licenseUrl).toBe("https://deed.example/");
  });
});

describe("credits files", () => {
  it("are written sorted, one format per file name, each name once", () => {
    const names = creditsFileNames({ fileName: ["a.md", "b.txt", "a.md"] });
    expect(names).toEqual(["a.md", "b.txt"]);
    const files = creditsFiles(names, [...credits].reverse());
    expect(files.map((f) => f.fileName)).toEqual(["a.md", "b.txt"]);
    expect(files[0]!.source).toBe(formatCredits(credits, "md"));
    expect(files[1]!.source).toBe(formatCredits(credits, "text"));
  });

  it("refuse names that leave the output directory, also with backslashes", () => {
    for (const name of ["a\\..\\..\\x.md", "legal/../../x.md", "c:x.md"]) {
      expect(() => creditsFileNames({ fileName: name }), name).toThrow("must be a relative path inside the output directory");
    }
    expect(creditsFileNames({ fileName: "legal/credits..md" })).toEqual(["legal/credits..md"]);
  });
});

describe("the share-alike summary", () => {
  it("counts in the plural and lists each asset with its license, sorted", () => {
    const sa = (id: string) => creditFor(id, { ...locked(id), licenses: ["CC-BY-SA 4.0"] }, licenseFacts("CC-BY-SA 4.0"));
    expect(shareAlikeSummary([sa("b"), sa("a"), ...credits])).toBe(
      "2 assets ship under a share-alike license: a (CC-BY-SA 4.0), b (CC-BY-SA 4.0). Derivatives must be shared under the same license; see the credits.",
    );
  });
});
