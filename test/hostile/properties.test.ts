/**
 * Properties over strings an attacker picks: file names, titles, author names and links made of
 * quotes, backticks, `${`, `*​/`, `#`, `%`, `?`, line breaks, U+2028, control characters and
 * prototype keys. The generated modules evaluate to exactly those strings; credits carry no
 * control characters and no link that is not http(s).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromVirtualId, toVirtualId } from "../../src/plugin/virtual-id.js";
import { assetModuleCode, globModuleCode, type AssetMeta, type FileUrl } from "../../src/plugin/module-code.js";
import { creditFor, formatCredits } from "../../src/project/credits.js";
import { createLicensePolicy } from "../../src/project/license-policy.js";
import { hasControls } from "../../src/untrusted-text.js";

const PIECES = ['"', "'", "`", "${", "}", "*/", "/*", "#", "%", "?", "&", "\n", "\r", "\t", "\u2028", "\u2029", "\u0000", "\u0007", "\u001b", "\u001b]0;x\u0007", "\u009b", "\u202e", "\\", "</script>", "__proto__", "constructor", "toString", "a", "b", ".", " ", "é", "🎮"];

/** Text from the hostile pieces. */
const hostileText = (minLength = 0) => fc.array(fc.constantFrom(...PIECES), { minLength, maxLength: 8 }).map((parts) => parts.join(""));

/** A file name: hostile text, but one path segment that is not empty, `.` or `..` (the site's names are URL segments). */
const fileName = hostileText(1)
  .map((name) => name.replace(/\//g, "_"))
  .filter((name) => name !== "." && name !== "..");

const link = fc.oneof(
  fc.constant(null),
  hostileText().map((rest) => `https://example.org/${encodeURIComponent(rest)}`),
  hostileText().map((rest) => `javascript:alert(${JSON.stringify(rest)})`),
  hostileText().map((rest) => `data:text/html,${rest}`),
  hostileText().map((rest) => `http://example.org/\u001b]8;;${rest}`),
);

/** Evaluates generated module code as a real ES module. */
async function evaluate(code: string): Promise<Record<string, unknown>> {
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

const urlOf = (i: number) => `/assets/file-${i}.bin`;
const asFileUrls = (names: readonly string[]): FileUrl[] => names.map((name, i) => ({ name, imports: "", expression: JSON.stringify(urlOf(i)) }));

describe("generated modules", () => {
  it("evaluate to the same names, titles and authors, with no prototype on records", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fileName, { minLength: 1, maxLength: 6 }), hostileText(), hostileText(), link, hostileText(), async (names, title, author, url, attribution) => {
        const files = asFileUrls(names);
        const meta: AssetMeta = { id: "x", title, author: { name: author, url }, collaborators: [{ name: attribution, url }], licenses: [title], attribution, pageUrl: "https://opengameart.org/content/x" };
        const full = await evaluate(assetModuleCode(meta, files[0]!, files, "full"));
        const glob = await evaluate(globModuleCode(files));
        const expected = Object.fromEntries(names.map((name, i) => [name, urlOf(i)]));
        for (const record of [full.files, glob.default] as Record<string, string>[]) {
          expect(Object.getPrototypeOf(record)).toBeNull();
          expect(Object.keys(record).sort()).toEqual(Object.keys(expected).sort());
          for (const name of names) expect(Object.getOwnPropertyDescriptor(record, name)?.value).toBe(expected[name]);
        }
        expect(full.default).toBe(urlOf(0));
        expect(full.meta).toEqual(meta);
        const lean = await evaluate(assetModuleCode(meta, files[0]!, [files[0]!], "main"));
        expect(lean.default).toBe(urlOf(0));
        expect(lean.meta).toEqual(meta);
      }),
      { numRuns: 150 },
    );
  });

  it("have ids that round-trip any file name and hold only the dev-URL-safe alphabet", () => {
    fc.assert(
      fc.property(fileName, (name) => {
        const specifier = `oga:x/${name}`;
        const id = toVirtualId(specifier);
        expect(id.slice(1)).toMatch(/^oga:[A-Za-z0-9._\-/*{},~]+$/);
        expect(fromVirtualId(id)).toEqual({ specifier, view: "full" });
      }),
      { numRuns: 500 },
    );
  });
});

describe("credits", () => {
  const policy = createLicensePolicy(undefined, "");

  it("carry no control characters and only http(s) links, in every format", () => {
    fc.assert(
      fc.property(hostileText(), hostileText(), link, hostileText(), link, (title, author, url, attribution, deed) => {
        const locked = { title, pageUrl: "https://opengameart.org/content/x", author: { name: author, url }, collaborators: [{ name: title, url }], licenses: ["CC0"], licenseUrls: (deed === null ? {} : { CC0: deed }) as Record<string, string>, attribution };
        const credit = creditFor("x", locked, policy.choose("x", ["CC0"]));
        for (const text of [credit.title, credit.author.name, credit.license, credit.text, ...credit.licenses, ...credit.collaborators.map((c) => c.name)]) expect(hasControls(text), JSON.stringify(text)).toBe(false);
        // The author's attribution keeps its lines, and nothing else.
        expect(hasControls(credit.attribution.replace(/\n/g, ""))).toBe(false);
        for (const link of [credit.author.url, credit.licenseUrl, ...credit.collaborators.map((c) => c.url)]) if (link !== null) expect(link).toMatch(/^https?:\/\/[^\s\u0000-\u001f]*$/);

        for (const format of ["md", "text"] as const) {
          const document = formatCredits([credit], format);
          for (const line of document.split("\n")) expect(hasControls(line), `${format}: ${JSON.stringify(line)}`).toBe(false);
          expect(document).not.toMatch(/\]\(<(?!https?:)/);
        }
        const json = formatCredits([credit], "json");
        expect(hasControls(json.replace(/\n/g, ""))).toBe(false);
        expect(JSON.parse(json)).toEqual([credit]);
      }),
      { numRuns: 1000 },
    );
  });
});
