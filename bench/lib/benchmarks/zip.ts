/**
 * 6. Many-entry zips: a `**` glob over a pack of 1000 and of 3000 entries, cold (empty cache, no
 * lockfile: download, read the central directory, extract every entry) and warm (cache and
 * lockfile in place), against the same files from src/ through `import.meta.glob`. Every build
 * runs where only 256 files may be open, as on macOS by default; Vite alone fails there with a
 * thousand local assets, so the reference runs without that limit.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BuildInput } from "../../cases/build.js";
import { minimalAsset, zip } from "../../../test/replica/index.js";
import { runCase } from "../child.js";
import type { BenchContext } from "../context.js";
import type { Figure, Row } from "../figure.js";
import { REPO_ROOT } from "../paths.js";
import { median } from "../stats.js";

/** Pack sizes measured, with the targets for a cold build (seconds). */
const PACKS = [
  { entries: 1000, coldTargetS: 5 },
  { entries: 3000, coldTargetS: 10 },
] as const;
const OPEN_FILES = 256;
/** Longer than the cache's racy window (2 s), after which a verified blob gets its stamp. */
const RACY_WINDOW_MS = 3000;
/**
 * Linear means the time per entry holds as the pack grows: per-entry time at the largest pack
 * over that at the smallest. A fixed cost per build (process start, the download) only pushes
 * the ratio below 1; an O(n²) step makes it about 3.
 */
const LINEAR_TARGET = 1.3;

const slugOf = (entries: number) => `bench-zip-${entries}`;
const entryPath = (i: number) => `sprites/set${i % 20}/sprite_${i}.bin`;
/** A small, distinct body per entry (tiny sprites, a few hundred bytes, deflated). */
const entryData = (i: number) => Buffer.from(`sprite ${i} `.repeat(20 + (i % 13)));

/** Adds the packs to the replica (zipped when first requested). */
export function addZipPacks(ctx: BenchContext): void {
  for (const { entries } of PACKS) {
    const body = () => zip(Array.from({ length: entries }, (_, i) => ({ name: entryPath(i), data: entryData(i) })));
    ctx.replica.catalogue.addAsset(minimalAsset(slugOf(entries), { files: [{ path: `bench/${slugOf(entries)}.zip`, body }] }));
  }
}

async function writeProjects(ctx: BenchContext, entries: number): Promise<{ ogaRoot: string; localRoot: string }> {
  const ogaRoot = path.join(ctx.work, `zip-${entries}-oga`);
  const localRoot = path.join(ctx.work, `zip-${entries}-local`);
  await mkdir(path.join(ogaRoot, "src"), { recursive: true });
  await writeFile(path.join(ogaRoot, "src/main.js"), `import all from "oga:${slugOf(entries)}/**/*.bin";\nglobalThis.__sprites = all;\n`);
  for (let i = 0; i < entries; i++) {
    const file = path.join(localRoot, "src", entryPath(i));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, entryData(i));
  }
  await writeFile(path.join(localRoot, "src/main.js"), `globalThis.__sprites = import.meta.glob("./sprites/**/*.bin", { eager: true, query: "?url", import: "default" });\n`);
  return { ogaRoot, localRoot };
}

export async function zipPacks(ctx: BenchContext): Promise<Figure> {
  const rows: Row[] = [];
  /** Median milliseconds per entry, per pack size. */
  const perEntry = new Map<number, { cold: number; warm: number }>();
  for (const { entries, coldTargetS } of PACKS) {
    const { ogaRoot, localRoot } = await writeProjects(ctx, entries);
    const cacheDir = path.join(ctx.work, `zip-${entries}-cache`);
    const oga: BuildInput = {
      repoRoot: REPO_ROOT,
      root: ogaRoot,
      kind: "oga",
      plugin: { url: ctx.replica.url, cacheDir, lockfile: path.join(ogaRoot, "oga.lock.json"), dts: path.join(ogaRoot, "src/oga-env.d.ts"), frozen: false },
    };
    const cold: number[] = [];
    const warm: number[] = [];
    const local: number[] = [];
    for (let run = 0; run < ctx.options.runs; run++) {
      ctx.log(`zip pack of ${entries} entries: run ${run + 1}/${ctx.options.runs}`);
      await rm(cacheDir, { recursive: true, force: true });
      await rm(path.join(ogaRoot, "oga.lock.json"), { force: true });
      const first = await runCase<{ modules: number }>("build", oga, { openFiles: OPEN_FILES });
      // One module per sprite (its `?url` asset module), plus the entry and the glob's module.
      if (first.modules < entries) throw new Error(`the cold build's graph holds ${first.modules} modules, fewer than the ${entries} entries`);
      cold.push(first.ms);
      local.push((await runCase("build", { repoRoot: REPO_ROOT, root: localRoot, kind: "local" } satisfies BuildInput)).ms);
    }
    // Entries extracted moments ago are "racy" for the cache (see game-setup.ts): the build right
    // after a cold one re-hashes them all. A user's warm build comes later: wait out that window
    // and let one untimed build record the stamps, as the warm game build does.
    await new Promise((resolve) => setTimeout(resolve, RACY_WINDOW_MS));
    await runCase("build", oga, { openFiles: OPEN_FILES });
    for (let run = 0; run < ctx.options.runs; run++) {
      ctx.log(`zip pack of ${entries} entries: warm run ${run + 1}/${ctx.options.runs}`);
      warm.push((await runCase("build", oga, { openFiles: OPEN_FILES })).ms);
    }
    const seconds = (ms: number[]) => ms.map((m) => m / 1000);
    perEntry.set(entries, { cold: median(cold) / entries, warm: median(warm) / entries });
    rows.push(
      { label: `${entries} entries, cold (download, extract all)`, unit: "s", samples: seconds(cold), target: { op: "<", value: coldTargetS } },
      { label: `${entries} entries, warm (cache + lockfile)`, unit: "s", samples: seconds(warm) },
      { label: `${entries} local files, import.meta.glob (no open-file limit)`, unit: "s", samples: seconds(local) },
    );
  }
  const small = perEntry.get(PACKS[0].entries)!;
  const large = perEntry.get(PACKS[PACKS.length - 1]!.entries)!;
  const sizes = `${PACKS[PACKS.length - 1]!.entries} vs ${PACKS[0].entries}`;
  rows.push(
    { label: `cold: time per entry, ${sizes} (linear)`, unit: "×", samples: [large.cold / small.cold], target: { op: "<=", value: LINEAR_TARGET } },
    { label: `warm: time per entry, ${sizes} (linear)`, unit: "×", samples: [large.warm / small.warm], target: { op: "<=", value: LINEAR_TARGET } },
  );
  return {
    id: "zip",
    title: `Many-entry zips: a ** glob over ${PACKS.map((p) => p.entries).join(" and ")} entries, vite build with ${OPEN_FILES} open files allowed`,
    rows,
    notes: [
      "Build time is measured inside the child from just before the plugin is imported to the end of `build()`. The cold build downloads the pack, reads its central directory once and extracts every entry into the cache; the warm build reuses the blobs.",
      `Linearity: the median build time per entry at ${PACKS[PACKS.length - 1]!.entries} entries over that at ${PACKS[0].entries} (${(small.cold * 1000).toFixed(0)} → ${(large.cold * 1000).toFixed(0)} µs cold, ${(small.warm * 1000).toFixed(0)} → ${(large.warm * 1000).toFixed(0)} µs warm); at most ${LINEAR_TARGET} counts as linear, since fixed costs per build only lower it.`,
    ],
  };
}
