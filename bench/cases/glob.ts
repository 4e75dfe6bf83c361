/**
 * Glob matching against names an uploader picks: the worst cases of issue 12 (a 12 KB name
 * against `*_*_*.png`, a 300-character name against five stars), the same hostile name at twice
 * the length (linear time doubles, cubic would take eight times as long), and an asset-sized list
 * of ordinary names against `**\/*.{png,ogg}`.
 */
import { importBuilt, readInput, reply } from "./protocol.js";

export interface GlobInput {
  repoRoot: string;
  /** Time spent on each measured loop. */
  budgetMs: number;
}

/** Milliseconds per call of `run`, over the budget (after a short warm-up). */
function msPerCall(run: () => unknown, budgetMs: number): number {
  for (let i = 0; i < 3; i++) run();
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

const input = readInput<GlobInput>();
const { compileGlob } = await importBuilt<typeof import("../../src/project/glob.js")>(input.repoRoot, "dist/project/glob.js");
const hostile = (length: number) => `${"_".repeat(length)}x.pn`;
const slow = compileGlob("*_*_*.png");
const stars = compileGlob("*a*a*a*a*a*b");
const ordinary = compileGlob("**/*.{png,ogg}");
const names = Array.from({ length: 10_000 }, (_, i) => `pack ${i % 7}.zip/folder ${i % 13}/sprite_${i}.${["png", "ogg", "wav", "txt"][i % 4]}`);
const started = performance.now();
const result = {
  hostile12kMs: msPerCall(() => slow.matches(hostile(12_000)), input.budgetMs),
  hostile24kMs: msPerCall(() => slow.matches(hostile(24_000)), input.budgetMs),
  fiveStars300Ms: msPerCall(() => stars.matches("a".repeat(300)), input.budgetMs),
  ordinaryNamesPerSecond: (names.length * 1000) / msPerCall(() => names.filter((n) => ordinary.matches(n)), input.budgetMs),
};
await reply({ ms: performance.now() - started, ...result });
