import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyLockfile, formatLockfile } from "../src/store/lockfile.js";

const run = promisify(execFile);
const DIST = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/**
 * undici (~100 ms of CPU, ~20 MB) and the HTML parsers (~50 ms, ~10 MB) load on the first
 * request or page, not with the package: a warm build or dev server never needs them, and the
 * bench measured their load time as the plugin's warm-build overhead. yauzl (~10 ms) likewise
 * loads with the first zip opened.
 */
it("importing the package loads neither undici, the HTML parsers nor the zip reader", async () => {
  const hooks = `export async function resolve(s, c, next) { const r = await next(s, c); if (/node_modules\\/(undici|htmlparser2|css-select|domutils|yauzl)\\//.test(r.url)) process.stderr.write("LOADED " + r.url + "\\n"); return r; }`;
  const register = `import { register } from "node:module"; register(${JSON.stringify("data:text/javascript," + encodeURIComponent(hooks))});`;
  const script = `const m = await import(${JSON.stringify(pathToFileURL(DIST).href)}); m.createClient({ cacheDir: "/nonexistent" });`;
  const { stderr } = await run(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(register)}`, "--input-type=module", "-e", script]);
  expect(stderr.split("\n").filter((l) => l.startsWith("LOADED"))).toEqual([]);
});

/**
 * A warm build of a game without zips or rewrites runs neither the zip code nor magic-string (a
 * quarter of what the plugin loaded): both load when first needed, and importing the plugin is
 * part of every `vite build`. The package's entry is a bundle (scripts/bundle-plugin.mjs) whose
 * zip code is the `chunk-resolve-archive-…` chunk.
 */
it("importing the package loads neither the zip code nor magic-string", async () => {
  const hooks = `export async function resolve(s, c, next) { const r = await next(s, c); if (/node_modules\\/magic-string\\/|\\/dist\\/(chunk-resolve-archive-[\\w-]+|store\\/archive|store\\/archive-extract|store\\/extraction-index|project\\/resolve-archive)\\.js$/.test(r.url)) process.stderr.write("LOADED " + r.url + "\\n"); return r; }`;
  const register = `import { register } from "node:module"; register(${JSON.stringify("data:text/javascript," + encodeURIComponent(hooks))});`;
  const script = `const m = await import(${JSON.stringify(pathToFileURL(DIST).href)}); m.oga();`;
  const { stderr } = await run(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(register)}`, "--input-type=module", "-e", script]);
  expect(stderr.split("\n").filter((l) => l.startsWith("LOADED"))).toEqual([]);
});

/**
 * A build with a lockfile whose files the cache lacks (CI: a committed lockfile, an empty cache)
 * starts loading undici at build start, overlapping it with the build's own work, instead of
 * with the first download; one whose files are cached never loads it. The lockfile here names a
 * file the entry does not import, so only that early start can have loaded undici.
 */
describe("the HTTP stack at build start", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "oga-preload-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function buildLoadsUndici(cached: boolean): Promise<boolean> {
    const root = path.join(dir, "project");
    const cacheDir = path.join(dir, "cache");
    const bytes = Buffer.from("tile");
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await mkdir(path.join(root, "src"), { recursive: true });
    await writeFile(path.join(root, "src/main.js"), "globalThis.x = 1;\n");
    const lock = emptyLockfile();
    lock.assets["a-tile"] = {
      pageUrl: "https://opengameart.org/content/a-tile",
      title: "A tile",
      author: { name: "Me", url: null },
      licenses: ["CC0"],
      attribution: "",
      type: "2D Art",
      main: "tile.png",
      files: { "tile.png": { url: "https://opengameart.org/sites/default/files/tile.png", size: bytes.length, etag: null, sha256 } },
    };
    await writeFile(path.join(root, "oga.lock.json"), formatLockfile(lock));
    if (cached) {
      await mkdir(path.join(cacheDir, "files", sha256), { recursive: true });
      await writeFile(path.join(cacheDir, "files", sha256, "tile.png"), bytes);
    }
    const hooks = `export async function resolve(s, c, next) { const r = await next(s, c); if (/node_modules\\/undici\\//.test(r.url)) process.stderr.write("LOADED " + r.url + "\\n"); return r; }`;
    const register = `import { register } from "node:module"; register(${JSON.stringify("data:text/javascript," + encodeURIComponent(hooks))});`;
    // undici's parts load through require(): a CommonJS hook sees those.
    const requireHook = `const M = require("node:module"); const load = M._load; M._load = function (request, parent, isMain) { const m = load.apply(this, arguments); if (/undici/.test(request)) process.stderr.write("LOADED " + request + "\\n"); return m; };`;
    const options = { url: "http://127.0.0.1:9", cacheDir, lockfile: path.join(root, "oga.lock.json"), dts: false, frozen: false };
    const script = [
      requireHook.replace('require("node:module")', '(await import("node:module")).default'),
      `const { build } = await import("vite");`,
      `const { oga } = await import(${JSON.stringify(pathToFileURL(DIST).href)});`,
      `await build({ root: ${JSON.stringify(root)}, configFile: false, logLevel: "silent", plugins: [oga(${JSON.stringify(options)})], build: { write: false, rollupOptions: { input: ${JSON.stringify(path.join(root, "src/main.js"))} } } });`,
    ].join("\n");
    const { stderr } = await run(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(register)}`, "--input-type=module", "-e", script], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
    return stderr.split("\n").some((l) => l.startsWith("LOADED"));
  }

  it("loads undici when the lockfile names a file the cache lacks", async () => {
    expect(await buildLoadsUndici(false)).toBe(true);
  });

  it("never loads undici when the cache holds the lockfile's files", async () => {
    expect(await buildLoadsUndici(true)).toBe(false);
  });
});
