/**
 * `findSpecifiers` (what `oga prefetch` downloads) finds exactly what the plugin resolves: every
 * import form, `new URL(…, import.meta.url)` and CSS `url()`, with any characters in a quoted
 * name, and nothing in comments or in strings that are not imports.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findSpecifiers, specifiersIn } from "../../src/project/find-specifiers.js";
import { SCRIPT, STYLESHEET } from "../../src/project/source-references.js";

const SPACED = "oga:imminent-threat/Imminent Threat Collection.zip/Imminent Threat Collection/WAV/Imminent Threat Beat 1.wav";

describe("specifiersIn: scripts", () => {
  it("takes a quoted name whole: spaces, parentheses, brackets, non-ASCII, other quotes", () => {
    const code = [
      `import beat from "${SPACED}";`,
      `import door from 'oga:dungeon-pack/tiles.zip/png/door (open).png';`,
      "const sheet = import(`oga:strange-file-names/sprite sheet [v2].png`);",
      `import hero from "oga:dungeon-pack/tiles.zip/png/Sprites Ünïcödé/héros.png";`,
      `import menu from "oga:dungeon-pack/tiles.zip/png/men\\u00fa \\u{d1}and\\xfa.png";`,
      `import quote from "oga:strange-file-names/it's (1).png";`,
      "",
    ].join("\n");
    expect(specifiersIn(code, "/p/src/main.ts")).toEqual([
      SPACED,
      "oga:dungeon-pack/tiles.zip/png/door (open).png",
      "oga:strange-file-names/sprite sheet [v2].png",
      "oga:dungeon-pack/tiles.zip/png/Sprites Ünïcödé/héros.png",
      "oga:dungeon-pack/tiles.zip/png/menú Ñandú.png",
      "oga:strange-file-names/it's (1).png",
    ]);
  });

  it("finds every form the plugin resolves, across lines and around comments", () => {
    const code = [
      `import a from "oga:a";`,
      `import b, { meta } from "oga:b/x y.png";`,
      `import * as c from 'oga:c/*.ogg';`,
      `import {`,
      `  d,`,
      `} from /* the pack */ "oga:d/(1).wav";`,
      `import "oga:e/side effect.css";`,
      `import"oga:f";`,
      `const g = await import("oga:g/a b.png");`,
      `const h = () => import(`,
      `  // lazily`,
      `  'oga:h/c d.png'`,
      `);`,
      `export { default } from "oga:i";`,
      `export * from "oga:j";`,
      `export { k as default } from 'oga:k/[k].png';`,
      `const l = new URL("oga:l/e f.png", import.meta.url);`,
      `const m = new URL(`,
      `  'oga:m',`,
      `  import.meta.url,`,
      `);`,
      "",
    ].join("\n");
    expect(specifiersIn(code, "/p/src/main.js")).toEqual([
      "oga:a",
      "oga:b/x y.png",
      "oga:c/*.ogg",
      "oga:d/(1).wav",
      "oga:e/side effect.css",
      "oga:f",
      "oga:g/a b.png",
      "oga:h/c d.png",
      "oga:i",
      "oga:j",
      "oga:k/[k].png",
      "oga:l/e f.png",
      "oga:m",
    ]);
  });

  it("skips line and block comments, as the plugin's transform does", () => {
    const code = [
      `// import x from "oga:nope";`,
      `/* import("oga:nope/block") and`,
      `   new URL("oga:nope/url", import.meta.url) */`,
      `const url = "https://example.com/a"; // import y from "oga:nope/after-code"`,
      `import real from "oga:tiny-sprites/hero_16.png"; // a "quoted // comment"`,
      "",
    ].join("\n");
    expect(specifiersIn(code, "/p/src/main.ts")).toEqual(["oga:tiny-sprites/hero_16.png"]);
  });

  it("skips oga: strings that are not imports: the plugin never resolves them", () => {
    const code = [
      `const name = "oga:tiny-sprites/hero_16.png";`,
      `console.log('write import x from "oga:pack" to load it');`,
      "const dynamic = `oga:${name}`;",
      "const lazy = import(`oga:${name}`);",
      `const other = new URL("oga:not-meta-url", location.href);`,
      `loader.import("oga:a-method-not-import");`,
      `declare module "oga:declared" {}`,
      `fetch(url, { from: 1 }, "oga:after-a-property");`,
      "",
    ].join("\n");
    expect(specifiersIn(code, "/p/src/main.ts")).toEqual([]);
  });

  it("new URL only in JS/TS (the transform leaves .vue/.svelte alone); imports everywhere", () => {
    const vue = [
      `<template><!-- import x from "oga:nope/template-comment" --><p>Don't</p></template>`,
      `<script setup lang="ts">`,
      `import hero from "oga:tiny-sprites/hero 16.png";`,
      `const jump = new URL("oga:retro-sfx-pack/jump.wav", import.meta.url);`,
      `</script>`,
      `<style>.a { background: url(oga:nope/vue-style.png) }</style>`,
      "",
    ].join("\n");
    expect(specifiersIn(vue, "/p/src/App.vue")).toEqual(["oga:tiny-sprites/hero 16.png"]);
    const astro = `---\nimport beat from "${SPACED}";\n---\n<script>import("oga:battle-theme-a");</script>\n`;
    expect(specifiersIn(astro, "/p/src/pages/index.astro")).toEqual([SPACED, "oga:battle-theme-a"]);
    const html = `<!doctype html>\n<!-- <script type="module">import "oga:nope"</script> -->\n<script type="module">\n  import music from "oga:battle-theme-a";\n</script>\n<p>import x from "oga:nope/text"</p>\n`;
    expect(specifiersIn(html, "/p/index.html")).toEqual(["oga:battle-theme-a"]);
  });
});

describe("specifiersIn: stylesheets", () => {
  it("url() quoted (any characters) or not (ends at ')' or a blank, as in CSS); comments skipped", () => {
    const css = [
      `/* url(oga:tiny-sprites/nothing.png) */`,
      `.a { background: url(oga:tiny-sprites/hero_16.png) no-repeat; }`,
      `.b { background: url( "oga:strange-file-names/sprite sheet [v2].png" ); }`,
      `.c { background: url('oga:dungeon-pack/tiles.zip/png/door (open).png'); }`,
      `.d { background: URL(oga:dungeon-pack/tiles.zip/png/héros.png); }`,
      `.e { content: "oga:not-a-url.png"; }`,
      "",
    ].join("\n");
    const expected = [
      "oga:tiny-sprites/hero_16.png",
      "oga:strange-file-names/sprite sheet [v2].png",
      "oga:dungeon-pack/tiles.zip/png/door (open).png",
      "oga:dungeon-pack/tiles.zip/png/héros.png",
    ];
    for (const file of ["a.css", "a.scss", "a.sass", "a.less", "a.styl", "a.pcss"]) expect(specifiersIn(css, `/p/src/${file}`), file).toEqual(expected);
  });
});

describe("findSpecifiers", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("walks the plugin's script and stylesheet extensions (and pages), skipping declarations and build output", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "oga-find-"));
    const files: Record<string, string> = {
      "index.html": `<script type="module">import "oga:from-html";</script>`,
      "src/main.ts": `import beat from "${SPACED}";\nimport again from "oga:from-ts";\n`,
      "src/util.mjs": `export { default } from "oga:from-mjs";\n`,
      "src/App.svelte": `<script>import x from "oga:from-svelte";</script>`,
      "src/hud.styl": `.a\n  background url(oga:from-stylus)\n`,
      "src/hud.pcss": `.a { background: url("oga:from pcss.png") }`,
      "src/oga-env.d.ts": `declare module "oga:from-dts" {}\nimport x from "oga:from-dts-import";\n`,
      "src/notes.md": `import x from "oga:from-markdown";\n`,
      "src/data.json": `{ "import": "oga:from-json" }\n`,
      "dist/main.js": `import x from "oga:from-dist";\n`,
      "node_modules/dep/index.js": `import x from "oga:from-deps";\n`,
      ".hidden/x.js": `import x from "oga:from-hidden";\n`,
    };
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text);
    }
    const found = await findSpecifiers(dir);
    expect(found.map((f) => [f.specifier, path.relative(dir!, f.file)])).toEqual([
      ["oga:from pcss.png", "src/hud.pcss"],
      ["oga:from-html", "index.html"],
      ["oga:from-mjs", "src/util.mjs"],
      ["oga:from-stylus", "src/hud.styl"],
      ["oga:from-svelte", "src/App.svelte"],
      ["oga:from-ts", "src/main.ts"],
      [SPACED, "src/main.ts"],
    ]);
  });

  it("uses the plugin's own extension lists (the transform imports the same SCRIPT and STYLESHEET)", async () => {
    expect(STYLESHEET.test("a.styl") && SCRIPT.test("a.astro")).toBe(true);
  });
});
