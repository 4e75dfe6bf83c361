/**
 * How the runner talks to a measured child: the input is one JSON argument, the answer one JSON
 * line on stdout. Peak RSS comes from the child itself, so the replica (in the runner) never
 * counts against what is measured.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

export interface ChildReply {
  /** The measured wall time in milliseconds (what each case times is said in the case). */
  ms: number;
  /** CPU time over the same span, when the case measures it (see startTimer). */
  cpuMs?: number;
  /** Peak resident set size of this child process, bytes. */
  maxRssBytes: number;
  [extra: string]: unknown;
}

export function readInput<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error("bench case: expected one JSON argument");
  return JSON.parse(raw) as T;
}

/** Prints the answer and exits: keep-alive sockets or watchers must not keep the child alive. */
export function reply(result: { ms: number; [extra: string]: unknown }): Promise<never> {
  // maxRSS is in KiB.
  const answer: ChildReply = { ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  return new Promise<never>(() => {
    process.stdout.write(JSON.stringify(answer) + "\n", () => process.exit(0));
  });
}

/**
 * Starts a measurement: wall time, and CPU time of every thread of this process (Rolldown's and
 * libuv's included). On a shared machine CPU time moves much less than wall time.
 */
export function startTimer(): () => { ms: number; cpuMs: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
  };
}

/**
 * Milliseconds per call of `run`: called `warmUp` times first, then until `budgetMs` is spent
 * (and at least three times, for calls longer than the budget).
 */
export function msPerCall(run: () => unknown, budgetMs: number, warmUp: number): number {
  for (let i = 0; i < warmUp; i++) run();
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs || count < 3) {
    run();
    count++;
    elapsed = performance.now() - started;
  }
  return elapsed / count;
}

/** Loads a module of the built package (dist/), the code users install, by absolute path. */
export async function importBuilt<T>(repoRoot: string, relative: string): Promise<T> {
  return (await import(pathToFileURL(path.join(repoRoot, relative)).href)) as T;
}
