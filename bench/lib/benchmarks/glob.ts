/** 6. Globs: hostile file names against the patterns that made a backtracking matcher cubic. */
import type { GlobInput } from "../../cases/glob.js";
import { runCase } from "../child.js";
import type { BenchContext } from "../context.js";
import type { Figure } from "../figure.js";
import { median, pairedRatios } from "../stats.js";
import { REPO_ROOT } from "../paths.js";

export async function globMatching(ctx: BenchContext): Promise<Figure> {
  const input: GlobInput = { repoRoot: REPO_ROOT, budgetMs: ctx.options.parseBudgetMs };
  type Times = { hostile12kMs: number; hostile24kMs: number; fiveStars300Ms: number; ordinaryNamesPerSecond: number };
  const runs: Times[] = [];
  for (let run = 0; run < ctx.options.runs; run++) {
    ctx.log(`glob: run ${run + 1}/${ctx.options.runs}`);
    runs.push(await runCase<Times>("glob", input));
  }
  const pick = (key: keyof Times) => runs.map((r) => r[key]);
  const doubling = pairedRatios(pick("hostile24kMs"), pick("hostile12kMs"));
  return {
    id: "glob",
    title: "Globs: hostile names (issue 12: 42 s for 12 KB against *_*_*.png; minutes for 300 characters against five stars)",
    rows: [
      { label: "12 KB name against *_*_*.png", unit: "ms", samples: pick("hostile12kMs"), target: { op: "<=", value: 10 } },
      { label: "24 KB name against *_*_*.png", unit: "ms", samples: pick("hostile24kMs") },
      { label: "twice the name: time ratio (linear 2, cubic 8)", unit: "×", samples: doubling, target: { op: "<=", value: 3 } },
      { label: "300 characters against *a*a*a*a*a*b", unit: "ms", samples: pick("fiveStars300Ms"), target: { op: "<=", value: 1 } },
      { label: "10,000 zip paths against *.{png,ogg} in any folder", unit: "names/s", samples: pick("ordinaryNamesPerSecond") },
    ],
    notes: [`Doubling the hostile name multiplies the time by ${median(doubling).toFixed(2)}: matching is linear in the name.`],
  };
}
