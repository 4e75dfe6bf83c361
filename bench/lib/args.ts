/** `npm run bench -- [--runs N] [--quick] [--only a,b] [--reference curl|undici] [--large-mb N] [--no-write] [--cpu-prof DIR]` */
import { parseArgs } from "node:util";

export const BENCHMARKS = ["parse", "latency", "warm", "cold", "dev", "large", "zip", "glob"] as const;
export type BenchmarkId = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  runs: number;
  quick: boolean;
  only: BenchmarkId[];
  reference: "curl" | "undici" | "auto";
  assets: number;
  /** Concurrency of the plugin (its default) and of the reference. */
  parallel: number;
  largeBytes: number;
  parseBudgetMs: number;
  write: boolean;
  /** Directory for V8 CPU profiles of every measured child. */
  cpuProf: string | undefined;
}

const USAGE = "usage: npm run bench -- [--runs N] [--quick] [--only parse,latency,warm,cold,dev,large,zip,glob] [--reference curl|undici] [--large-mb N] [--no-write] [--cpu-prof DIR]";

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive integer, got ${raw}\n${USAGE}`);
  return value;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: "string" },
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      reference: { type: "string", default: "auto" },
      "large-mb": { type: "string" },
      "no-write": { type: "boolean", default: false },
      "cpu-prof": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const only = (values.only?.split(",").map((s) => s.trim()) ?? [...BENCHMARKS]) as BenchmarkId[];
  for (const id of only) if (!BENCHMARKS.includes(id)) throw new Error(`--only: unknown benchmark "${id}"\n${USAGE}`);
  const reference = values.reference;
  if (reference !== "curl" && reference !== "undici" && reference !== "auto") throw new Error(`--reference: curl, undici or auto\n${USAGE}`);
  return {
    // Five runs give a median that one disturbed run cannot move; --quick is a smoke test.
    runs: positive("runs", values.runs, quick ? 2 : 5),
    quick,
    only,
    reference,
    assets: 50,
    parallel: 5,
    largeBytes: positive("large-mb", values["large-mb"], quick ? 256 : 1024) * 1024 * 1024,
    parseBudgetMs: quick ? 300 : 1000,
    write: !values["no-write"],
    cpuProf: values["cpu-prof"],
  };
}
