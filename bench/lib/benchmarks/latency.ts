/**
 * 1. Latency: a small game over a simulated round trip, where requests, not bytes, set the time.
 * What a cold build adds over a warm one is compared with the request floor: the requests the
 * replica served, `connections` at a time, one round trip each.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import type { OgaPluginOptions } from "../../../src/project/options.js";
import type { BuildInput } from "../../cases/build.js";
import type { ChildReply } from "../../cases/protocol.js";
import { runCase } from "../child.js";
import type { BenchContext } from "../context.js";
import type { Figure } from "../figure.js";
import { gameAssetDefs, writeOgaGame, type GameFile } from "../game.js";
import { REPO_ROOT } from "../paths.js";
import { median } from "../stats.js";
import type { ReplicaAssetDef } from "../../../test/replica/index.js";

export const LATENCY_RTT_MS = 50;
const ASSETS = 20;
const CONNECTIONS = 5;

/** One small file per asset (2–40 KB): transfer time stays negligible next to the round trips. */
export function latencyFiles(): GameFile[] {
  return Array.from({ length: ASSETS }, (_, i) => {
    const slug = `bench-latency-${String(i).padStart(2, "0")}`;
    const name = `tile-${i}.png`;
    return { slug, name, storedPath: `bench/${slug}/${name}`, size: Math.round(2_000 * Math.pow(20, i / (ASSETS - 1))) };
  });
}

export function latencyAssetDefs(): ReplicaAssetDef[] {
  return gameAssetDefs(latencyFiles());
}

/** `ceil(requests / connections) × RTT`: the time the requests need if each round trip is used fully. */
export function requestFloorMs(requests: number, connections: number, rttMs: number): number {
  return Math.ceil(requests / connections) * rttMs;
}

export async function latencyBuilds(ctx: BenchContext): Promise<Figure> {
  const root = path.join(ctx.work, "latency-game");
  await writeOgaGame(root, latencyFiles());
  const lockedFile = path.join(root, "oga.lock.json");
  const unlockedFile = path.join(root, "scratch.lock.json");
  const warmCache = path.join(ctx.work, "latency-warm-cache");
  const coldCache = path.join(ctx.work, "latency-cold-cache");
  const plugin = (cacheDir: string, lockfile: string): OgaPluginOptions => ({
    url: ctx.replica.url,
    cacheDir,
    lockfile,
    dts: path.join(root, "src/oga-env.d.ts"),
    frozen: false,
    concurrency: CONNECTIONS,
  });
  const build = async (cacheDir: string, lockfile: string): Promise<ChildReply & { requests: number }> => {
    ctx.replica.requests.reset();
    const input: BuildInput = { repoRoot: REPO_ROOT, root, kind: "oga", plugin: plugin(cacheDir, lockfile) };
    const reply = await runCase("build", input);
    if (process.env.LATENCY_TRACE) {
      const entries = ctx.replica.requests.entries;
      const t0 = Number(reply.startedAt) - performance.timeOrigin;
      ctx.log(`trace ${lockfile === lockedFile ? "locked" : "unlocked"} ${cacheDir === warmCache ? "warm" : "cold"} ${reply.ms.toFixed(0)}ms: ` + `import ${Number(reply.importMs).toFixed(0)} | ` + entries.map((e) => `${(e.at - t0).toFixed(0)}${e.pathname.startsWith("/content") ? "p" : "f"}`).join(" "));
    }
    return { ...reply, requests: ctx.replica.requests.count() };
  };

  ctx.replica.setRoundTripMs(LATENCY_RTT_MS);
  try {
    ctx.log(`latency: ${ASSETS} assets, ${LATENCY_RTT_MS} ms round trip, ${CONNECTIONS} connections; priming the lockfile and a warm cache`);
    await build(warmCache, lockedFile);
    // As in game-setup.ts: a user's warm build comes long after the download, past the window
    // in which fresh blobs are re-hashed instead of trusted by their stamp.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await build(warmCache, lockedFile);

    const series = {
      unlocked: [] as (ChildReply & { requests: number })[],
      locked: [] as (ChildReply & { requests: number })[],
      warm: [] as (ChildReply & { requests: number })[],
    };
    const kinds = ["unlocked", "locked", "warm"] as const;
    for (let run = 0; run < ctx.options.runs; run++) {
      ctx.log(`latency: run ${run + 1}/${ctx.options.runs}`);
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(run + k) % kinds.length]!;
        if (kind === "warm") {
          series.warm.push(await build(warmCache, lockedFile));
          continue;
        }
        await rm(coldCache, { recursive: true, force: true });
        if (kind === "unlocked") await rm(unlockedFile, { force: true });
        series[kind].push(await build(coldCache, kind === "unlocked" ? unlockedFile : lockedFile));
      }
    }
    await rm(coldCache, { recursive: true, force: true });
    await rm(warmCache, { recursive: true, force: true });

    const warmMs = median(series.warm.map((r) => r.ms));
    const rows: Figure["rows"] = [{ label: "warm build (lockfile + cache)", unit: "ms", samples: series.warm.map((r) => r.ms) }];
    const notes: string[] = [];
    for (const [kind, what] of [
      ["unlocked", "cold, no lockfile"],
      ["locked", "cold, lockfile + empty cache"],
    ] as const) {
      const runs = series[kind];
      const requests = median(runs.map((r) => r.requests));
      const floor = requestFloorMs(requests, CONNECTIONS, LATENCY_RTT_MS);
      const adds = runs.map((r) => r.ms - warmMs);
      rows.push(
        { label: `${what}: build`, unit: "ms", samples: runs.map((r) => r.ms) },
        { label: `${what}: replica requests`, unit: "", samples: runs.map((r) => r.requests) },
        { label: `${what}: adds over the median warm build`, unit: "ms", samples: adds },
        { label: `${what}: request floor ceil(${requests} / ${CONNECTIONS}) × ${LATENCY_RTT_MS} ms`, unit: "ms", samples: [floor] },
        { label: `${what}: adds / floor (of medians)`, unit: "×", samples: [median(adds) / floor], target: { op: "<=", value: 1.15 } },
      );
    }
    rows.push({ label: "replica requests per warm build", unit: "", samples: series.warm.map((r) => r.requests), target: { op: "==", value: 0 } });
    notes.push(
      `Every response waits ${LATENCY_RTT_MS} ms before its first byte (the replica's round-trip knob); the ${ASSETS} files are 2–40 KB, so the round trips, not the bytes, set the time.`,
      `Without a lockfile each asset costs its page and then its file; with one, only the files. The floor assumes every one of the ${CONNECTIONS} connections carries a request in every round trip.`,
    );
    return { id: "latency", title: `Latency: ${ASSETS} assets, ${LATENCY_RTT_MS} ms round trip, ${CONNECTIONS} connections, vite build`, rows, notes };
  } finally {
    ctx.replica.setRoundTripMs(0);
  }
}
