/**
 * 1. Latency: a small game over a simulated round trip, where requests, not bytes, set the time.
 * What a cold build adds over a warm one is compared with the request floor: the requests the
 * replica served, `connections` at a time, one round trip each.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { OgaPluginOptions } from "../../../src/project/options.js";
import type { BuildInput } from "../../cases/build.js";
import type { ChildReply } from "../../cases/protocol.js";
import { runCase } from "../child.js";
import type { BenchContext } from "../context.js";
import type { Figure } from "../figure.js";
import { fileUrl, gameAssetDefs, writeOgaGame, type GameFile } from "../game.js";
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

type Build = ChildReply & Timeline;

interface Timeline {
  requests: number;
  /** Build start to the first request's arrival at the replica. */
  beforeMs: number;
  /** First request's arrival to the last request's answer (arrival + one round trip). */
  requestsMs: number;
  /** The rest of the build. */
  afterMs: number;
}

/** Places the replica's request arrivals (its `performance.now()`) on the child's build timeline. */
function timeline(reply: ChildReply, arrivals: readonly number[]): Timeline {
  const start = Number(reply.startedAt) - performance.timeOrigin;
  if (arrivals.length === 0) return { requests: 0, beforeMs: reply.ms, requestsMs: 0, afterMs: 0 };
  const first = Math.min(...arrivals) - start;
  const lastAnswer = Math.max(...arrivals) + LATENCY_RTT_MS - start;
  return { requests: arrivals.length, beforeMs: first, requestsMs: lastAnswer - first, afterMs: reply.ms - lastAnswer };
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
  const build = async (cacheDir: string, lockfile: string): Promise<Build> => {
    ctx.replica.requests.reset();
    const input: BuildInput = { repoRoot: REPO_ROOT, root, kind: "oga", plugin: plugin(cacheDir, lockfile) };
    const reply = await runCase("build", input);
    return { ...reply, ...timeline(reply, ctx.replica.requests.entries.map((e) => e.at)) };
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
      unlocked: [] as Build[],
      locked: [] as Build[],
      warm: [] as Build[],
      undici: [] as { ms: number }[],
    };
    const kinds = ["unlocked", "locked", "warm", "undici"] as const;
    const scratch = path.join(ctx.work, "latency-undici");
    const downloads = latencyFiles().map((f, i) => ({ url: fileUrl(ctx.replica.url, f), out: path.join(scratch, `${i}-${f.name}`) }));
    for (let run = 0; run < ctx.options.runs; run++) {
      ctx.log(`latency: run ${run + 1}/${ctx.options.runs}`);
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(run + k) % kinds.length]!;
        if (kind === "undici") {
          await rm(scratch, { recursive: true, force: true });
          await mkdir(scratch, { recursive: true });
          series.undici.push(await ctx.undici.fetch(downloads, CONNECTIONS, scratch));
          continue;
        }
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
    await rm(scratch, { recursive: true, force: true });

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
        { label: `${what}: adds / floor (of medians)`, unit: "×", samples: [median(adds) / floor], target: { op: "<=", value: 1.15 }, note: "issue 16, target 1" },
        { label: `${what}: build start → first request`, unit: "ms", samples: runs.map((r) => r.beforeMs) },
        { label: `${what}: first request → last answer`, unit: "ms", samples: runs.map((r) => r.requestsMs) },
        { label: `${what}: last answer → build end`, unit: "ms", samples: runs.map((r) => r.afterMs) },
      );
    }
    const lockedFloor = requestFloorMs(ASSETS, CONNECTIONS, LATENCY_RTT_MS);
    rows.push(
      { label: `undici alone: the ${ASSETS} files, ${CONNECTIONS} connections (process start included)`, unit: "ms", samples: series.undici.map((r) => r.ms) },
      { label: "undici alone / its request floor (of medians)", unit: "×", samples: [median(series.undici.map((r) => r.ms)) / lockedFloor], note: "what Node's HTTP stack alone needs per round trip here" },
    );
    rows.push({ label: "replica requests per warm build", unit: "", samples: series.warm.map((r) => r.requests), target: { op: "==", value: 0 } });
    notes.push(
      `Every response waits ${LATENCY_RTT_MS} ms before its first byte (the replica's round-trip knob); the ${ASSETS} files are 2–40 KB, so the round trips, not the bytes, set the time.`,
      `Without a lockfile each asset costs its page and then its file; with one, only the files. The floor assumes every one of the ${CONNECTIONS} connections carries a request in every round trip.`,
      `Each cold build is split by the replica's request log: before its first request (loading the plugin, Vite, the lockfile and the HTTP stack), the requests (first arrival to the last answer's first byte), and after (bodies, commits, bundling, writing dist/).`,
    );
    return { id: "latency", title: `Latency: ${ASSETS} assets, ${LATENCY_RTT_MS} ms round trip, ${CONNECTIONS} connections, vite build`, rows, notes };
  } finally {
    ctx.replica.setRoundTripMs(0);
  }
}
