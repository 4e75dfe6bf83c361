/**
 * The warm oga game and the local game built alternately, many times, in one process: once the
 * first build of each has loaded and compiled everything, what is left between the two series is
 * the plugin's own time per build (its hooks, its extra modules), without process start, module
 * loading or JIT warm-up, which `vite build` as a process pays once either way.
 */
import path from "node:path";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { importBuilt, readInput, reply, startTimer } from "./protocol.js";

export interface RepeatedBuildInput {
  repoRoot: string;
  ogaRoot: string;
  localRoot: string;
  plugin: OgaPluginOptions;
  /** Timed builds of each kind (after one untimed build of each). */
  builds: number;
}

const input = readInput<RepeatedBuildInput>();
const { build } = await import("vite");
const { oga } = await importBuilt<typeof import("../../src/index.js")>(input.repoRoot, "dist/index.js");

async function buildOnce(kind: "oga" | "local"): Promise<{ ms: number; cpuMs: number }> {
  const root = kind === "oga" ? input.ogaRoot : input.localRoot;
  const stop = startTimer();
  await build({
    root,
    configFile: false,
    logLevel: "silent",
    // A new plugin object per build, as each `vite build` makes one.
    plugins: kind === "oga" ? [oga(input.plugin)] : [],
    build: { outDir: path.join(root, "dist"), emptyOutDir: true, rollupOptions: { input: path.join(root, "src/main.js") } },
  });
  return stop();
}

await buildOnce("oga");
await buildOnce("local");
const ogaRuns: { ms: number; cpuMs: number }[] = [];
const localRuns: { ms: number; cpuMs: number }[] = [];
for (let i = 0; i < input.builds; i++) {
  // Alternate which goes first so neither always follows the other's garbage.
  if (i % 2 === 0) {
    ogaRuns.push(await buildOnce("oga"));
    localRuns.push(await buildOnce("local"));
  } else {
    localRuns.push(await buildOnce("local"));
    ogaRuns.push(await buildOnce("oga"));
  }
}
await reply({ ms: 0, oga: ogaRuns, local: localRuns });
