/**
 * The SPDX ids and the LPC `CREDITS.csv` format on their own; test/plugin/credits.test.ts checks
 * both in real builds and test/cli/credits.test.ts through `oga credits`.
 */
import { describe, expect, it } from "vitest";
import { creditFor } from "../../src/project/credits.js";
import { creditsCsv, csvCell, pinnedFiles } from "../../src/project/credits-csv.js";
import { licenseFacts, spdxId } from "../../src/project/license-policy.js";
import { LICENSES } from "../../src/site/vocabulary.js";

/** SPDX's idstring: letters, digits, `-` and `.` (SPDX specification, annex "License expressions"). */
const IDSTRING = /^[A-Za-z0-9.-]+$/;

describe("SPDX ids", () => {
  it("maps every license the site offers", () => {
    expect(Object.fromEntries(LICENSES.map((l) => [l.id, spdxId(l.id)]))).toEqual({
      CC0: "CC0-1.0",
      "CC-BY 4.0": "CC-BY-4.0",
      "CC-BY 3.0": "CC-BY-3.0",
      "CC-BY-SA 4.0": "CC-BY-SA-4.0",
      "CC-BY-SA 3.0": "CC-BY-SA-3.0",
      "OGA-BY 3.0": "LicenseRef-OGA-BY-3.0",
      "OGA-BY 4.0": "LicenseRef-OGA-BY-4.0",
      "GPL 3.0": "GPL-3.0-only",
      "GPL 2.0": "GPL-2.0-only",
      "LGPL 3.0": "LGPL-3.0-only",
      "LGPL 2.1": "LGPL-2.1-only",
    });
    // Slugs and case, as the policy accepts them.
    expect(spdxId("cc-by-sa-30")).toBe("CC-BY-SA-3.0");
    expect(spdxId("oga-by 4.0")).toBe("LicenseRef-OGA-BY-4.0");
  });

  it("gives an unknown name a LicenseRef- in SPDX's alphabet, whatever the page wrote", () => {
    expect(spdxId("WTFPL")).toBe("LicenseRef-WTFPL");
    expect(spdxId("Domínio Público")).toBe("LicenseRef-Dominio-Publico");
    expect(spdxId("CC-BY 2.5")).toBe("LicenseRef-CC-BY-2.5");
    const hostile = ["<script>alert(1)</script>", "__proto__", "a\u0000b\nc", "  ", "ライセンス", "x".repeat(500), "-=cmd|' /C calc'!A0"];
    for (const name of hostile) {
      const id = spdxId(name);
      expect(id).toMatch(/^LicenseRef-/);
      expect(id, name).toMatch(IDSTRING);
      expect(id.length).toBeLessThanOrEqual("LicenseRef-".length + 64);
    }
    expect(spdxId("ライセンス")).toBe("LicenseRef-unknown");
    expect(spdxId("__proto__")).toBe("LicenseRef-proto");
  });

  it("is on the license facts and so on every credit", () => {
    expect(licenseFacts("GPL 3.0").spdx).toBe("GPL-3.0-only");
    const credit = creditFor("a", { title: "A", pageUrl: "https://opengameart.org/content/a", author: { name: "x", url: null }, licenses: ["OGA-BY 3.0"], attribution: "" }, licenseFacts("OGA-BY 3.0"));
    expect(credit.spdx).toBe("LicenseRef-OGA-BY-3.0");
  });
});

describe("CREDITS.csv", () => {
  const base = { pageUrl: "https://opengameart.org/content/a", author: { name: "Ann", url: null }, attribution: "" };

  it("quotes every cell per RFC 4180, doubles quotes and keeps commas inside the cell", () => {
    expect(csvCell(`He said "hi", then left`)).toBe(`"He said ""hi"", then left"`);
    expect(csvCell("")).toBe(`""`);
  });

  it("turns line breaks and control characters into spaces", () => {
    expect(csvCell("line one\r\nline two\u0000\u001b[31m\u2028end")).toBe(`"line one line two [31m end"`);
  });

  it("defuses a cell a spreadsheet would run as a formula", () => {
    for (const formula of ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\uFF1D1+1", "\t=1", "\n@x"]) {
      expect(csvCell(formula), JSON.stringify(formula)).toMatch(/^"'[=+\-@\uFF1D]/);
    }
    expect(csvCell("a=b")).toBe(`"a=b"`);
  });

  it("writes the LPC header and a row per file, the asset's title, other licenses and attribution in the notes", () => {
    const credit = creditFor(
      "a",
      { ...base, title: "=Evil, \"Title\"", collaborators: [{ name: "Bo", url: null }], licenses: ["CC0", "CC-BY 3.0"], attribution: "Credit me\nplease" },
      licenseFacts("CC0"),
    );
    const csv = creditsCsv([credit], () => ["b.png", "a.png", "a.png"]);
    const notes = `"'=Evil, ""Title""; also offered under CC-BY 3.0; attribution requested: Credit me please"`;
    expect(csv).toBe(
      [
        "filename,notes,authors,licenses,urls",
        `"a/a.png",${notes},"Ann,Bo","CC0","https://opengameart.org/content/a"`,
        `"a/b.png",${notes},"Ann,Bo","CC0","https://opengameart.org/content/a"`,
        "",
      ].join("\r\n"),
    );
  });

  it("keeps an asset with no file listed, as one row named by its id", () => {
    const credit = creditFor("lonely", { ...base, title: "Lonely", licenses: ["CC0"] }, licenseFacts("CC0"));
    expect(creditsCsv([credit], () => []).split("\r\n")[1]).toBe(`"lonely","Lonely","Ann","CC0","https://opengameart.org/content/a"`);
  });

  it("from a lockfile: every pinned file and every zip entry a build used", () => {
    const pin = { sha256: "0".repeat(64), size: 1 };
    const url = (name: string) => `https://opengameart.org/sites/default/files/${name}`;
    expect(
      pinnedFiles({
        files: {
          "b.ogg": { url: url("b.ogg"), ...pin },
          "never-downloaded.wav": { url: url("n.wav"), size: 1 },
          "pack.zip": { url: url("pack.zip"), ...pin, entries: { "dir/x.wav": pin, "inner.zip": { ...pin, entries: { "y.png": pin } } } },
        },
      }),
    ).toEqual(["b.ogg", "pack.zip", "pack.zip/dir/x.wav", "pack.zip/inner.zip", "pack.zip/inner.zip/y.png"]);
  });
});
