import { execFile } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

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
 * part of every `vite build`.
 */
it("importing the package loads neither the zip code nor magic-string", async () => {
  const hooks = `export async function resolve(s, c, next) { const r = await next(s, c); if (/node_modules\\/magic-string\\/|\\/dist\\/(store\\/archive|store\\/archive-extract|store\\/extraction-index|project\\/resolve-archive)\\.js$/.test(r.url)) process.stderr.write("LOADED " + r.url + "\\n"); return r; }`;
  const register = `import { register } from "node:module"; register(${JSON.stringify("data:text/javascript," + encodeURIComponent(hooks))});`;
  const script = `const m = await import(${JSON.stringify(pathToFileURL(DIST).href)}); m.oga();`;
  const { stderr } = await run(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(register)}`, "--input-type=module", "-e", script]);
  expect(stderr.split("\n").filter((l) => l.startsWith("LOADED"))).toEqual([]);
});
