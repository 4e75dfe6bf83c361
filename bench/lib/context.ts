/** What every benchmark gets from the runner. */
import type { Replica } from "../../test/replica/index.js";
import type { BenchOptions } from "./args.js";
import type { Reference } from "./reference.js";

export interface BenchContext {
  options: BenchOptions;
  replica: Replica;
  reference: Reference;
  /** undici alone, the floor of any Node download: run beside the reference to locate a gap. */
  undici: Reference;
  /** A private temp directory, removed at the end. */
  work: string;
  log(message: string): void;
}

/** Runs `a` and `b` once per run, swapping which goes first so neither always meets a warm CPU. */
export async function alternate<A, B>(runs: number, a: () => Promise<A>, b: () => Promise<B>, log: (m: string) => void, what: string): Promise<{ a: A[]; b: B[] }> {
  const as: A[] = [];
  const bs: B[] = [];
  for (let run = 0; run < runs; run++) {
    log(`${what}: run ${run + 1}/${runs}`);
    if (run % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return { a: as, b: bs };
}

/** Like {@link alternate} for any number of series: each run rotates which one goes first. */
export async function rotate<T>(runs: number, series: (() => Promise<T>)[], log: (m: string) => void, what: string): Promise<T[][]> {
  const results: T[][] = series.map(() => []);
  for (let run = 0; run < runs; run++) {
    log(`${what}: run ${run + 1}/${runs}`);
    for (let k = 0; k < series.length; k++) {
      const i = (run + k) % series.length;
      results[i]!.push(await series[i]!());
    }
  }
  return results;
}
