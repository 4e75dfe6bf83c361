// Run in a child process by concurrent-builds.test.ts and read-only-cache.test.ts: one real
// `vite build` of a project with the plugin, so two builds can race on one cache the way two
// terminals or CI jobs do, or a build can run as a user who may not write the cache.
// argv: <project root> <plugin options as JSON> [vite8|vite7|rollup]. Prints { outDir, values }
// as JSON, or { error: { code, message } } and exits 1.
import type { OgaPluginOptions } from "../../src/project/options.js";
import { closeSharedStores } from "../../src/project/resolve-asset.js";
import { buildFixture, type Bundler } from "../plugin/helpers.js";

const [root = "", optionsJson = "{}", bundler = "vite8"] = process.argv.slice(2);
try {
  const began = performance.now();
  const result = await buildFixture(bundler as Bundler, root, JSON.parse(optionsJson) as OgaPluginOptions);
  if (process.env.OGA_TIME) process.stderr.write(`build ${((performance.now() - began) / 1000).toFixed(2)} s\n`);
  process.stdout.write(JSON.stringify({ outDir: result.outDir, values: result.values }));
} catch (error) {
  // Vite 8 wraps plugin errors: the first inner one carries the plugin's code.
  const e = error as { message: string; code?: string; pluginCode?: string; errors?: { message: string; pluginCode?: string }[] };
  const inner = e.errors?.[0];
  process.stdout.write(JSON.stringify({ error: { code: inner?.pluginCode ?? e.pluginCode ?? e.code, message: inner?.message ?? e.message } }));
  process.exitCode = 1;
} finally {
  await closeSharedStores();
}
