import { describe, expect, it } from "vitest";
import { OgaError } from "../src/errors.js";
import { escapeControls, hasControls, stripControls, stripControlsKeepingLines } from "../src/untrusted-text.js";

/** A window title (OSC 0), a screen clear (CSI 2J), a clipboard write (OSC 52), C1 CSI, BEL and a bidi override. */
const HOSTILE = "a\u001b]0;pwned\u0007b\u001b[2Jc\u001b]52;c;ZWNobyBwd25lZA==\u0007d\u009b31me\u202ef\rg\nh\u2028i";

describe("untrusted text", () => {
  it("escapes every control character visibly, in JSON's own form", () => {
    const escaped = escapeControls(HOSTILE);
    expect(hasControls(escaped)).toBe(false);
    expect(escaped).toBe("a\\u001b]0;pwned\\u0007b\\u001b[2Jc\\u001b]52;c;ZWNobyBwd25lZA==\\u0007d\\u009b31me\\u202ef\\u000dg\\u000ah\\u2028i");
    // Inside a JSON string the escapes read back as the same value.
    const json = escapeControls(JSON.stringify({ title: HOSTILE }));
    expect(hasControls(json)).toBe(false);
    expect(JSON.parse(json)).toEqual({ title: HOSTILE });
  });

  it("keeps only the characters asked for", () => {
    expect(escapeControls("name\tsize\n", "\t")).toBe("name\tsize\\u000a");
  });

  it("strips controls for documents, turning line breaks and tabs into spaces", () => {
    expect(stripControls(HOSTILE)).toBe("a]0;pwnedb[2Jc]52;c;ZWNobyBwd25lZA==d31mef g h i");
    expect(stripControlsKeepingLines("Credit me\r\nplease\u2028twice\u001b[5m")).toBe("Credit me\nplease\ntwice[5m");
  });

  it("leaves ordinary text alone", () => {
    const text = "Ünïcödé 🎮 — “quotes” ${x} `tick` */ # % ? & __proto__";
    expect(escapeControls(text)).toBe(text);
    expect(stripControls(text)).toBe(text);
    expect(hasControls(text)).toBe(false);
  });

  it("escapes them in every OgaError message", () => {
    const error = new OgaError("OGA_NO_FILE", `no file ${HOSTILE}`);
    expect(hasControls(error.message)).toBe(false);
    expect(error.message).toContain("\\u001b]0;pwned");
  });
});
