/** 3. One large generated file through the client, against the reference on one connection. */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { ClientFetchInput } from "../../cases/client-fetch.js";
import type { StoreFloorInput } from "../../cases/store-floor.js";
import type { UndiciFetchInput } from "../../cases/undici-fetch.js";
import { encodePath } from "../../../test/replica/html.js";
import { runCase } from "../child.js";
import { rotate, type BenchContext } from "../context.js";
import { MB, type Figure } from "../figure.js";
import { median, pairedRatios } from "../stats.js";
import { REPO_ROOT } from "../paths.js";

export const LARGE_SLUG = "bench-large";
export const LARGE_PATH = "bench/large/large-file.bin";

export async function largeFile(ctx: BenchContext): Promise<Figure> {
  const url = `${ctx.replica.url}/sites/default/files/${encodePath(LARGE_PATH)}`;
  const name = path.basename(LARGE_PATH);
  const bytes = ctx.options.largeBytes;
  const cacheDir = path.join(ctx.work, "large-cache");
  const scratch = path.join(ctx.work, "large-reference");
  const viaReference = (reference: typeof ctx.reference) => async () => {
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    const result = await reference.fetch([{ url, out: path.join(scratch, name) }], 1, scratch);
    await rm(scratch, { recursive: true, force: true });
    return result;
  };
  const floorCache = path.join(ctx.work, "large-floor-cache");
  const [client, reference, undici, floor, stack] = (await rotate<{ ms: number; maxRssBytes?: number; idleRssBytes?: number; bytes?: number }>(
    ctx.options.runs,
    [
      async () => {
        await rm(cacheDir, { recursive: true, force: true });
        const input: ClientFetchInput = { repoRoot: REPO_ROOT, origin: ctx.replica.url, cacheDir, concurrency: ctx.options.parallel, files: [{ url, name }] };
        const reply = await runCase<{ bytes: number; idleRssBytes: number }>("client-fetch", input);
        if (reply.bytes !== bytes) throw new Error(`client fetched ${reply.bytes} bytes, expected ${bytes}`);
        await rm(cacheDir, { recursive: true, force: true });
        return reply;
      },
      viaReference(ctx.reference),
      viaReference(ctx.undici),
      async () => {
        await rm(floorCache, { recursive: true, force: true });
        const input: StoreFloorInput = { repoRoot: REPO_ROOT, cacheDir: floorCache, parallel: 1, files: 1, hashBytes: 256 * 2 ** 20 };
        const reply = await runCase<{ hashMs: number; hashBytes: number }>("store-floor", input);
        await rm(floorCache, { recursive: true, force: true });
        return reply;
      },
      async () => {
        const input: UndiciFetchInput = { parallel: 1, files: [{ url, out: "" }], discard: true };
        const reply = await runCase<{ bytes: number }>("undici-fetch", input);
        if (reply.bytes !== bytes) throw new Error(`undici's dispatcher got ${reply.bytes} bytes, expected ${bytes}`);
        return reply;
      },
    ],
    ctx.log,
    "large file",
  )) as [{ ms: number; maxRssBytes: number; idleRssBytes: number }[], { ms: number }[], { ms: number }[], { hashMs: number; hashBytes: number }[], { ms: number }[]];
  const clientRate = client.map((r) => bytes / MB / (r.ms / 1000));
  const referenceRate = reference.map((r) => bytes / MB / (r.ms / 1000));
  const undiciRate = undici.map((r) => bytes / MB / (r.ms / 1000));
  const stackRate = stack.map((r) => bytes / MB / (r.ms / 1000));
  const shaRate = floor.map((r) => r.hashBytes / MB / (r.hashMs / 1000));
  // Hashing on the same busy cores adds its time to the stack's.
  const predicted = 1 / (1 / median(undiciRate) + 1 / median(shaRate));
  return {
    id: "large",
    title: `Large file: ${(bytes / 2 ** 20).toFixed(0)} MiB through createClient().fetchFile()`,
    rows: [
      { label: "oga client", unit: "MB/s", samples: clientRate },
      { label: `reference: ${ctx.reference.name}`, unit: "MB/s", samples: referenceRate },
      { label: "ratio client / reference (of medians)", unit: "×", samples: [median(clientRate) / median(referenceRate)], target: { op: ">=", value: 0.8 }, note: "issue 16, target 4" },
      { label: "ratio per run (paired)", unit: "×", samples: pairedRatios(clientRate, referenceRate) },
      { label: "undici alone (request → file, no hash, no rename)", unit: "MB/s", samples: undiciRate },
      { label: "ratio client / undici alone (of medians)", unit: "×", samples: [median(clientRate) / median(undiciRate)] },
      { label: "undici's dispatcher, body discarded (no file, no hash)", unit: "MB/s", samples: stackRate },
      { label: "ratio of that to the reference (of medians)", unit: "×", samples: [median(stackRate) / median(referenceRate)] },
      { label: "sha256 alone, this CPU", unit: "MB/s", samples: shaRate },
      { label: "undici alone + sha256 of every byte (of medians)", unit: "MB/s", samples: [predicted] },
      { label: "peak RSS, client process", unit: "MB", samples: client.map((r) => r.maxRssBytes / MB), target: { op: "<", value: 150 }, note: "issue 16, target 4" },
      { label: "RSS of the same process before the transfer", unit: "MB", samples: client.map((r) => r.idleRssBytes / MB) },
    ],
    notes: ["The client hashes (sha256) every byte and writes a temp file that it renames into the cache; the reference only writes the file."],
  };
}
