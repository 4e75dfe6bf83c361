/**
 * Requests pipelined on the client's connections: a second GET goes out on a busy connection
 * before the first is answered (a cold build pays fewer round trips), within the connection
 * budget, and a connection lost under a pipeline still delivers every file.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createClient } from "../../src/client.js";
import { SiteHttp } from "../../src/site/http.js";
import { encodePath, generatedBytes, minimalAsset, startReplica, type Replica } from "../replica/index.js";

const FILES = ["pipe/first.bin", "pipe/second.bin", "pipe/third.bin"];
const SIZE = 40_000;
let replica: Replica;
let cacheRoot: string;

const urlOf = (stored: string) => `${replica.url}/sites/default/files/${encodePath(stored)}`;

beforeAll(async () => {
  replica = await startReplica({
    assets: [minimalAsset("pipelined", { files: FILES.map((p, i) => ({ path: p, body: { generate: { size: SIZE, seed: 70 + i } } })) })],
  });
  cacheRoot = await mkdtemp(path.join(os.tmpdir(), "oga-pipelining-"));
});
afterAll(async () => {
  await replica?.close();
  await rm(cacheRoot, { recursive: true, force: true });
});

it("sends the next GET on a busy connection before the first is answered, on one connection", async () => {
  const http = new SiteHttp({ origin: replica.url, userAgent: "vite-plugin-oga/test", connections: 1, retries: 0 });
  const held = replica.faults.add({ path: `/sites/default/files/${FILES[0]}`, kind: "hang", times: 1 });
  const stop = new AbortController();
  const first = http.openFile(urlOf(FILES[0]!), { signal: stop.signal });
  const second = http.openFile(urlOf(FILES[1]!), { signal: stop.signal });
  first.catch(() => undefined);
  second.catch(() => undefined);
  try {
    await vi.waitFor(() => expect(replica.requests.count("/sites/default/files/pipe/")).toBe(2));
    const [a, b] = replica.requests.filter("/sites/default/files/pipe/");
    // The first is still unanswered when the second arrives, on the same connection.
    expect(a!.status).toBe(0);
    expect(b!.remotePort).toBe(a!.remotePort);
  } finally {
    stop.abort();
    held.remove();
    await http.close().catch(() => undefined);
    replica.requests.reset();
  }
});

it("a connection reset under pipelined requests still delivers every file, whole", async () => {
  const client = createClient({ url: replica.url, cacheDir: path.join(cacheRoot, "reset"), concurrency: 1, retries: 2, retryDelaySeconds: 0.01 });
  replica.faults.add({ path: `/sites/default/files/${FILES[0]}`, kind: "reset", afterBytes: 1000, times: 1 });
  try {
    const results = await Promise.all(FILES.map((p) => client.fetchFile({ url: urlOf(p), name: path.basename(p) })));
    results.forEach((file, i) => {
      expect(file.size).toBe(SIZE);
      expect(file.sha256).toBe(createHash("sha256").update(generatedBytes(70 + i, SIZE)).digest("hex"));
    });
    // The reset one was asked for again; nothing was stitched from the cut body (hash above).
    expect(replica.requests.count(`/sites/default/files/${FILES[0]}`)).toBeGreaterThanOrEqual(2);
  } finally {
    await client.close();
    replica.faults.clear();
    replica.requests.reset();
  }
});
