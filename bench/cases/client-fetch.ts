/**
 * Files downloaded through the public client (`createClient().fetchFile`, the store's streaming
 * path: sha256 tap, temp file, rename). Timed from the first request to the last file in place.
 */
import { importBuilt, readInput, reply } from "./protocol.js";

export interface ClientFetchInput {
  repoRoot: string;
  origin: string;
  cacheDir: string;
  concurrency: number;
  files: { url: string; name: string }[];
}

const input = readInput<ClientFetchInput>();
const { createClient } = await importBuilt<typeof import("../../src/index.js")>(input.repoRoot, "dist/index.js");
const client = createClient({ url: input.origin, cacheDir: input.cacheDir, concurrency: input.concurrency });
// What a process that has loaded the client holds before any transfer: the floor under the peak.
const idleRssBytes = process.memoryUsage().rss;
const started = performance.now();
const results = await Promise.all(input.files.map((file) => client.fetchFile(file)));
const ms = performance.now() - started;
await reply({ ms, bytes: results.reduce((sum, f) => sum + f.size, 0), idleRssBytes });
