/**
 * A dev server's time to first asset: from just before `createServer()` (plugin import included
 * on the oga side) until the bytes of the first asset the entry imports have been served.
 * The chain is what a browser walks: the entry, then the first import of each module, until a
 * module whose default export is a URL string, then that URL.
 */
import type { OgaPluginOptions } from "../../src/project/options.js";
import { importBuilt, readInput, reply, startTimer } from "./protocol.js";

export interface DevInput {
  repoRoot: string;
  root: string;
  kind: "oga" | "local";
  plugin?: OgaPluginOptions;
}

const IMPORT = /(?:from\s*|import\s*)["']([^"']+)["']/g;
const DEFAULT_URL = /export\s+default\s+["']([^"']+)["']/;
const MAX_DEPTH = 8;

async function firstAssetBytes(base: string, entry: string): Promise<{ url: string; bytes: number }> {
  let url = entry;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const response = await fetch(base + url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const code = await response.text();
    const next = [...code.matchAll(IMPORT)].map((m) => m[1]!).find((u) => !u.startsWith("/@vite/"));
    if (next !== undefined) {
      url = next;
      continue;
    }
    const asset = DEFAULT_URL.exec(code)?.[1];
    if (asset === undefined) throw new Error(`${url}: neither an import nor a default URL in:\n${code.slice(0, 400)}`);
    const body = await fetch(base + asset);
    if (!body.ok) throw new Error(`${asset}: HTTP ${body.status}`);
    return { url: asset, bytes: (await body.arrayBuffer()).byteLength };
  }
  throw new Error(`no asset within ${MAX_DEPTH} modules of ${entry}`);
}

const input = readInput<DevInput>();
const { createServer } = await import("vite");
const stop = startTimer();
const plugins = [];
if (input.kind === "oga") {
  const { oga } = await importBuilt<typeof import("../../src/index.js")>(input.repoRoot, "dist/index.js");
  plugins.push(oga(input.plugin));
}
const server = await createServer({
  root: input.root,
  configFile: false,
  logLevel: "silent",
  server: { port: 0, host: "127.0.0.1" },
  plugins,
});
await server.listen();
const address = server.httpServer?.address();
if (address === null || typeof address !== "object" || address === undefined) throw new Error("dev server has no address");
const served = await firstAssetBytes(`http://127.0.0.1:${address.port}`, "/src/main.js");
const time = stop();
await server.close();
await reply({ ...time, ...served });
