/**
 * The edges of a blob's file name: where it is cut, which extension survives the cut, and which
 * spaces and dots are dropped. Exact results, so a name that shifts by one byte is caught.
 */
import { describe, expect, it } from "vitest";
import { safeFileName } from "../../src/store/file-name.js";

describe("safeFileName at its edges", () => {
  it("drops leading and trailing spaces and every trailing dot", () => {
    expect(safeFileName("  song.ogg")).toBe("song.ogg");
    expect(safeFileName("song.ogg...")).toBe("song.ogg");
    expect(safeFileName("song.ogg. . ")).toBe("song.ogg");
  });

  it("keeps a name of exactly 200 bytes and cuts one of 201 to 200, in the stem", () => {
    const exact = `${"a".repeat(196)}.ogg`;
    expect(safeFileName(exact)).toBe(exact);
    expect(safeFileName(`${"a".repeat(197)}.ogg`)).toBe(exact);
    expect(safeFileName(`${"a".repeat(300)}.ogg`)).toBe(exact);
  });

  it("fills the stem to the last whole character that fits", () => {
    // 2-byte characters: 98 of them (196 bytes) + ".ogg" is 200 bytes.
    expect(safeFileName(`${"é".repeat(150)}.ogg`)).toBe(`${"é".repeat(98)}.ogg`);
    // 3-byte characters: 65 of them (195 bytes) fit, a 66th would make 202.
    expect(safeFileName(`${"ド".repeat(100)}.ogg`)).toBe(`${"ド".repeat(65)}.ogg`);
  });

  it("keeps an extension of up to 16 characters (with its dot); a longer tail is cut like the stem", () => {
    const ext16 = `.${"e".repeat(15)}`;
    expect(safeFileName(`${"a".repeat(300)}${ext16}`)).toBe(`${"a".repeat(200 - 16)}${ext16}`);
    const ext17 = `.${"e".repeat(16)}`;
    expect(safeFileName(`${"a".repeat(300)}${ext17}`)).toBe("a".repeat(200));
  });

  it("takes no extension from a name whose only dot leads it", () => {
    expect(safeFileName(`.${"a".repeat(300)}`)).toBe(`.${"a".repeat(199)}`);
  });
});
