/**
 * 1. Warm build overhead: warm cache + up-to-date lockfile against the same files from src/,
 * three ways: one build per child process timed inside it, `vite build` as a user runs it (40
 * and 200 files, the whole process), and many builds in one process (the plugin's own time).
 */
import type { RepeatedBuildInput } from "../../cases/build-repeated.js";
import type { ChildReply } from "../../cases/protocol.js";
import { runCase } from "../child.js";
import { alternate, type BenchContext } from "../context.js";
import { MB, type Figure, type Row } from "../figure.js";
import { gameSetup, type GameSetup } from "../game-setup.js";
import { REPO_ROOT } from "../paths.js";
import { median, pairedRatios } from "../stats.js";
import { cliGame } from "../vite-cli-game.js";

/** The targets: `vite build` within 5 % of the local build, the plugin ≤ 0.3 ms a file. */
const CLI_RATIO_TARGET = 1.05;
const PLUGIN_MS_PER_FILE_TARGET = 0.3;
/** Game sizes built by the `vite` command (files; four per asset). */
const CLI_FILES = [40, 200] as const;

export interface WarmSamples {
  oga: ChildReply[];
  local: ChildReply[];
  requests: number[];
}

let measured: Promise<WarmSamples> | undefined;

/** Shared with the cold benchmark, which subtracts the warm build time from the cold one. */
export function warmSamples(ctx: BenchContext): Promise<WarmSamples> {
  return (measured ??= (async () => {
    const game = await gameSetup(ctx);
    const requests: number[] = [];
    const { a: oga, b: local } = await alternate(
      ctx.options.runs,
      async () => {
        ctx.replica.requests.reset();
        const reply = await game.build("oga");
        requests.push(ctx.replica.requests.count());
        return reply;
      },
      () => game.build("local"),
      ctx.log,
      "warm build",
    );
    return { oga, local, requests };
  })());
}

/**
 * `vite build` as a process, oga against local, at each size in {@link CLI_FILES}. Twice the runs
 * of the other figures: these decide the target, a process build is short, and on this kind of
 * machine two builds of the same game differ by a fifth (the kernel's cost of each fresh page of
 * memory the bundler touches varies from run to run).
 */
async function cliRows(ctx: BenchContext, game: GameSetup): Promise<Row[]> {
  const rows: Row[] = [];
  const runs = 2 * ctx.options.runs;
  for (const count of CLI_FILES) {
    const cli = await cliGame(ctx, game.files.slice(0, count), game.warmCache);
    const { a: oga, b: local } = await alternate(runs, () => cli.build("oga"), () => cli.build("local"), ctx.log, `vite build, ${count} files`);
    rows.push(
      { label: `vite build process, ${count} files: oga, warm`, unit: "ms", samples: oga },
      { label: `vite build process, ${count} files: local`, unit: "ms", samples: local },
      { label: `vite build process, ${count} files: ratio oga / local`, unit: "×", samples: [median(oga) / median(local)], target: { op: "<=", value: CLI_RATIO_TARGET } },
      { label: `vite build process, ${count} files: ratio per run (paired)`, unit: "×", samples: pairedRatios(oga, local) },
    );
  }
  return rows;
}

/**
 * Repeated builds in one process: the plugin's own code per file (from a CPU profile of further
 * oga builds), and (oga − local) / files, all the plugin causes including the bundler's work on
 * its modules.
 */
async function inProcessRows(ctx: BenchContext, game: GameSetup): Promise<Row[]> {
  // Builds of one process are short and cheap: more of them steady the medians.
  const builds = Math.max(2 * ctx.options.runs, 10);
  ctx.log(`in-process builds: ${builds} of each kind in one process, then 3 of each profiled`);
  type Run = { ms: number; cpuMs: number };
  const input: RepeatedBuildInput = { repoRoot: REPO_ROOT, ogaRoot: game.ogaRoot, localRoot: game.localRoot, plugin: game.pluginOptions(game.warmCache), builds, profiledBuilds: 3 };
  const { oga, local, pluginMsPerBuild, bundlerMsPerBuild, localBundlerMsPerBuild } = await runCase<{
    oga: Run[];
    local: Run[];
    pluginMsPerBuild: number;
    bundlerMsPerBuild: number;
    localBundlerMsPerBuild: number;
  }>("build-repeated", input);
  const files = game.files.length;
  const perFile = (a: number[], b: number[]) => (median(a) - median(b)) / files;
  return [
    { label: "in one process, repeated: oga build", unit: "ms", samples: oga.map((r) => r.ms) },
    { label: "in one process, repeated: local build", unit: "ms", samples: local.map((r) => r.ms) },
    {
      label: "plugin time per file, in process (its own code, profiled)",
      unit: "ms",
      samples: [pluginMsPerBuild / files],
      target: { op: "<=", value: PLUGIN_MS_PER_FILE_TARGET },
      note: "main-thread CPU samples in dist/ per warm build, per file",
    },
    { label: "bundler JS time per build, in process (profiled): oga", unit: "ms", samples: [bundlerMsPerBuild] },
    { label: "bundler JS time per build, in process (profiled): local", unit: "ms", samples: [localBundlerMsPerBuild], note: "the difference is the bundler's work on the plugin's modules and loads" },
    { label: "all the plugin adds per file, in process (oga − local) / files", unit: "ms", samples: [perFile(oga.map((r) => r.ms), local.map((r) => r.ms))], note: "of the medians; with its modules' bundler work" },
    { label: "all the plugin adds per file, CPU (oga − local) / files", unit: "ms", samples: [perFile(oga.map((r) => r.cpuMs), local.map((r) => r.cpuMs))] },
  ];
}

export async function warmBuild(ctx: BenchContext): Promise<Figure> {
  const game = await gameSetup(ctx);
  const { oga, local, requests } = await warmSamples(ctx);
  const cli = await cliRows(ctx, game);
  const inProcess = await inProcessRows(ctx, game);
  const ogaMs = oga.map((r) => r.ms);
  const localMs = local.map((r) => r.ms);
  const ratio = median(ogaMs) / median(localMs);
  return {
    id: "warm",
    title: `Warm build: ${game.files.length} files of ${ctx.options.assets} assets (${(game.totalBytes / MB).toFixed(1)} MB), vite build`,
    rows: [
      { label: "oga: build, warm cache + lockfile", unit: "ms", samples: ogaMs },
      { label: "reference: same files from src/assets", unit: "ms", samples: localMs },
      { label: "ratio oga / local (of medians)", unit: "×", samples: [ratio], target: { op: "<=", value: 1.05 }, note: "per-run ratios below" },
      { label: "ratio per run (paired)", unit: "×", samples: pairedRatios(ogaMs, localMs) },
      { label: "oga: CPU time (all threads)", unit: "ms", samples: oga.map((r) => r.cpuMs ?? Number.NaN) },
      { label: "local: CPU time (all threads)", unit: "ms", samples: local.map((r) => r.cpuMs ?? Number.NaN) },
      { label: "CPU ratio oga / local (of medians)", unit: "×", samples: [median(oga.map((r) => r.cpuMs ?? Number.NaN)) / median(local.map((r) => r.cpuMs ?? Number.NaN))], note: "less disturbed by other processes than wall time" },
      { label: "oga: importing the plugin (part of its build time)", unit: "ms", samples: oga.map((r) => Number(r.importMs)) },
      { label: "modules in the graph, oga build", unit: "", samples: oga.map((r) => Number(r.modules)) },
      { label: "modules in the graph, local build", unit: "", samples: local.map((r) => Number(r.modules)) },
      { label: "replica requests per warm build", unit: "", samples: requests, target: { op: "==", value: 0 } },
      { label: "peak RSS, oga build", unit: "MB", samples: oga.map((r) => r.maxRssBytes / MB) },
      { label: "peak RSS, local build", unit: "MB", samples: local.map((r) => r.maxRssBytes / MB) },
      ...cli,
      ...inProcess,
    ],
    notes: [
      `Build time is measured inside the child from just before the plugin is imported (oga side) to the end of \`build()\`; importing Vite is common to both and excluded. Median difference: ${(median(ogaMs) - median(localMs)).toFixed(0)} ms.`,
      `\`vite build\` rows: the \`vite\` command run in each project (a \`vite.config.mjs\`, with the plugin on the oga side), wall time from spawn to exit, as a user runs it; ${CLI_FILES.join(" and ")} files, warm cache and lockfile; ${2 * ctx.options.runs} runs of each, alternating.`,
      "In-process rows: both games built alternately in one process after one untimed build of each, so process start, module loading and JIT warm-up are left out; what remains between them is the plugin's hooks and its extra modules. The plugin's own time comes from V8 CPU samples of three more builds of each kind: a sample counts for the plugin when the nearest of its frames from dist/ or Vite/Rolldown is the plugin's (so a `this.load` the plugin makes counts for the bundler); it measures CPU, which other processes on the machine barely move.",
    ],
  };
}
