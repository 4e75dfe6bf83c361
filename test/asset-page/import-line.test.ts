import { describe, expect, it } from "vitest";
import { assetImportLine, fileImportLine, identifierFor } from "../../src/asset-page/import-line.js";
import { parseSpecifier } from "../../src/project/specifier.js";

/** The line parses as a module with one default import of exactly `specifier`. */
function checkLine(line: string, specifier: string): void {
  const match = /^import (\S+) from (".*");$/s.exec(line);
  expect(match, line).not.toBeNull();
  expect(() => new Function(`let ${match![1]} = 1; return ${match![1]};`)).not.toThrow();
  expect(JSON.parse(match![2]!)).toBe(specifier);
}

describe("import lines", () => {
  it("names the binding in camel case after the asset or file", () => {
    expect(assetImportLine("battle-theme-a")).toBe('import battleThemeA from "oga:battle-theme-a";');
    expect(assetImportLine("música-de-batalla")).toBe('import músicaDeBatalla from "oga:música-de-batalla";');
    expect(fileImportLine("strange-file-names", "Hit Sound!.wav")).toBe('import hitSound from "oga:strange-file-names/Hit Sound!.wav";');
    expect(fileImportLine("dungeon-pack", "tiles.zip/png/door (open).png")).toBe('import doorOpen from "oga:dungeon-pack/tiles.zip/png/door (open).png";');
  });

  it("always gives a usable identifier", () => {
    expect(identifierFor("16x16 tiles")).toBe("_16x16Tiles");
    expect(identifierFor("class")).toBe("class_");
    expect(identifierFor("__proto__")).toBe("proto");
    expect(identifierFor("!!!")).toBe("asset");
    expect(identifierFor("ライセンス")).toBe("ライセンス");
    expect(identifierFor("x".repeat(100))).toHaveLength(40);
  });

  it("keeps hostile names inside the string literal", () => {
    for (const name of [`say "hi".png`, "back\\slash.png", "</script>.png", "line\u2028sep.png", "a'b`c${d}.png"]) {
      const line = fileImportLine("x", name);
      if (line === null) {
        // Only a name the grammar cannot take as one file goes without a line (`{` makes a glob).
        let kind: string | undefined;
        try {
          kind = parseSpecifier(`oga:x/${name}`).kind;
        } catch {
          kind = undefined;
        }
        expect(kind, name).not.toBe("file");
        continue;
      }
      checkLine(line, `oga:x/${name}`);
    }
  });

  it("offers no per-file line for a name the grammar reads as a glob or refuses", () => {
    expect(fileImportLine("x", "star*.png")).toBeNull();
    expect(fileImportLine("x", "{a}.png")).toBeNull();
  });

  it("offers a line for names with URL syntax, which import like any other", () => {
    expect(fileImportLine("x", "what?.png")).toBe('import what from "oga:x/what?.png";');
    expect(fileImportLine("x", "#1.png")).toBe('import _1 from "oga:x/#1.png";');
  });
});
