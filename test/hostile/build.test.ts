/**
 * A real build of a game that imports everything the hostile site offers (test/fixtures/hostile),
 * under Vite 8, Vite 7 and Rollup: names that are URL syntax or object-key traps build, emit and
 * evaluate to themselves; credits carry no control characters or script links; nothing of the
 * cache leaks into the output.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hasControls } from "../../src/untrusted-text.js";
import type { Replica } from "../replica/index.js";
import { buildFailure, buildFixture, bytesOf, listFiles, testOptions, type Bundler } from "../plugin/helpers.js";
import { useProject } from "../plugin/hooks.js";
import { CODE_ATTACK, NAMES, OVERLONG_ENTRY, PACK_ENTRIES, PROTOTYPE_IDS, hasTerminalControls, hostileBytes, startHostileSite } from "./site.js";

let site: Replica;
beforeAll(async () => {
  site = await startHostileSite();
});
afterAll(() => site.close());
beforeEach(() => site.requests.reset());

const project = useProject("hostile");

type Urls = Record<string, string>;
interface Values {
  main: string;
  files: Urls;
  meta: { title: string };
  hash: string;
  percent: string;
  ampersand: string;
  question: string;
  protoFile: string;
  newline: string;
  wavs: Urls;
  protoAsset: string;
  constructorAsset: string;
  toStringAsset: string;
  slow: Urls;
  pack: Urls;
  credits: { id: string; title: string; author: { name: string; url: string | null }; attribution: string; text: string }[];
  hashUrl: string;
}

/** The bytes behind a built URL; it must be usable as is by a browser (no raw `#` or `?` in it). */
async function served(url: string, outDir: string): Promise<Buffer> {
  expect(url).not.toMatch(/[#?]/);
  return bytesOf(url.startsWith("/") ? decodeURIComponent(url) : url, outDir);
}

async function expectRecord(record: Urls, expected: Record<string, Buffer>, outDir: string): Promise<void> {
  // No prototype: `constructor`, `toString` or `__proto__` are files or nothing, never inherited.
  expect(Object.getPrototypeOf(record)).toBeNull();
  expect(Object.keys(record).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, url] of Object.entries(record)) expect(await served(url, outDir), name).toEqual(expected[name]);
}

const byName = (names: readonly string[], prefix = "") => Object.fromEntries(names.map((name) => [`${prefix}${name}`, hostileBytes(name)]));
const WAVS = Object.values(NAMES).filter((n) => n.endsWith(".wav"));

describe.each<Bundler>(["vite8", "vite7", "rollup"])("a game built from the hostile site with %s", (bundler) => {
  it("imports every hostile name as itself, byte for byte, and leaks nothing of the cache", async () => {
    const { values, outDir, assets } = await buildFixture(bundler, project.root, testOptions(project, site.url));
    const v = values as unknown as Values;

    await expectRecord(v.files, byName(Object.values(NAMES)), outDir);
    await expectRecord(v.wavs, byName(WAVS), outDir);
    await expectRecord(v.pack, byName(PACK_ENTRIES, "pack.zip/"), outDir);
    // The 12 KB name is passed over (at once: a backtracking matcher took 42 s).
    await expectRecord(v.slow, byName(["a_b_c.png"]), outDir);
    for (const [key, name] of [
      ["main", NAMES.hash],
      ["hash", NAMES.hash],
      ["percent", NAMES.percent],
      ["ampersand", NAMES.ampersand],
      ["question", NAMES.question],
      ["protoFile", NAMES.proto],
      ["newline", NAMES.newline],
    ] as const) {
      expect(await served(v[key], outDir), key).toEqual(hostileBytes(name));
    }
    for (const id of PROTOTYPE_IDS) expect(await served(v[`${id === "__proto__" ? "proto" : id}Asset` as "protoAsset"], outDir)).toEqual(hostileBytes(`${id}.png`));
    // new URL("oga:…", import.meta.url) names the same file (Vite's "/assets/…" resolves against the chunk's file: URL).
    expect(v.hashUrl).toBe(new URL(v.hash, "file:///").href);
    expect(v.meta.title).toContain(CODE_ATTACK);

    // Credits: the uploader's text minus control characters, and no script link.
    const credit = v.credits.find((c) => c.id === "hostile-names")!;
    expect(credit.title).toContain(CODE_ATTACK);
    expect(credit.author.url).toBeNull();
    for (const c of v.credits) for (const text of [c.title, c.author.name, c.attribution, c.text]) expect(hasControls(text), text).toBe(false);
    expect(v.credits.map((c) => c.id)).toEqual(expect.arrayContaining([...PROTOTYPE_IDS]));
    for (const file of ["CREDITS.md", "credits.json"]) {
      const text = await readFile(path.join(outDir, file), "utf8");
      expect(hasTerminalControls(text), file).toBe(false);
      expect(text).not.toContain("javascript:");
    }

    expect(assets.filter((a) => /[#%?]/.test(a))).toEqual([]);
    for (const file of (await listFiles(outDir)).filter((f) => /\.(js|css|md|json)$/.test(f))) {
      expect(await readFile(path.join(outDir, file), "utf8"), file).not.toContain(project.cacheDir);
    }

    // The lockfile keeps the ids and names a plain object would swallow, and a second build
    // answers from it and the cache alone.
    const lock = JSON.parse(await readFile(project.lockfile, "utf8")) as { assets: Record<string, { files: Record<string, unknown> }> };
    for (const id of PROTOTYPE_IDS) expect(Object.hasOwn(lock.assets, id), id).toBe(true);
    expect(Object.hasOwn(lock.assets["hostile-names"]!.files, "__proto__")).toBe(true);
    site.requests.reset();
    const warm = await buildFixture(bundler, project.root, testOptions(project, site.url, { offline: true }));
    expect(site.requests.count()).toBe(0);
    await expectRecord((warm.values as unknown as Values).files, byName(Object.values(NAMES)), warm.outDir);
  });

  it("refuses a selected name no file system holds, naming the import", async () => {
    const fromPage = await buildFailure(bundler, project, site.url, "oga:hostile-glob/*.png");
    expect(fromPage.code).toBe("OGA_PARSE");
    expect(fromPage.text).toContain(`"oga:hostile-glob/*.png": asset "hostile-glob" lists a file whose name has the segment "bbbb`);
    expect(fromPage.text).toContain("over 255 bytes");
    const fromZip = await buildFailure(bundler, project, site.url, "oga:hostile-pack/long.zip/*");
    expect(fromZip.code).toBe("OGA_ARCHIVE");
    expect(fromZip.text).toContain(`has a zip entry whose name has the segment "${OVERLONG_ENTRY.slice(0, 40)}…" (304 bytes)`);
  });
});

describe("errors about hostile assets (Vite 8)", () => {
  it("name the files without passing their escape sequences to the terminal", async () => {
    const failure = await buildFailure("vite8", project, site.url, "oga:hostile-names/nope.wav");
    expect(failure.code).toBe("OGA_NO_FILE");
    expect(failure.text).toContain("beep\\u001b]0;pwned\\u0007");
    expect(hasTerminalControls(failure.text.replace(/\u001b\[[0-9;]*m/g, ""))).toBe(false);
  });

  it("tell that a query means nothing on an oga: import", async () => {
    const failure = await buildFailure("vite8", project, site.url, "oga:hostile-names/100%.wav?url");
    expect(failure.code).toBe("OGA_NO_FILE");
    expect(failure.text).toContain(`has no file "100%.wav?url"`);
    expect(failure.text).toContain("drop a query like ?url");
  });
});

describe.each<Bundler>(["vite8", "vite7"])("stylesheet url(oga:…) of hostile names under %s", (bundler) => {
  it("emits the files and points the stylesheet at them", async () => {
    const main = path.join(project.root, "src/main.js");
    await writeFile(main, `import "./style.css";\n` + (await readFile(main, "utf8")));
    const { outDir, assets } = await buildFixture(bundler, project.root, testOptions(project, site.url));
    const css = await readFile(path.join(outDir, assets.find((a) => a.endsWith(".css"))!), "utf8");
    expect(css).not.toContain("oga:");
    expect(css).not.toContain(project.cacheDir);
    const urls = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(2);
    const bytes = await Promise.all(urls.map((url) => served(url, outDir)));
    expect(bytes).toEqual(expect.arrayContaining([hostileBytes(NAMES.cssHash), hostileBytes(NAMES.cssPercent)]));
  });
});
