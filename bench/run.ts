/**
 * `npm run bench`: builds the package, compiles the cases, starts the replica in this process and
 * runs each benchmark's measured side in its own child process. Prints every figure and writes
 * bench/RESULTS.md. Not part of `npm test`.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { defaultAssets, minimalAsset, startReplica } from "../test/replica/index.js";
import { analysis } from "./lib/analysis.js";
import { parseBenchArgs, type BenchmarkId } from "./lib/args.js";
import type { BenchContext } from "./lib/context.js";
import type { Figure } from "./lib/figure.js";
import { gameAssetDefs, gameFiles } from "./lib/game.js";
import { describeMachine } from "./lib/machine.js";
import { profileCasesInto } from "./lib/child.js";
import { REPO_ROOT } from "./lib/paths.js";
import { curlVersion, findCurl, pickReference } from "./lib/reference.js";
import { missedTargets, renderConsole, renderMarkdown } from "./lib/report.js";
import { coldFetch } from "./lib/benchmarks/cold.js";
import { devServer } from "./lib/benchmarks/dev.js";
import { LARGE_PATH, LARGE_SLUG, largeFile } from "./lib/benchmarks/large.js";
import { latencyAssetDefs, latencyBuilds } from "./lib/benchmarks/latency.js";
import { globMatching } from "./lib/benchmarks/glob.js";
import { parsePages } from "./lib/benchmarks/parse.js";
import { warmBuild } from "./lib/benchmarks/warm.js";
import { addZipPacks, zipPacks } from "./lib/benchmarks/zip.js";

const BENCHMARKS: Record<BenchmarkId, (ctx: BenchContext) => Promise<Figure>> = {
  parse: parsePages,
  latency: latencyBuilds,
  warm: warmBuild,
  cold: coldFetch,
  dev: devServer,
  large: largeFile,
  zip: zipPacks,
  glob: globMatching,
};
/** Report order: the issue's numbering. */
const ORDER: BenchmarkId[] = ["latency", "warm", "cold", "large", "dev", "parse", "zip", "glob"];

const options = parseBenchArgs(process.argv.slice(2));
profileCasesInto(options.cpuProf);
const began = performance.now();
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

// Cases run as plain JS so a measured child carries no TypeScript loader.
const compiled = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", path.join(REPO_ROOT, "bench/tsconfig.json")], { stdio: "inherit" });
if (compiled.status !== 0) throw new Error("compiling bench/cases failed");

const machine = describeMachine();
const reference = pickReference(options.reference);
const curl = findCurl();
const referenceText = reference.name.startsWith("curl") && curl ? `${reference.name} (${curlVersion(curl)})` : reference.name;
const replica = await startReplica({
  assets: [...defaultAssets(), ...gameAssetDefs(gameFiles(options.assets)), ...latencyAssetDefs(), minimalAsset(LARGE_SLUG, { files: [] })],
});
replica.catalogue.addGeneratedFile(LARGE_SLUG, LARGE_PATH, options.largeBytes);
const work = await mkdtemp(path.join(os.tmpdir(), "oga-bench-"));
const ctx: BenchContext = { options, replica, reference, undici: pickReference("undici"), work, log };
addZipPacks(ctx);
const figures: Figure[] = [];
try {
  log(`${machine.cores} cores, load ${machine.loadAtStart.toFixed(2)}; ${options.runs} runs; reference ${referenceText}; work dir ${work}`);
  for (const id of ORDER.filter((b) => options.only.includes(b))) {
    const figure = await BENCHMARKS[id](ctx);
    figures.push(figure);
    console.log(renderConsole(figure));
  }
} finally {
  await replica.close();
  await rm(work, { recursive: true, force: true });
}

const seconds = (performance.now() - began) / 1000;
const missed = missedTargets(figures);
const explained = analysis(figures);
if (explained) console.log(`\n${explained.replace(/\*\*/g, "")}`);
console.log(missed.length ? `\nMissed: ${missed.map((m) => `${m.figure.id}/${m.row.label}`).join(", ")}` : "\nEvery target met.");
if (options.write && options.only.length === ORDER.length) {
  const markdown = renderMarkdown(figures, machine, options, { reference: referenceText, loadAtEnd: os.loadavg()[0] ?? 0, seconds, analysis: explained });
  await writeFile(path.join(REPO_ROOT, "bench/RESULTS.md"), markdown);
  log("wrote bench/RESULTS.md");
} else if (options.write) {
  log("bench/RESULTS.md is only written by a run of every benchmark (no --only)");
}
