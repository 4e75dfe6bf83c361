import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tilesZipEntries } from "../replica/index.js";
import { testOptions } from "./helpers.js";
import { useDevServer, useProject, useReplica } from "./hooks.js";

const replica = useReplica("test");
const project = useProject("packs");
const dev = useDevServer();

describe("dev server", () => {
  it("serves an archive entry from the cache with its Content-Type, Range (206) and ETag (304)", async () => {
    await writeFile(path.join(project.root, "src/main.js"), `import step from "oga:dungeon-pack/tiles.zip/sfx/step.wav";\nexport { step };\n`);
    await dev.start(project.root, testOptions(project, replica.url));
    const base = dev.base;
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
