/**
 * Every field of a hand-edited or merged `oga.lock.json` is checked when read: the first wrong one
 * is named with what it holds, and what is right is read back exactly, optional fields included.
 */
import { describe, expect, it } from "vitest";
import { OgaError, isOgaError } from "../../src/errors.js";
import { parseLockfile } from "../../src/store/lockfile.js";

const SHA = "a".repeat(64);
const SHA_B = "b".repeat(64);
const URL_A = "https://opengameart.org/sites/default/files/a.ogg";

const FILE = { url: URL_A, size: 3 };
const ASSET = {
  attribution: "",
  author: { name: "cynicmusic", url: null },
  files: { "a.ogg": FILE },
  licenses: ["CC0"],
  main: "a.ogg",
  pageUrl: "https://opengameart.org/content/a",
  title: "A",
  type: "Music",
};

function text(asset: Record<string, unknown>, top: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, specifiers: [], assets: { a: asset }, ...top });
}

/** The message of the error reading `lockText` throws (fails when it reads fine). */
function refusal(lockText: string): string {
  let error: unknown;
  try {
    parseLockfile(lockText, "/p/oga.lock.json");
  } catch (caught) {
    error = caught;
  }
  expect(isOgaError(error, "OGA_BAD_INPUT"), `no OGA_BAD_INPUT for ${lockText}`).toBe(true);
  return (error as OgaError).message;
}

const corrupt = (why: string): string =>
  `Lockfile /p/oga.lock.json is corrupt: ${why}. Fix it, or delete it and run \`oga prefetch\` to recreate it.`;

describe("a wrong field is named with what it holds", () => {
  const cases: [string, string, string][] = [
    ["assets is a list", JSON.stringify({ version: 1, assets: [] }), "assets is [], expected an object"],
    ["assets is null", JSON.stringify({ version: 1, assets: null }), "assets is null, expected an object"],
    ["assets is a string", JSON.stringify({ version: 1, assets: "x" }), 'assets is "x", expected an object'],
    ["assets missing", JSON.stringify({ version: 1 }), "assets is missing, expected an object"],
    ["specifiers not a list", text(ASSET, { specifiers: "oga:a" }), 'specifiers is "oga:a", expected a list of strings'],
    ["a specifier not a string", text(ASSET, { specifiers: ["oga:a", 7] }), "specifiers[1] is 7, expected a string"],
    ["attribution", text({ ...ASSET, attribution: 1 }), 'assets["a"].attribution is 1, expected a string'],
    ["author", text({ ...ASSET, author: "me" }), 'assets["a"].author is "me", expected an object'],
    ["author name", text({ ...ASSET, author: { name: null } }), 'assets["a"].author.name is null, expected a string'],
    ["author url", text({ ...ASSET, author: { name: "x", url: 3 } }), 'assets["a"].author.url is 3, expected a string'],
    ["collaborators", text({ ...ASSET, collaborators: {} }), 'assets["a"].collaborators is {}, expected a list of people'],
    ["a collaborator", text({ ...ASSET, collaborators: [{ name: "x", url: null }, { name: 2 }] }), 'assets["a"].collaborators[1].name is 2, expected a string'],
    ["files", text({ ...ASSET, files: [] }), 'assets["a"].files is [], expected an object'],
    ["a file", text({ ...ASSET, files: { "a.ogg": 5 } }), 'assets["a"].files["a.ogg"] is 5, expected an object'],
    ["file url", text({ ...ASSET, files: { "a.ogg": { size: 3 } } }), 'assets["a"].files["a.ogg"].url is missing, expected a string'],
    ["file size", text({ ...ASSET, files: { "a.ogg": { ...FILE, size: "3" } } }), 'assets["a"].files["a.ogg"].size is "3", expected a size in bytes'],
    ["negative size", text({ ...ASSET, files: { "a.ogg": { ...FILE, size: -1 } } }), 'assets["a"].files["a.ogg"].size is -1, expected a size in bytes'],
    ["fractional size", text({ ...ASSET, files: { "a.ogg": { ...FILE, size: 1.5 } } }), 'assets["a"].files["a.ogg"].size is 1.5, expected a size in bytes'],
    ["file label", text({ ...ASSET, files: { "a.ogg": { ...FILE, label: 1 } } }), 'assets["a"].files["a.ogg"].label is 1, expected a string'],
    ["file etag", text({ ...ASSET, files: { "a.ogg": { ...FILE, etag: 1 } } }), 'assets["a"].files["a.ogg"].etag is 1, expected a string'],
    ["file sha256", text({ ...ASSET, files: { "a.ogg": { ...FILE, sha256: "ABC" } } }), 'assets["a"].files["a.ogg"].sha256 is "ABC", expected a sha256 (64 lower-case hex digits)'],
    [
      "upper-case sha256",
      text({ ...ASSET, files: { "a.ogg": { ...FILE, sha256: "A".repeat(64) } } }),
      `assets["a"].files["a.ogg"].sha256 is "${"A".repeat(36)}..., expected a sha256 (64 lower-case hex digits)`,
    ],
    ["entries", text({ ...ASSET, files: { "a.ogg": { ...FILE, sha256: SHA, entries: [] } } }), 'assets["a"].files["a.ogg"].entries is [], expected an object'],
    [
      "entry sha256",
      text({ ...ASSET, files: { "a.ogg": { ...FILE, sha256: SHA, entries: { "x.png": { size: 1, sha256: "no" } } } } }),
      'assets["a"].files["a.ogg"].entries["x.png"].sha256 is "no", expected a sha256 (64 lower-case hex digits)',
    ],
    [
      "entry size",
      text({ ...ASSET, files: { "a.ogg": { ...FILE, sha256: SHA, entries: { "x.png": { sha256: SHA } } } } }),
      'assets["a"].files["a.ogg"].entries["x.png"].size is missing, expected a size in bytes',
    ],
    [
      "nested entry",
      text({ ...ASSET, files: { "a.ogg": { ...FILE, sha256: SHA, entries: { "in.zip": { size: 1, sha256: SHA, entries: { "y.png": null } } } } } }),
      'assets["a"].files["a.ogg"].entries["in.zip"].entries["y.png"] is null, expected an object',
    ],
    ["filesUnavailable", text({ ...ASSET, filesUnavailable: "yes" }), 'assets["a"].filesUnavailable is "yes", expected true or false'],
    ["licenseUrls", text({ ...ASSET, licenseUrls: ["x"] }), 'assets["a"].licenseUrls is ["x"], expected an object'],
    ["a deed", text({ ...ASSET, licenseUrls: { CC0: 0 } }), 'assets["a"].licenseUrls["CC0"] is 0, expected a string'],
    ["licenses", text({ ...ASSET, licenses: "CC0" }), 'assets["a"].licenses is "CC0", expected a list of strings'],
    ["a license", text({ ...ASSET, licenses: ["CC0", false] }), 'assets["a"].licenses[1] is false, expected a string'],
    ["main", text({ ...ASSET, main: 0 }), 'assets["a"].main is 0, expected a string'],
    ["pageUrl", text({ ...ASSET, pageUrl: null }), 'assets["a"].pageUrl is null, expected a string'],
    ["title", text({ ...ASSET, title: ["A"] }), 'assets["a"].title is ["A"], expected a string'],
    ["type", text({ ...ASSET, type: 1 }), 'assets["a"].type is 1, expected a string'],
    [
      "a long value is cut short",
      text({ ...ASSET, title: { "a very long key that goes on": "and a long value too" } }),
      `assets["a"].title is ${JSON.stringify({ "a very long key that goes on": "and a long value too" }).slice(0, 37)}..., expected a string`,
    ],
    ["a value of 40 characters is shown whole", text({ ...ASSET, title: ["x".repeat(36)] }), `assets["a"].title is ["${"x".repeat(36)}"], expected a string`],
    ["a value of 41 characters is cut", text({ ...ASSET, title: ["x".repeat(37)] }), `assets["a"].title is ["${"x".repeat(35)}..., expected a string`],
  ];
  for (const [what, lockText, why] of cases) {
    it(what, () => {
      expect(refusal(lockText)).toBe(corrupt(why));
    });
  }

  it("the first wrong field in the file's (sorted) order is the one named", () => {
    expect(refusal(text({ ...ASSET, attribution: 1, title: 2 }))).toBe(corrupt('assets["a"].attribution is 1, expected a string'));
  });

  it("refuses text that is not a lockfile object, or another version", () => {
    expect(refusal("[]")).toBe(corrupt("it is not a JSON object"));
    expect(refusal("null")).toBe(corrupt("it is not a JSON object"));
    expect(refusal('"x"')).toBe(corrupt("it is not a JSON object"));
    expect(refusal(JSON.stringify({ version: 2, assets: {} }))).toBe(corrupt("unsupported version 2 (expected 1)"));
    expect(refusal(JSON.stringify({ assets: {} }))).toBe(corrupt("unsupported version undefined (expected 1)"));
    expect(refusal("{ <<<<<<< HEAD")).toMatch(/^Lockfile \/p\/oga\.lock\.json is corrupt: it is not valid JSON \(a merge conflict\?\)\./);
  });
});

describe("what is right is read back exactly", () => {
  it("a minimal asset: no optional key appears, sizes may be null, specifiers default to none", () => {
    const lock = parseLockfile(JSON.stringify({ version: 1, assets: { a: { ...ASSET, files: { "a.ogg": { url: URL_A, size: null }, "b.ogg": { url: URL_A } } } } }), "x");
    expect(lock.specifiers).toEqual([]);
    const asset = lock.assets.a!;
    expect(Object.keys(asset).sort()).toEqual(["attribution", "author", "files", "licenses", "main", "pageUrl", "title", "type"]);
    expect({ ...asset.files["a.ogg"] }).toEqual({ url: URL_A, size: null });
    expect(Object.keys(asset.files["a.ogg"]!)).toEqual(["url", "size"]);
    expect(Object.keys(asset.files["b.ogg"]!)).toEqual(["url", "size"]);
    expect(asset.files["b.ogg"]!.size).toBeNull();
  });

  it("null main and type, an empty collaborator list and filesUnavailable: false read as absent", () => {
    const asset = parseLockfile(text({ ...ASSET, main: null, type: null, collaborators: [], filesUnavailable: false }), "x").assets.a!;
    expect(asset.main).toBeNull();
    expect(asset.type).toBeNull();
    expect(Object.hasOwn(asset, "collaborators")).toBe(false);
    expect(Object.hasOwn(asset, "filesUnavailable")).toBe(false);
  });

  it("every optional field, nested entries included, survives", () => {
    const entries = { "in.zip": { size: 9, sha256: SHA_B, entries: { "y.png": { size: 1, sha256: SHA } } }, "x.png": { size: 0, sha256: SHA } };
    const file = { url: URL_A, size: 0, label: "A.ogg", etag: '"e1"', sha256: SHA, entries };
    const asset = parseLockfile(
      text({ ...ASSET, files: { "a.ogg": file, "b.ogg": { url: URL_A, size: 2, etag: null } }, collaborators: [{ name: "B", url: null }], filesUnavailable: true }),
      "x",
    ).assets.a!;
    expect(JSON.parse(JSON.stringify(asset.files["a.ogg"]))).toEqual(file);
    expect(Object.keys(asset.files["a.ogg"]!.entries!["x.png"]!)).toEqual(["size", "sha256"]);
    expect(asset.files["b.ogg"]!.etag).toBeNull();
    expect(Object.hasOwn(asset.files["b.ogg"]!, "etag")).toBe(true);
    expect(asset.collaborators).toEqual([{ name: "B", url: null }]);
    expect(asset.filesUnavailable).toBe(true);
  });

  it("a missing main, type or author link reads as null (older lockfiles)", () => {
    const { main: _main, type: _type, ...older } = ASSET;
    const asset = parseLockfile(text({ ...older, author: { name: "cynicmusic" } }), "x").assets.a!;
    expect(asset.main).toBeNull();
    expect(asset.type).toBeNull();
    expect(asset.author).toEqual({ name: "cynicmusic", url: null });
  });

  it("specifiers come back sorted and without duplicates", () => {
    expect(parseLockfile(text(ASSET, { specifiers: ["oga:b", "oga:a", "oga:b"] }), "x").specifiers).toEqual(["oga:a", "oga:b"]);
  });
});
