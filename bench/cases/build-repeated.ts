/**
 * The warm oga game and the local game built alternately, many times, in one process: once the
 * first build of each has loaded and compiled everything, what is left between the two series is
 * the plugin's own time per build (its hooks, its extra modules), without process start, module
 * loading or JIT warm-up, which `vite build` as a process pays once either way.
 */
import { Session } from "node:inspector/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { importBuilt, readInput, reply, startTimer } from "./protocol.js";

export interface RepeatedBuildInput {
  repoRoot: string;
  ogaRoot: string;
  localRoot: string;
  plugin: OgaPluginOptions;
  /** Timed builds of each kind (after one untimed build of each). */
  builds: number;
  /** Further builds of each kind run under V8's sampling profiler, to split their main-thread time. */
  profiledBuilds: number;
}

/** A node of a V8 CPU profile (the fields used here). */
interface ProfileNode {
  id: number;
  callFrame: { url: string };
  children?: number[];
}

/**
 * Main-thread time per build spent in the plugin's own code (dist/) and in the bundler's JS (Vite,
 * Rolldown), from the samples of a CPU profile: each sample goes to the nearest of the two on its
 * stack, so a bundler call the plugin makes (`this.load`) counts for the bundler, and a plugin
 * hook the bundler calls counts for the plugin. Node internals and native calls count for
 * whichever called them. Sampling counts CPU, not waiting, so other processes barely move it.
 */
function splitProfile(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, pluginDir: string): { pluginMs: number; bundlerMs: number } {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const owner = new Map<number, "plugin" | "bundler" | "other">();
  const ownerOf = (id: number): "plugin" | "bundler" | "other" => {
    let known = owner.get(id);
    if (known) return known;
    const url = byId.get(id)!.callFrame.url;
    if (url.startsWith(pluginDir)) known = "plugin";
    else if (/\/node_modules\/(vite|rolldown|rollup)\//.test(url)) known = "bundler";
    else known = parent.has(id) ? ownerOf(parent.get(id)!) : "other";
    owner.set(id, known);
    return known;
  };
  let pluginMs = 0;
  let bundlerMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const who = ownerOf(id);
    if (who === "plugin") pluginMs += ms;
    else if (who === "bundler") bundlerMs += ms;
  });
  return { pluginMs, bundlerMs };
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

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
const pluginDir = pathToFileURL(path.join(input.repoRoot, "dist")).href + "/";
/** Main-thread time per build of `kind`, split between the plugin and the bundler. */
async function profiled(kind: "oga" | "local"): Promise<{ pluginMs: number; bundlerMs: number }> {
  await session.post("Profiler.start");
  for (let i = 0; i < input.profiledBuilds; i++) await buildOnce(kind);
  const { profile } = await session.post("Profiler.stop");
  const split = splitProfile(profile as unknown as Parameters<typeof splitProfile>[0], pluginDir);
  return { pluginMs: split.pluginMs / input.profiledBuilds, bundlerMs: split.bundlerMs / input.profiledBuilds };
}
const ogaSplit = await profiled("oga");
const localSplit = await profiled("local");
session.disconnect();
await reply({ ms: 0, oga: ogaRuns, local: localRuns, pluginMsPerBuild: ogaSplit.pluginMs, bundlerMsPerBuild: ogaSplit.bundlerMs, localBundlerMsPerBuild: localSplit.bundlerMs });
