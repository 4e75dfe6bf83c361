// The fault matrix, damage to the cache itself: a blob edited, truncated or deleted behind the
// cache's back, and index or page records that are garbage. Each is found and repaired by the
// next run (a fresh download), never handed to a bundler as if it were the file.
import { mkdir, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OgaClient } from "../../src/client.js";
import { closeSharedStores } from "../../src/project/resolve-asset.js";
import { minimalAsset, startReplica, type Replica } from "../replica/index.js";
import { buildFixture, bytesOf, makeProject, testOptions } from "../plugin/helpers.js";
import { expectCacheValid, expectLockfileValid, fastClient, filePath, servedBytes, sha256, tempDir } from "./helpers.js";

let replica: Replica;
let counter = 0;

beforeAll(async () => {
  replica = await startReplica();
});
afterAll(async () => {
  await closeSharedStores();
  await replica.close();
});
beforeEach(() => {
  replica.faults.clear();
});

function freshAsset(size = 50_000): { slug: string; name: string; path: string } {
  const slug = `fault-cache-${++counter}`;
  const name = `${slug}.png`;
  replica.catalogue.addAsset(minimalAsset(slug, { files: [{ path: name, body: { generate: { size } } }] }));
  return { slug, name, path: filePath(name) };
}

/** Overwrites a file with different bytes of the same length (the hardest edit to notice). */
async function tamper(file: string): Promise<void> {
  const bytes = await readFile(file);
  bytes[0] = bytes[0]! ^ 0xff;
  await writeFile(file, bytes);
}

describe("through the client", () => {
  let cache: { dir: string; remove(): Promise<void> };
  let client: OgaClient;
  beforeEach(async () => {
    cache = await tempDir();
    client = fastClient(replica, cache.dir);
  });
  afterEach(async () => {
    await client.close();
    await cache.remove();
  });

  async function download(slug: string) {
    const [file] = await client.download(await client.describe(slug));
    return file!;
  }

  it.each([
    ["tampered with (same size, other bytes)", tamper],
    ["truncated", (file: string) => truncate(file, 100)],
    ["deleted", (file: string) => rm(file)],
    ["replaced by a directory", async (file: string) => {
      await rm(file);
      await mkdir(file);
    }],
  ])("a cached blob %s: detected, downloaded again, right bytes", async (_, damage) => {
    const { slug, name, path: urlPath } = freshAsset();
    const first = await download(slug);
    await damage(first.path);
    replica.requests.reset();
    const again = await download(slug);
    // Not a 304: the damaged blob cannot vouch for the ETag it was stored with.
    expect(replica.requests.filter(urlPath).map((r) => [r.status, r.headers["if-none-match"] ?? null])).toEqual([[200, null]]);
    expect(again).toMatchObject({ transfer: "downloaded", sha256: sha256(await servedBytes(replica, slug, name)) });
    expect(again.path).toBe(first.path);
    await expectCacheValid(cache.dir);
  });

  it.each([
    ["not JSON", "{ this is not json"],
    ["empty", ""],
    ["JSON of the wrong shape", JSON.stringify({ format: 1, url: "x", sha256: "nope" })],
  ])("a corrupt index record (%s): ignored, the file downloaded again and the record rewritten", async (_, garbage) => {
    const { slug, name, path: urlPath } = freshAsset();
    await download(slug);
    // The index's journal (its one line for this file), as the next run opens it.
    const journal = path.join(cache.dir, "journal");
    for (const record of await readdir(journal)) await writeFile(path.join(journal, record), `${garbage}\n`);
    await client.close();
    client = fastClient(replica, cache.dir);
    replica.requests.reset();
    const again = await download(slug);
    expect(replica.requests.filter(urlPath).map((r) => r.status)).toEqual([200]);
    expect(again.sha256).toBe(sha256(await servedBytes(replica, slug, name)));
    await expectCacheValid(cache.dir);
    // Rewritten: the run after that is a cheap 304 again.
    replica.requests.reset();
    expect((await download(slug)).transfer).toBe("revalidated");
  });

  it("a corrupt cached page description: offline says it is not cached; online rewrites it", async () => {
    const { slug } = freshAsset();
    await download(slug);
    const pages = path.join(cache.dir, "pages");
    for (const record of await readdir(pages)) await writeFile(path.join(pages, record), "\u0000\u0000garbage");
    await expect(client.describe(slug, { offline: true })).rejects.toMatchObject({ code: "OGA_OFFLINE" });
    await client.describe(slug);
    expect((await client.describe(slug, { offline: true })).id).toBe(slug);
    await expectCacheValid(cache.dir);
  });
});

describe("through a vite build with a lockfile", () => {
  let project: Awaited<ReturnType<typeof makeProject>>;
  beforeEach(async () => {
    project = await makeProject("game");
  });
  afterEach(() => project.cleanup());

  it("a pinned blob tampered with between builds: the next build downloads it again instead of emitting it", async () => {
    const { slug, name, path: urlPath } = freshAsset();
    await writeFile(path.join(project.root, "src/main.js"), `import x from "oga:${slug}/${name}";\nglobalThis.__oga = { x };\n`);
    const options = testOptions(project, replica.url);
    await buildFixture("vite8", project.root, options);
    const expected = sha256(await servedBytes(replica, slug, name));
    await tamper(path.join(project.cacheDir, "files", expected, name));
    replica.requests.reset();
    const result = await buildFixture("vite8", project.root, options);
    expect(sha256(await bytesOf(result.values.x as string, result.outDir))).toBe(expected);
    expect(replica.requests.filter(urlPath).map((r) => r.status)).toEqual([200]);
    await expectCacheValid(project.cacheDir);
    await expectLockfileValid(project.lockfile);
  });
});
