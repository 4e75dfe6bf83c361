/**
 * The reference when curl is missing (or `--reference undici`): undici alone, the same number of
 * connections, each body piped straight into its file. No hashing, no temp file, no rename.
 * Timed from loading undici, as the client's span includes loading it on its first request: both
 * sides pay for their HTTP stack.
 *
 * With `discard`, the stack's own ceiling: each body goes to a dispatch handler that drops every
 * chunk (no stream, no file, no hash), what any client built on undici pays before its first byte
 * of work.
 */
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { readInput, reply } from "./protocol.js";

export interface UndiciFetchInput {
  parallel: number;
  files: { url: string; out: string }[];
  discard?: boolean;
}

const input = readInput<UndiciFetchInput>();
const started = performance.now();
const { Agent, request } = await import("undici");
const dispatcher = new Agent({ connections: input.parallel });
const queue = [...input.files];
let bytes = 0;
function discarded(url: string): Promise<void> {
  const { origin, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(
      { origin, path: pathname + search, method: "GET" },
      {
        // The handler API of undici 7 (recognised by `onRequestStart`), as the client's own.
        onRequestStart() {},
        onResponseStart(_controller: unknown, status: number) {
          if (status !== 200) reject(new Error(`${url}: HTTP ${status}`));
        },
        onResponseData(_controller: unknown, chunk: Buffer) {
          bytes += chunk.length;
        },
        onResponseEnd: () => resolve(),
        onResponseError: (_controller: unknown, error: Error) => reject(error),
      },
    );
  });
}
async function worker(): Promise<void> {
  for (let file = queue.shift(); file; file = queue.shift()) {
    if (input.discard) {
      await discarded(file.url);
      continue;
    }
    const response = await request(file.url, { dispatcher });
    if (response.statusCode !== 200) throw new Error(`${file.url}: HTTP ${response.statusCode}`);
    response.body.on("data", (chunk: Buffer) => (bytes += chunk.length));
    await pipeline(response.body, createWriteStream(file.out));
  }
}
await Promise.all(Array.from({ length: Math.min(input.parallel, input.files.length) }, worker));
await reply({ ms: performance.now() - started, bytes });
