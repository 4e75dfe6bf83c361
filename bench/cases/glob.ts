/**
 * Glob matching against names an uploader picks: the worst cases of issue 12 (a 12 KB name
 * against `*_*_*.png`, a 300-character name against five stars), the same hostile name at twice
 * the length (linear time doubles, cubic would take eight times as long), and an asset-sized list
 * of ordinary names against `**\/*.{png,ogg}`.
 */
import { importBuilt, msPerCall, readInput, reply } from "./protocol.js";

export interface GlobInput {
  repoRoot: string;
  /** Time spent on each measured loop. */
  budgetMs: number;
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
  hostile12kMs: msPerCall(() => slow.matches(hostile(12_000)), input.budgetMs, 3),
  hostile24kMs: msPerCall(() => slow.matches(hostile(24_000)), input.budgetMs, 3),
  fiveStars300Ms: msPerCall(() => stars.matches("a".repeat(300)), input.budgetMs, 3),
  ordinaryNamesPerSecond: (names.length * 1000) / msPerCall(() => names.filter((n) => ordinary.matches(n)), input.budgetMs, 3),
};
await reply({ ms: performance.now() - started, ...result });
