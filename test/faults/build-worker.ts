// Run in a child process by concurrent-builds.test.ts: one real `vite build` of a project with
// the plugin, so two builds can race on one cache the way two terminals or CI jobs do.
// argv: <project root> <plugin options as JSON>. Prints { outDir, values } as JSON.
import type { OgaPluginOptions } from "../../src/project/options.js";
import { closeSharedStores } from "../../src/project/resolve-asset.js";
import { buildFixture } from "../plugin/helpers.js";

const [root = "", optionsJson = "{}"] = process.argv.slice(2);
try {
  const result = await buildFixture("vite8", root, JSON.parse(optionsJson) as OgaPluginOptions);
  process.stdout.write(JSON.stringify({ outDir: result.outDir, values: result.values }));
} finally {
  await closeSharedStores();
}
