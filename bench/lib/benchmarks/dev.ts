/** 4. Dev server: start to first `oga:` asset served (warm cache), against a local asset. */
import type { DevInput } from "../../cases/dev.js";
import { runCase } from "../child.js";
import { alternate, type BenchContext } from "../context.js";
import { MB, type Figure } from "../figure.js";
import { gameSetup } from "../game-setup.js";
import { median, pairedRatios } from "../stats.js";
import { REPO_ROOT } from "../paths.js";

export async function devServer(ctx: BenchContext): Promise<Figure> {
  const game = await gameSetup(ctx);
  const requests: number[] = [];
  const start = (input: DevInput) => runCase<{ url: string; bytes: number }>("dev", input);
  const { a: oga, b: local } = await alternate(
    ctx.options.runs,
    async () => {
      ctx.replica.requests.reset();
      const reply = await start({ repoRoot: REPO_ROOT, root: game.ogaRoot, kind: "oga", plugin: game.pluginOptions(game.warmCache) });
      requests.push(ctx.replica.requests.count());
      return reply;
    },
    () => start({ repoRoot: REPO_ROOT, root: game.localRoot, kind: "local" }),
    ctx.log,
    "dev server",
  );
  const ogaMs = oga.map((r) => r.ms);
  const localMs = local.map((r) => r.ms);
  return {
    id: "dev",
    title: "Dev server: createServer() + listen() to the first asset's bytes, warm cache",
    rows: [
      { label: "oga: first `oga:` asset served", unit: "ms", samples: ogaMs },
      { label: "reference: first local asset served", unit: "ms", samples: localMs },
      { label: "ratio oga / local (of medians)", unit: "×", samples: [median(ogaMs) / median(localMs)] },
      { label: "ratio per run (paired)", unit: "×", samples: pairedRatios(ogaMs, localMs) },
      { label: "oga: CPU time (all threads)", unit: "ms", samples: oga.map((r) => r.cpuMs ?? Number.NaN) },
      { label: "local: CPU time (all threads)", unit: "ms", samples: local.map((r) => r.cpuMs ?? Number.NaN) },
      { label: "replica requests per dev start", unit: "", samples: requests, target: { op: "==", value: 0 } },
      { label: "peak RSS, oga dev server", unit: "MB", samples: oga.map((r) => r.maxRssBytes / MB) },
    ],
    notes: [
      `The client's walk: /src/main.js, then the first import of each module, then the URL the last one exports (oga: ${oga[0]?.url.replace(/^\/@fs\/.*\//, "/@fs/…/") ?? "?"}, ${oga[0]?.bytes ?? 0} bytes; local: ${local[0]?.url ?? "?"}). The entry imports all ${ctx.options.assets} assets, so the dev server transforms the whole entry first.`,
    ],
  };
}
