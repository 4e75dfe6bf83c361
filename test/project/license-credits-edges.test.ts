/**
 * The edges of the license policy and the credits documents: a license name new to us (its
 * facts, its SPDX reference cut to SPDX's alphabet), names offered in another case, an empty
 * allow-list, a typo's message; credits sorted by id whatever the input order, links with control
 * characters dropped, an attribution of blanks treated as none, the JSON and CSV documents in
 * full, the credits file names accepted and refused. Every value below is written out.
 */
import { describe, expect, it } from "vitest";
import { OgaError } from "../../src/errors.js";
import { creditFor, creditsFileNames, creditsForAssets, formatCredits, sortCredits, type Credit } from "../../src/project/credits.js";
import { pinnedFiles } from "../../src/project/credits-csv.js";
import { createLicensePolicy, licenseFacts, spdxId } from "../../src/project/license-policy.js";
import type { LockedAsset } from "../../src/store/lockfile.js";

const locked = (id: string, extra: Partial<LockedAsset> = {}): LockedAsset => ({
  title: `Title ${id}`,
  pageUrl: `https://opengameart.org/content/${id}`,
  author: { name: `Author ${id}`, url: null },
  licenses: ["CC0"],
  attribution: "",
  type: "2D Art",
  main: null,
  files: {},
  ...extra,
});

describe("a license name new to us", () => {
  it("requires attribution, is not share-alike, and has no deed", () => {
    expect(licenseFacts("Domínio  Público")).toEqual({ name: "Domínio  Público", url: null, attribution: true, shareAlike: false, spdx: "LicenseRef-Dominio-Publico" });
  });

  it("gets a LicenseRef cut to SPDX's alphabet: runs become one '-', ends trimmed", () => {
    expect(spdxId("..Odd  License..")).toBe("LicenseRef-Odd-License");
    expect(spdxId("--x--")).toBe("LicenseRef-x");
    // Cut at 64 characters, then the dash and dot the cut left at the end are dropped.
    expect(spdxId(`${"a".repeat(62)} .xyz`)).toBe(`LicenseRef-${"a".repeat(62)}`);
    expect(spdxId("!!!")).toBe("LicenseRef-unknown");
  });

  it("ranks below every known license without an allow-list, and is chosen when it is all there is", () => {
    const policy = createLicensePolicy(undefined);
    expect(policy.choose("a", ["Weird License", "CC-BY-SA 3.0", "CC-BY 3.0"]).name).toBe("CC-BY 3.0");
    expect(policy.choose("a", ["Weird License", "GPL 3.0"]).name).toBe("GPL 3.0");
    expect(policy.choose("a", ["Weird License"])).toMatchObject({ name: "Weird License", spdx: "LicenseRef-Weird-License" });
  });
});

describe("an allow-list", () => {
  it("matches licenses the page prints in another case, next to names it does not know", () => {
    const policy = createLicensePolicy(["cc-by-30"]);
    expect(policy.choose("a", ["Weird License", "cc-by 3.0"])).toMatchObject({ name: "CC-BY 3.0", spdx: "CC-BY-3.0" });
  });

  it("that is empty refuses every asset and says none is allowed", () => {
    const policy = createLicensePolicy([], "pass --license");
    expect(() => policy.choose("a", ["CC0"])).toThrow(`asset "a" is offered under CC0; none of them is in the allowed licenses (none). Use another asset, or pass --license.`);
  });

  it("with a typo is refused, listing the names and slugs it could be", () => {
    let error: unknown;
    try {
      createLicensePolicy(["CC0", "cc-by-50"]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OgaError);
    expect((error as OgaError).code).toBe("OGA_BAD_INPUT");
    expect((error as OgaError).message).toBe(
      `licenses: "cc-by-50" is not a license this package knows; use one of CC0, CC-BY 4.0, CC-BY 3.0, CC-BY-SA 4.0, CC-BY-SA 3.0, OGA-BY 3.0, OGA-BY 4.0, GPL 3.0, GPL 2.0, LGPL 3.0, LGPL 2.1 (or their slugs: cc0, cc-by-40, cc-by-30, cc-by-sa-40, cc-by-sa-30, oga-by-30, oga-by-40, gpl-30, gpl-20, lgpl-30, lgpl-21).`,
    );
  });
});

describe("credits", () => {
  const policy = createLicensePolicy(undefined);

  it("are sorted by asset id in code-unit order, whatever order they come in", () => {
    const ids = ["m", "Z", "b", "zz", "a", "q"];
    const credits = ids.map((id) => creditFor(id, locked(id), policy.choose(id, ["CC0"])));
    expect(sortCredits(credits).map((c) => c.id)).toEqual(["Z", "a", "b", "m", "q", "zz"]);
    expect(creditsForAssets(ids, (id) => locked(id), policy).map((c) => c.id)).toEqual(["Z", "a", "b", "m", "q", "zz"]);
  });

  it("refuse an asset the lock session does not have (a bug, never a silent omission)", () => {
    expect(() => creditsForAssets(["a", "gone"], (id) => (id === "a" ? locked(id) : undefined), policy)).toThrow(`vite-plugin-oga: asset "gone" is in the bundle but not in the lock session`);
  });

  it("drop a link with a control character in it", () => {
    const credit = creditFor("a", locked("a", { author: { name: "Me", url: "https://exa\nmple.com/me" } }), policy.choose("a", ["CC0"]));
    expect(credit.author).toEqual({ name: "Me", url: null });
  });

  it("treat an attribution of blanks as none, in Markdown and CSV", () => {
    const credit = creditFor("a", locked("a", { attribution: " \n\t " }), policy.choose("a", ["CC0"]));
    expect(formatCredits([credit], "md")).not.toContain("Attribution requested");
    expect(formatCredits([credit], "csv")).toBe(
      `filename,notes,authors,licenses,urls\r\n"a","Title a","Author a","CC0","https://opengameart.org/content/a"\r\n`,
    );
  });

  it("as JSON and as CSV (a row per asset without a files list; other licenses in the notes)", () => {
    const credit: Credit = creditFor(
      "a",
      locked("a", { licenses: ["CC0", "CC-BY 3.0", "GPL 3.0"], attribution: "Say hi", author: { name: "Me", url: "https://example.com/me" } }),
      policy.choose("a", ["CC0", "CC-BY 3.0", "GPL 3.0"]),
    );
    expect(formatCredits([credit], "csv")).toBe(
      `filename,notes,authors,licenses,urls\r\n"a","Title a; also offered under CC-BY 3.0, GPL 3.0; attribution requested: Say hi","Me","CC0","https://opengameart.org/content/a"\r\n`,
    );
    expect(formatCredits([credit], "json")).toBe(`[
  {
    "id": "a",
    "title": "Title a",
    "pageUrl": "https://opengameart.org/content/a",
    "author": {
      "name": "Me",
      "url": "https://example.com/me"
    },
    "collaborators": [],
    "license": "CC0",
    "licenseUrl": "https://creativecommons.org/publicdomain/zero/1.0/",
    "spdx": "CC0-1.0",
    "shareAlike": false,
    "licenses": [
      "CC0",
      "CC-BY 3.0",
      "GPL 3.0"
    ],
    "attribution": "Say hi",
    "text": "\\"Title a\\" by Me, licensed CC0 (https://creativecommons.org/publicdomain/zero/1.0/), from https://opengameart.org/content/a"
  }
]
`);
  });

  it("list the pinned files and used zip entries of an asset, sorted", () => {
    const asset = locked("a", {
      files: {
        "b.ogg": { url: "https://x/b.ogg", size: 1, sha256: "b".repeat(64) },
        "unpinned.ogg": { url: "https://x/unpinned.ogg", size: 1 },
        "a.zip": { url: "https://x/a.zip", size: 9, sha256: "a".repeat(64), entries: { "z.png": { size: 1, sha256: "c".repeat(64) } } },
      },
    });
    expect(pinnedFiles(asset)).toEqual(["a.zip", "a.zip/z.png", "b.ogg"]);
  });
});

describe("credits file names", () => {
  it("default to CREDITS.md and credits.json, with true, nothing, or an object without names", () => {
    for (const option of [undefined, true, {}] as const) expect(creditsFileNames(option)).toEqual(["CREDITS.md", "credits.json"]);
    expect(creditsFileNames(false)).toEqual([]);
  });

  it("accept relative names, a colon inside one included, each once", () => {
    expect(creditsFileNames({ fileName: ["legal/notes:v1.md", "CREDITS.csv", "CREDITS.csv"] })).toEqual(["legal/notes:v1.md", "CREDITS.csv"]);
  });

  it("refuse a name that is not a string (a JavaScript config is not type-checked)", () => {
    expect(() => creditsFileNames({ fileName: [5 as unknown as string] })).toThrow(`credits.fileName: 5 must be a relative path inside the output directory`);
  });

  for (const name of ["", "/abs/CREDITS.md", "C:CREDITS.md", "../CREDITS.md", "legal\\..\\..\\x.md"]) {
    it(`refuse ${JSON.stringify(name)}`, () => {
      expect(() => creditsFileNames({ fileName: name })).toThrow(`credits.fileName: ${JSON.stringify(name)} must be a relative path inside the output directory (e.g. "CREDITS.md" or "legal/credits.json").`);
    });
  }
});
