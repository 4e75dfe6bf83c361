/** 1. Warm build overhead: warm cache + up-to-date lockfile against the same files from src/. */
import type { ChildReply } from "../../cases/protocol.js";
import { alternate, type BenchContext } from "../context.js";
import { MB, type Figure } from "../figure.js";
import { gameSetup } from "../game-setup.js";
import { median, pairedRatios } from "../stats.js";

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

export async function warmBuild(ctx: BenchContext): Promise<Figure> {
  const game = await gameSetup(ctx);
  const { oga, local, requests } = await warmSamples(ctx);
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
    ],
    notes: [
      `Build time is measured inside the child from just before the plugin is imported (oga side) to the end of \`build()\`; importing Vite is common to both and excluded. Median difference: ${(median(ogaMs) - median(localMs)).toFixed(0)} ms.`,
    ],
  };
}
