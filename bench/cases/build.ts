/**
 * One `vite build` of a generated game, timed from just before the plugin is imported (the oga
 * side pays for loading the plugin, as `vite build` with a config would) to the end of the build.
 * Importing Vite itself is common to both sides and stays outside the timer.
 */
import path from "node:path";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { importBuilt, readInput, reply, startTimer } from "./protocol.js";

export interface BuildInput {
  repoRoot: string;
  root: string;
  /** `oga`: the game imports `oga:` specifiers; `local`: the same files from src/assets. */
  kind: "oga" | "local";
  plugin?: OgaPluginOptions;
}

const input = readInput<BuildInput>();
const { build } = await import("vite");
const stop = startTimer();
/** Wall clock at the timer's start, so the runner can place the replica's requests on the build's timeline. */
const startedAt = performance.timeOrigin + performance.now();
const plugins = [];
let importMs = 0;
if (input.kind === "oga") {
  const { oga } = await importBuilt<typeof import("../../src/index.js")>(input.repoRoot, "dist/index.js");
  importMs = stop().ms;
  plugins.push(oga(input.plugin));
}
// Counts the module graph once at the end (one hook call): per-module work is where a build with
// virtual modules can differ from one without.
let modules = 0;
const countModules = {
  name: "bench:count-modules",
  buildEnd(this: { getModuleIds(): IterableIterator<string> }) {
    modules = [...this.getModuleIds()].length;
  },
};
await build({
  root: input.root,
  configFile: false,
  logLevel: "silent",
  plugins: [...plugins, countModules],
  build: { outDir: path.join(input.root, "dist"), emptyOutDir: true, rollupOptions: { input: path.join(input.root, "src/main.js") } },
});
const time = stop();
await reply({ ...time, modules, importMs, startedAt });
