import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ViteDevServer } from "vite";
import { startReplica, tilesZipEntries, type Replica } from "../replica/index.js";
import { ogaPlugin } from "../../src/plugin/index.js";
import { makeProject, testOptions } from "./helpers.js";

let replica: Replica;
let project: Awaited<ReturnType<typeof makeProject>>;
let server: ViteDevServer | undefined;

beforeEach(async () => {
  replica = await startReplica();
  project = await makeProject("packs");
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await replica.close();
  await project.cleanup();
});

describe("dev server", () => {
  it("serves an archive entry from the cache with its Content-Type, Range (206) and ETag (304)", async () => {
    await writeFile(path.join(project.root, "src/main.js"), `import step from "oga:dungeon-pack/tiles.zip/sfx/step.wav";\nexport { step };\n`);
    const { createServer } = await import("vite");
    server = await createServer({
      root: project.root,
      configFile: false,
      logLevel: "silent",
      server: { port: 0, host: "127.0.0.1" },
      optimizeDeps: { noDiscovery: true, include: [] },
      plugins: [ogaPlugin(testOptions(project, replica.url)) as never],
    });
    await server.listen();
    const base = `http://127.0.0.1:${(server.httpServer!.address() as { port: number }).port}`;
    const main = await (await fetch(`${base}/src/main.js`)).text();
    const moduleUrl = /from\s+["']([^"']*oga:[^"']*)["']/.exec(main)![1]!;
    const code = await (await fetch(base + moduleUrl)).text();
    const blob = /["'](\/@fs\/[^"']+)["']/.exec(code)![1]!.replace(/\?.*$/, "");
    expect(decodeURIComponent(blob)).toContain(project.cacheDir);
    expect(blob).not.toContain(".zip");

    const expected = Buffer.from(tilesZipEntries().find((e) => e.name === "sfx/step.wav")!.data!);
    const full = await fetch(base + blob);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toMatch(/^audio\/(x-)?wav/);
    expect(Buffer.from(await full.arrayBuffer())).toEqual(expected);
    const range = await fetch(base + blob, { headers: { Range: "bytes=44-143" } });
    expect(range.status).toBe(206);
    expect(range.headers.get("content-range")).toBe(`bytes 44-143/${expected.length}`);
    expect(Buffer.from(await range.arrayBuffer())).toEqual(expected.subarray(44, 144));
    const again = await fetch(base + blob, { headers: { "If-None-Match": full.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });
});
