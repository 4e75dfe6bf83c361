// Bundles what `import "vite-plugin-oga"` loads (dist/index.js and dist/rollup.js, with the
// modules they import lazily as chunks) into a few files. Every `vite build` imports the plugin
// before it can start, and Node pays per module file: tsc's ~50 files took ~45 ms to import,
// the bundle ~25 ms. tsc still emits every file (declarations, the CLI, source maps); only the
// two entries are replaced by the bundle, whose chunks sit beside them.
import { readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const staging = path.join(dist, ".bundle");
/** The chunk holding the asset page's server sits in dist/asset-page/, beside the static/ folder it serves. */
const assetPage = path.join(dist, "asset-page");
const assetPageServer = path.join(assetPage, "asset-page.js");

rmSync(staging, { recursive: true, force: true });
const entries = { index: path.join(dist, "index.js"), rollup: path.join(dist, "rollup.js") };
let eager;
/**
 * Every module the entries import statically, transitively: what each `vite build` loads. Left
 * to itself Rolldown splits them by which lazy chunks share them too (seven files, where the
 * lazy chunks could import one), and Node pays per file.
 */
function eagerModules(ctx) {
  if (eager) return eager;
  eager = new Set();
  const queue = Object.values(entries);
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (eager.has(id)) continue;
    eager.add(id);
    queue.push(...(ctx.getModuleInfo(id)?.importedIds ?? []));
  }
  return eager;
}
const bundle = await rolldown({
  input: entries,
  platform: "node",
  // Dependencies stay imports of their packages, as users install them.
  external: (id) => !id.startsWith(".") && !path.isAbsolute(id),
});
const { output } = await bundle.write({
  dir: staging,
  format: "esm",
  sourcemap: true,
  // What Node reads and compiles on every `vite build`: without comments a third smaller, and
  // ASCII only (non-ASCII is escaped in strings), so Node decodes it on its fast path and V8 keeps a
  // one-byte source. Measured on the eager chunk: import 15.2 -> 12.7 ms (median of 20, in a
  // process with Vite loaded). Names and layout stay as written; the source map leads to dist/*.js
  // with their comments, and the .d.ts files keep the API's TSDoc.
  comments: false,
  minify: { compress: false, mangle: false, codegen: { removeWhitespace: false, asciiOnly: true } },
  entryFileNames: "[name].js",
  codeSplitting: {
    groups: [{ debugName: "eager", name: (id, ctx) => (eagerModules(ctx).has(id) && !Object.values(entries).includes(id) ? "plugin" : null) }],
  },
  chunkFileNames: (chunk) => (chunk.moduleIds.includes(assetPageServer) ? "asset-page/chunk-[name]-[hash].js" : "chunk-[name]-[hash].js"),
});
await bundle.close();

// Modules that find files relative to themselves must sit where tsc put them, relative to those files.
for (const chunk of output) {
  if (chunk.type !== "chunk") continue;
  const dir = path.dirname(chunk.fileName);
  if (chunk.code.includes('new URL("../package.json", import.meta.url)') && dir !== ".") throw new Error(`bundle: ${chunk.fileName} reads ../package.json from the wrong folder`);
  if (chunk.code.includes('new URL("./static/", import.meta.url)') && dir !== "asset-page") throw new Error(`bundle: ${chunk.fileName} serves ./static/ from the wrong folder`);
}
// Chunks of an earlier build (their names carry a hash) would ship unused.
for (const dir of [dist, assetPage]) for (const name of readdirSync(dir)) if (name.startsWith("chunk-")) rmSync(path.join(dir, name));
for (const file of output) {
  const to = path.join(dist, file.fileName);
  rmSync(to, { force: true });
  renameSync(path.join(staging, file.fileName), to);
}
rmSync(staging, { recursive: true, force: true });
