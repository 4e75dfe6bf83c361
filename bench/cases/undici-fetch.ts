/**
 * The reference when curl is missing (or `--reference undici`): undici alone, the same number of
 * connections, each body piped straight into its file. No hashing, no temp file, no rename.
 * Timed from loading undici, as the client's span includes loading it on its first request: both
 * sides pay for their HTTP stack.
 */
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { readInput, reply } from "./protocol.js";

export interface UndiciFetchInput {
  parallel: number;
  files: { url: string; out: string }[];
}

const input = readInput<UndiciFetchInput>();
const started = performance.now();
const { Agent, request } = await import("undici");
const dispatcher = new Agent({ connections: input.parallel });
const queue = [...input.files];
let bytes = 0;
async function worker(): Promise<void> {
  for (let file = queue.shift(); file; file = queue.shift()) {
    const response = await request(file.url, { dispatcher });
    if (response.statusCode !== 200) throw new Error(`${file.url}: HTTP ${response.statusCode}`);
    response.body.on("data", (chunk: Buffer) => (bytes += chunk.length));
    await pipeline(response.body, createWriteStream(file.out));
  }
}
await Promise.all(Array.from({ length: Math.min(input.parallel, input.files.length) }, worker));
await reply({ ms: performance.now() - started, bytes });
