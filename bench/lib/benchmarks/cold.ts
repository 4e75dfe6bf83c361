/**
 * 2. Cold fetch: the same game with an empty cache and an up-to-date lockfile (a fresh CI
 * checkout), against the reference downloading the same files with the same parallelism.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { ClientFetchInput } from "../../cases/client-fetch.js";
import type { StoreFloorInput } from "../../cases/store-floor.js";
import type { ChildReply } from "../../cases/protocol.js";
import { runCase } from "../child.js";
import { alternate, rotate, type BenchContext } from "../context.js";
import { MB, type Figure } from "../figure.js";
import { fileUrl } from "../game.js";
import { gameSetup } from "../game-setup.js";
import { median, pairedRatios } from "../stats.js";
import { REPO_ROOT } from "../paths.js";
import { warmSamples } from "./warm.js";

export async function coldFetch(ctx: BenchContext): Promise<Figure> {
  const game = await gameSetup(ctx);
  const warm = await warmSamples(ctx);
  const warmMs = median(warm.oga.map((r) => r.ms));
  const coldCache = path.join(ctx.work, "cold-cache");
  const scratch = path.join(ctx.work, "reference-files");
  const requests: number[] = [];
  const { a: cold, b: reference } = await alternate(
    ctx.options.runs,
    async (): Promise<ChildReply> => {
      await rm(coldCache, { recursive: true, force: true });
      ctx.replica.requests.reset();
      const reply = await game.build("oga", coldCache);
      requests.push(ctx.replica.requests.count());
      return reply;
    },
    async () => {
      await rm(scratch, { recursive: true, force: true });
      await mkdir(scratch, { recursive: true });
      const downloads = game.files.map((f, i) => ({ url: fileUrl(ctx.replica.url, f), out: path.join(scratch, `${i}-${f.name}`) }));
      const result = await ctx.reference.fetch(downloads, ctx.options.parallel, scratch);
      if (result.bytes !== game.totalBytes) throw new Error(`reference fetched ${result.bytes} bytes, expected ${game.totalBytes}`);
      return result;
    },
    ctx.log,
    "cold fetch",
  );
  // The download path alone (what the plugin calls: client.fetchFile, 5 at once), timed in its
  // child from the first request to the last rename, against the same reference again.
  const clientCache = path.join(ctx.work, "client-cache");
  const downloads = game.files.map((f) => ({ url: fileUrl(ctx.replica.url, f), name: f.name }));
  const viaReference = (reference: typeof ctx.reference) => async () => {
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    return reference.fetch(game.files.map((f, i) => ({ url: fileUrl(ctx.replica.url, f), out: path.join(scratch, `${i}-${f.name}`) })), ctx.options.parallel, scratch);
  };
  const floorCache = path.join(ctx.work, "floor-cache");
  const [client, reference2, undici, floor] = (await rotate<{ ms: number }>(
    ctx.options.runs,
    [
      async () => {
        await rm(clientCache, { recursive: true, force: true });
        const input: ClientFetchInput = { repoRoot: REPO_ROOT, origin: ctx.replica.url, cacheDir: clientCache, concurrency: ctx.options.parallel, files: downloads };
        const reply = await runCase<{ bytes: number }>("client-fetch", input);
        if (reply.bytes !== game.totalBytes) throw new Error(`client fetched ${reply.bytes} bytes, expected ${game.totalBytes}`);
        return reply;
      },
      viaReference(ctx.reference),
      viaReference(ctx.undici),
      async () => {
        await rm(floorCache, { recursive: true, force: true });
        const input: StoreFloorInput = { repoRoot: REPO_ROOT, cacheDir: floorCache, parallel: ctx.options.parallel, files: game.files.length, hashBytes: 64 * 2 ** 20 };
        const reply = await runCase<{ bookkeepingMs: number; hashMs: number; hashBytes: number; undiciLoadMs: number }>("store-floor", input);
        await rm(floorCache, { recursive: true, force: true });
        return reply;
      },
    ],
    ctx.log,
    "cold fetch, download path",
  )) as [{ ms: number }[], { ms: number }[], { ms: number }[], { bookkeepingMs: number; hashMs: number; hashBytes: number; undiciLoadMs: number }[]];
  await rm(coldCache, { recursive: true, force: true });
  await rm(clientCache, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });

  const bytes = game.totalBytes;
  const coldMs = cold.map((r) => r.ms);
  // What the download adds to a build: the cold build minus the median warm build.
  const fetchMs = coldMs.map((ms) => ms - warmMs);
  const ogaRate = fetchMs.map((ms) => bytes / MB / (ms / 1000));
  const referenceRate = reference.map((r) => bytes / MB / (r.ms / 1000));
  const wholeRate = coldMs.map((ms) => bytes / MB / (ms / 1000));
  const clientRate = client.map((r) => bytes / MB / (r.ms / 1000));
  const referenceRate2 = reference2.map((r) => bytes / MB / (r.ms / 1000));
  const undiciRate = undici.map((r) => bytes / MB / (r.ms / 1000));
  const bookkeepingMs = floor.map((r) => r.bookkeepingMs);
  const shaRate = floor.map((r) => r.hashBytes / MB / (r.hashMs / 1000));
  const undiciLoadMs = floor.map((r) => r.undiciLoadMs);
  // If the store's work simply adds to the stack's (it does on 2 busy cores): undici's time (its
  // loading included, as in the client's span), plus the bookkeeping and hashing every byte.
  const predictedMs = median(undici.map((r) => r.ms)) + median(bookkeepingMs) + (bytes / MB / median(shaRate)) * 1000;
  return {
    id: "cold",
    title: `Cold fetch: ${game.files.length} files, ${(bytes / MB).toFixed(1)} MB, empty cache, ${ctx.options.parallel} at once`,
    rows: [
      { label: "oga: client.fetchFile, 5 at once (the plugin's download path)", unit: "MB/s", samples: clientRate },
      { label: `reference: ${ctx.reference.name}`, unit: "MB/s", samples: referenceRate2 },
      { label: "ratio client / reference (of medians)", unit: "×", samples: [median(clientRate) / median(referenceRate2)] },
      { label: "ratio per run (paired)", unit: "×", samples: pairedRatios(clientRate, referenceRate2) },
      { label: "undici alone, same parallelism (its loading timed, as the client's is; no hash, no rename)", unit: "MB/s", samples: undiciRate },
      { label: "ratio client / undici alone (of medians)", unit: "×", samples: [median(clientRate) / median(undiciRate)], target: { op: ">=", value: 0.9 }, note: "issue 16, target 3" },
      { label: `store bookkeeping alone, ${game.files.length} files, ${ctx.options.parallel} at once (no network, no body)`, unit: "ms", samples: bookkeepingMs, note: "index lookup, blob folder, rename, stamp, index entry" },
      { label: "sha256 alone, this CPU", unit: "MB/s", samples: shaRate },
      { label: "loading undici (inside both timed spans)", unit: "ms", samples: undiciLoadMs },
      { label: "undici alone + bookkeeping + sha256 of every byte (of medians)", unit: "MB/s", samples: [bytes / MB / (predictedMs / 1000)] },
      { label: "oga: cold build", unit: "ms", samples: coldMs },
      { label: "oga: cold − median warm build (what the download adds)", unit: "ms", samples: fetchMs },
      { label: "oga: throughput in the build (bytes / what it adds)", unit: "MB/s", samples: ogaRate },
      { label: `reference: ${ctx.reference.name} (paired with the builds)`, unit: "MB/s", samples: referenceRate },
      { label: "ratio in the build (of medians)", unit: "×", samples: [median(ogaRate) / median(referenceRate)] },
      { label: "oga: whole cold build throughput (bytes / build)", unit: "MB/s", samples: wholeRate },
      { label: "replica requests per cold build", unit: "", samples: requests },
      { label: "peak RSS, cold build", unit: "MB", samples: cold.map((r) => r.maxRssBytes / MB) },
    ],
    notes: [
      `The target is checked on the download path alone: the client the plugin calls, in a child process, from the first request to the last file renamed into the cache.`,
      `A build does more than download (bundling, hashing and writing ${game.files.length} files to dist/), so inside the build the download's cost is estimated as the cold build minus the median warm build (${warmMs.toFixed(0)} ms). That difference of two noisy times is only indicative; the whole-build figure is shown as well.`,
      `The reference's time includes starting its process${ctx.reference.name.startsWith("curl") ? " (curl starts in a few ms)" : ""}.`,
    ],
  };
}
