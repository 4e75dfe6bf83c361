/**
 * The two game projects (oga and local) and a warm cache with an up-to-date lockfile, made once
 * and shared by the warm, cold and dev benchmarks.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { OgaPluginOptions } from "../../src/project/options.js";
import type { BuildInput } from "../cases/build.js";
import { runCase } from "./child.js";
import type { BenchContext } from "./context.js";
import { gameFiles, writeLocalGame, writeOgaGame, type GameFile } from "./game.js";
import { REPO_ROOT } from "./paths.js";

export interface GameSetup {
  files: GameFile[];
  totalBytes: number;
  ogaRoot: string;
  localRoot: string;
  warmCache: string;
  /** Plugin options for the oga game with a given cache dir. */
  pluginOptions(cacheDir: string): OgaPluginOptions;
  /** A build of the oga game (`cacheDir`) or the local game. */
  build(kind: "oga" | "local", cacheDir?: string): ReturnType<typeof runCase>;
}

let setup: Promise<GameSetup> | undefined;

export function gameSetup(ctx: BenchContext): Promise<GameSetup> {
  return (setup ??= makeGameSetup(ctx));
}

async function makeGameSetup(ctx: BenchContext): Promise<GameSetup> {
  const files = gameFiles(ctx.options.assets);
  const ogaRoot = path.join(ctx.work, "oga-game");
  const localRoot = path.join(ctx.work, "local-game");
  const warmCache = path.join(ctx.work, "warm-cache");
  await mkdir(ogaRoot, { recursive: true });
  await writeOgaGame(ogaRoot, files);
  await writeLocalGame(localRoot, files, ctx.replica.catalogue);
  const pluginOptions = (cacheDir: string): OgaPluginOptions => ({
    url: ctx.replica.url,
    cacheDir,
    lockfile: path.join(ogaRoot, "oga.lock.json"),
    dts: path.join(ogaRoot, "src/oga-env.d.ts"),
    frozen: false,
  });
  const build = (kind: "oga" | "local", cacheDir = warmCache) => {
    const input: BuildInput = kind === "oga" ? { repoRoot: REPO_ROOT, root: ogaRoot, kind, plugin: pluginOptions(cacheDir) } : { repoRoot: REPO_ROOT, root: localRoot, kind };
    return runCase("build", input);
  };
  ctx.log(`game: ${files.length} files in ${ctx.options.assets} assets; priming the cache and lockfile`);
  await build("oga");
  // Blobs written moments ago are "racy" for the cache (their mtime is too close to the check to
  // trust a stamp), so the next build re-hashes them all. A user's warm build comes long after
  // the download: wait out that window and let one untimed build record the stamps.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await build("oga");
  return { files, totalBytes: files.reduce((s, f) => s + f.size, 0), ogaRoot, localRoot, warmCache, pluginOptions, build };
}
