import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import MagicString from "magic-string";
import { SourceMapConsumer } from "source-map-js";
import { describe, expect, it } from "vitest";
import { findCssUrls } from "../../src/project/source-references.js";
import { cssRelativeUrl, rewriteNewUrls, UrlReferenceError } from "../../src/plugin/url-references.js";
import { buildFixture, replicaBytes, testOptions, type Bundler } from "./helpers.js";
import { useDevServer, useReplicaProject } from "./hooks.js";

function rewrite(code: string): { code: string; map: ReturnType<MagicString["generateMap"]> } | null {
  const s = new MagicString(code);
  return rewriteNewUrls(code, s) ? { code: s.toString(), map: s.generateMap({ hires: true }) } : null;
}

describe("rewriteNewUrls", () => {
  it("imports each specifier once and passes its binding to new URL, in any quote style", () => {
    const code = [
      `const a = new URL("oga:tiny-sprites/hero_16.png", import.meta.url).href;`,
      `const b = new URL( 'oga:battle-theme-a' ,import.meta.url );`,
      "const c = new URL(`oga:tiny-sprites/hero_16.png`, import.meta.url);",
      "",
    ].join("\n");
    const out = rewrite(code)!.code;
    expect(out).toBe(
      [
        `import __oga_url_0 from "oga:tiny-sprites/hero_16.png";`,
        // The asset form names its main file: the lean module, as for a default-only import.
        `import __oga_url_1 from "\\u0000oga:battle-theme-a~main.js";`,
        `const a = new URL(__oga_url_0, import.meta.url).href;`,
        `const b = new URL( __oga_url_1 ,import.meta.url );`,
        "const c = new URL(__oga_url_0, import.meta.url);",
        "",
      ].join("\n"),
    );
  });

  it("leaves comments, other bases and dynamic strings alone", () => {
    const code = [
      `// new URL("oga:a/x.png", import.meta.url)`,
      `/* new URL("oga:a/y.png", import.meta.url) */`,
      `const s = "// not a comment"; const u = new URL("oga:a/z.png", import.meta.url);`,
      `new URL("oga:a/w.png", location.href);`,
      "new URL(`oga:a/${name}.png`, import.meta.url);",
      "",
    ].join("\n");
    const out = rewrite(code)!.code;
    expect(out.match(/^import .*$/gm)).toEqual([`import __oga_url_0 from "oga:a/z.png";`]);
    expect(out).toContain(`// new URL("oga:a/x.png", import.meta.url)`);
    expect(out).toContain(`/* new URL("oga:a/y.png", import.meta.url) */`);
    expect(out).toContain(`new URL("oga:a/w.png", location.href)`);
    expect(rewrite(`// new URL("oga:a/x.png", import.meta.url)\n`)).toBeNull();
  });

  it("keeps a hashbang first and never reuses a name the file already has", () => {
    const out = rewrite(`#!/usr/bin/env node\nconst __oga_url_0 = 1;\nnew URL("oga:a/x.png", import.meta.url);\n`)!.code;
    expect(out).toBe(`#!/usr/bin/env node\nimport ___oga_url_0 from "oga:a/x.png";\nconst __oga_url_0 = 1;\nnew URL(___oga_url_0, import.meta.url);\n`);
  });

  it("maps the rewritten code back to the original positions", () => {
    const code = `const pad = 1;\nconst hero = new URL("oga:tiny-sprites/hero_16.png", import.meta.url).href;\nconsole.log(hero);\n`;
    const out = rewrite(code)!;
    const consumer = new SourceMapConsumer({ ...out.map, version: String(out.map.version) } as never);
    const lines = out.code.split("\n");
    // `.href` on the `new URL` line and `console` on the next one keep their original places.
    const hrefLine = lines.findIndex((l) => l.includes(".href"));
    expect(consumer.originalPositionFor({ line: hrefLine + 1, column: lines[hrefLine]!.indexOf(".href") })).toMatchObject({ line: 2, column: code.split("\n")[1]!.indexOf(".href") });
    const logLine = lines.findIndex((l) => l.startsWith("console"));
    expect(consumer.originalPositionFor({ line: logLine + 1, column: 0 })).toMatchObject({ line: 3, column: 0 });
  });

  it("refuses a glob and oga:credits: a URL names one file", () => {
    const failure = (code: string) => {
      try {
        rewrite(code);
      } catch (error) {
        return error as UrlReferenceError;
      }
      throw new Error("no error");
    };
    const glob = failure(`new URL("oga:tiny-sprites/*.png", import.meta.url);`);
    expect(glob).toBeInstanceOf(UrlReferenceError);
    expect(glob.specifier).toBe("oga:tiny-sprites/*.png");
    expect(glob.message).toContain("names one file, not a glob");
    expect((glob.cause as { code: string }).code).toBe("OGA_BAD_INPUT");
    expect(failure(`new URL("oga:credits", import.meta.url);`).message).toContain(`import "oga:credits"`);
  });
});

describe("stylesheet url()", () => {
  it("finds the three forms outside comments", () => {
    const css = `/* url(oga:a/skip.png) */ a { b: url(oga:a/x.png); c: url( "oga:a/y z.png" ); d: URL('oga:a'); e: url("other.png") }`;
    expect(findCssUrls(css).map((u) => u.specifier)).toEqual(["oga:a/x.png", "oga:a/y z.png", "oga:a"]);
  });

  it("writes a quoted path relative to the stylesheet", () => {
    expect(cssRelativeUrl("/p/src/style.css", "/cache/files/ab/sprite sheet [v2].png")).toBe(`url("../../cache/files/ab/sprite sheet [v2].png")`);
    expect(cssRelativeUrl("/p/src/style.css", `/p/src/a"b.png`)).toBe(`url("./a\\"b.png")`);
  });
});

const { replica, project } = useReplicaProject("url-references");

/** Puts `import "./style.css"` first in main.js (plain Rollup has no CSS support, so not there). */
async function importStylesheet(): Promise<void> {
  const main = path.join(project.root, "src/main.js");
  await writeFile(main, `import "./style.css";\n` + (await readFile(main, "utf8")));
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe.each<Bundler>(["vite8", "vite7", "rollup"])("new URL(\"oga:…\", import.meta.url) under %s", (bundler) => {
  it("points at the emitted file, which holds the asset's bytes", async () => {
    const { values, outDir, assets } = await buildFixture(bundler, project.root, testOptions(project, replica.url));
    const v = values as { hero: string; music: string; again: string };
    for (const [url, slug, name] of [
      [v.hero, "tiny-sprites", "hero_16.png"],
      [v.music, "battle-theme-a", "battleThemeA.mp3"],
    ] as const) {
      // Vite: "/assets/…" resolved against the chunk's file: URL; Rollup: the file itself.
      const emitted = assets.find((a) => a.startsWith(`assets/${name.slice(0, name.lastIndexOf("."))}-`))!;
      expect(emitted, `${name} in ${assets.join(", ")}`).toBeDefined();
      expect(decodeURIComponent(new URL(url).pathname).endsWith("/" + emitted)).toBe(true);
      expect(await readFile(path.join(outDir, emitted))).toEqual(await replicaBytes(replica, slug, name));
    }
    expect(v.again).toBe(v.hero);
    // The main file only, and nothing from the specifiers in comments.
    expect(assets.filter((a) => a.startsWith("assets/") && !a.endsWith(".css"))).toHaveLength(2);
    expect(replica.requests.count("GET /content/no-such-asset")).toBe(0);
    const lock = JSON.parse(await readFile(project.lockfile, "utf8"));
    expect(lock.assets["tiny-sprites"].files["hero_16.png"].sha256).toBe(sha256(await replicaBytes(replica, "tiny-sprites", "hero_16.png")));
    expect(lock.specifiers).toEqual(expect.arrayContaining(["oga:battle-theme-a", "oga:tiny-sprites/hero_16.png"]));
    const credits = JSON.parse(await readFile(path.join(outDir, "credits.json"), "utf8")) as { id: string }[];
    expect(credits.map((c) => c.id)).toEqual(["battle-theme-a", "tiny-sprites"]);
  });

  it("a glob is an error naming the file and the specifier", async () => {
    await writeFile(path.join(project.root, "src/main.js"), `globalThis.__oga = new URL("oga:tiny-sprites/*.png", import.meta.url).href;\n`);
    const text = await buildError(bundler);
    expect(text).toContain(`${path.join("src", "main.js")}: "oga:tiny-sprites/*.png": new URL() names one file, not a glob`);
  });
});

async function buildError(bundler: Bundler): Promise<string> {
  try {
    await buildFixture(bundler, project.root, testOptions(project, replica.url));
  } catch (error) {
    const e = error as { message: string; errors?: { message: string }[] };
    return [e.message, ...(e.errors ?? []).map((i) => i.message)].join("\n");
  }
  throw new Error("the build did not fail");
}

describe.each<Bundler>(["vite8", "vite7"])("stylesheet url(oga:…) under %s", (bundler) => {
  const CSS_FILES = [
    ["dungeon-tileset", "dungeon_tileset.png"],
    ["tiny-sprites", "boss_64x48.png"],
    ["strange-file-names", "sprite sheet [v2].png"],
  ] as const;

  it("becomes a hashed asset URL with the file's bytes; the asset is locked and credited", async () => {
    await importStylesheet();
    const { outDir, assets } = await buildFixture(bundler, project.root, testOptions(project, replica.url));
    const cssFile = assets.find((a) => a.endsWith(".css"))!;
    const css = await readFile(path.join(outDir, cssFile), "utf8");
    expect(css).not.toContain("oga:");
    const urls = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map((m) => decodeURIComponent(m[1]!));
    expect(urls).toHaveLength(CSS_FILES.length);
    for (const [slug, name] of CSS_FILES) {
      // Vite's asset naming replaces brackets; match on the stem's first word.
      const url = urls.find((u) => u.startsWith(`/assets/${name.split(/[ .]/)[0]}`))!;
      expect(url, `${name} in ${urls.join(", ")}`).toBeDefined();
      expect(assets).toContain(url.slice(1));
      expect(await readFile(path.join(outDir, url))).toEqual(await replicaBytes(replica, slug, name));
    }
    // dungeon-tileset and strange-file-names are used from the stylesheet only.
    const credits = JSON.parse(await readFile(path.join(outDir, "credits.json"), "utf8")) as { id: string }[];
    expect(credits.map((c) => c.id)).toEqual(["battle-theme-a", "dungeon-tileset", "strange-file-names", "tiny-sprites"]);
    expect(await readFile(path.join(outDir, "CREDITS.md"), "utf8")).toContain("Dungeon Tileset");
    const lock = JSON.parse(await readFile(project.lockfile, "utf8"));
    expect(lock.assets["dungeon-tileset"].files["dungeon_tileset.png"].sha256).toBe(sha256(await replicaBytes(replica, "dungeon-tileset", "dungeon_tileset.png")));
    expect(lock.specifiers).toContain("oga:dungeon-tileset/dungeon_tileset.png");
    // Warm: the lockfile and cache answer everything.
    replica.requests.reset();
    await buildFixture(bundler, project.root, testOptions(project, replica.url));
    expect(replica.requests.count()).toBe(0);
  });

  it("an unknown file is an error naming the stylesheet, the specifier and the asset's files", async () => {
    await importStylesheet();
    await writeFile(path.join(project.root, "src/style.css"), `.x { background: url(oga:tiny-sprites/villain.png) }\n`);
    const text = await buildError(bundler);
    expect(text).toContain(`${path.join("src", "style.css")}: "oga:tiny-sprites/villain.png": asset "tiny-sprites" has no file "villain.png"`);
    expect(text).toContain("Its files: boss_64x48.png, hero_16.png, slime_32.png");
  });

  it("a license outside the allow-list is refused like an import", async () => {
    await importStylesheet();
    await writeFile(path.join(project.root, "src/main.js"), `import "./style.css";\n`);
    await writeFile(path.join(project.root, "src/style.css"), `.x { background: url(oga:dungeon-tileset/dungeon_tileset.png) }\n`);
    try {
      await buildFixture(bundler, project.root, testOptions(project, replica.url, { licenses: ["CC0"] }));
      throw new Error("the build did not fail");
    } catch (error) {
      const e = error as { message: string; errors?: { message: string }[] };
      const text = [e.message, ...(e.errors ?? []).map((i) => i.message)].join("\n");
      expect(text).toContain(`${path.join("src", "style.css")}: "oga:dungeon-tileset/dungeon_tileset.png"`);
      expect(text).toMatch(/CC-BY-SA 3\.0/);
    }
  });
});

describe("dev server (Vite 8)", () => {
  const dev = useDevServer();

  it("serves the stylesheet with URLs to the cached blobs, and new URL through the oga: module", async () => {
    await importStylesheet();
    await dev.start(project.root, testOptions(project, replica.url));
    const base = dev.base;

    const served = await (await fetch(`${base}/src/style.css?direct`)).text();
    // Dev keeps comments; the one in the fixture names an asset that does not exist.
    expect(served).toContain("/* url(oga:no-such-asset/x.png)");
    const css = served.replace(/\/\*[\s\S]*?\*\//g, "");
    expect(css).not.toContain("oga:");
    const urls = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(3);
    for (const url of urls) expect(decodeURIComponent(url)).toContain(project.cacheDir);
    const boss = urls.find((u) => u.includes("boss_64x48.png"))!;
    const res = await fetch(new URL(boss, `${base}/src/style.css`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^image\/png/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(await replicaBytes(replica, "tiny-sprites", "boss_64x48.png"));

    const main = await (await fetch(`${base}/src/main.js`)).text();
    expect(main).toMatch(/new URL\(_*oga_url_0, import\.meta\.url\)/);
    const moduleUrl = /import _*oga_url_0 from\s+["']([^"']+)["']/.exec(main)![1]!;
    const fileModule = await (await fetch(base + moduleUrl)).text();
    const blob = /["'](\/@fs\/[^"']+)["']/.exec(fileModule)![1]!.replace(/\?.*$/, "");
    expect(Buffer.from(await (await fetch(base + blob)).arrayBuffer())).toEqual(await replicaBytes(replica, "tiny-sprites", "hero_16.png"));
  });
});
