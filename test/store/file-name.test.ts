import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { blobFileName, safeFileName } from "../../src/store/file-name.js";

describe("safeFileName", () => {
  it("keeps ordinary names, including spaces, unicode and leading dots", () => {
    for (const name of ["battleThemeA_0.mp3", "Town Theme (loop).ogg", "ドラゴン.png", ".hidden.wav", "a..b.zip"]) {
      expect(safeFileName(name)).toBe(name);
    }
  });

  it("neutralizes separators, NUL, control and Windows-reserved characters", () => {
    expect(safeFileName("../../etc/passwd")).toBe(".._.._etc_passwd");
    expect(safeFileName("..\\..\\boot.ini")).toBe(".._.._boot.ini");
    expect(safeFileName("a\u0000b\nc.png")).toBe("a_b_c.png");
    expect(safeFileName('what?<>:"|*.txt')).toBe("what_______.txt");
  });

  it("drops trailing dots and spaces, which Windows would drop silently", () => {
    expect(safeFileName("song.ogg. ")).toBe("song.ogg");
  });

  it("refuses names that are empty or only dots", () => {
    for (const name of ["", " ", ".", "..", "...", ". ."]) {
      let error: unknown;
      try {
        safeFileName(name);
      } catch (caught) {
        error = caught;
      }
      expect(isOgaError(error, "OGA_BAD_INPUT"), JSON.stringify(name)).toBe(true);
    }
  });

  it("shortens long names in the stem, keeping the extension and whole characters", () => {
    const long = `${"é".repeat(300)}.ogg`;
    const short = safeFileName(long);
    expect(Buffer.byteLength(short)).toBeLessThanOrEqual(200);
    expect(short.endsWith("é.ogg")).toBe(true);
  });
});

describe("blobFileName", () => {
  it("also turns the characters bundlers read as URL syntax (# and %) into _", () => {
    expect(blobFileName("sound #1.wav")).toBe("sound _1.wav");
    expect(blobFileName("100%.wav")).toBe("100_.wav");
    expect(blobFileName("what?.wav")).toBe("what_.wav");
    expect(blobFileName("a&b (1) [v2].wav")).toBe("a&b (1) [v2].wav");
  });

  it("gives a name without an extension one (Vite's dev server takes such URLs for modules)", () => {
    expect(blobFileName("__proto__")).toBe("__proto__.bin");
    expect(blobFileName(".hidden")).toBe(".hidden.bin");
    expect(blobFileName("README")).toBe("README.bin");
    expect(blobFileName("notes.txt")).toBe("notes.txt");
    expect(safeFileName("sound #1 100%.wav")).toBe("sound #1 100%.wav");
  });
});
