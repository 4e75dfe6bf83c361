// The fault matrix in `vite dev`: the browser asks for a module whose file is still downloading
// or whose download breaks. The dev server must never hand out a URL to a partial file: it
// answers with the error (naming the import) until a whole, verified blob exists, then with
// that blob's /@fs/ URL.
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { minimalAsset } from "../replica/index.js";
import { testOptions } from "../plugin/helpers.js";
import { useDevServer, useReplicaProject } from "../plugin/hooks.js";
import { expectCacheValid, FAST, filePath, servedBytes, sha256 } from "./helpers.js";

const { replica, project } = useReplicaProject("game");
const dev = useDevServer();
let counter = 0;

async function startDev(extra: OgaPluginOptions = {}): Promise<void> {
  // A cache dir of its own per server: the plugin shares one client per option set in-process.
  await dev.start(project.root, testOptions(project, replica.url, { retryDelaySeconds: FAST.retryDelaySeconds!, ...extra }));
}

function freshAsset(size: number): { slug: string; name: string; path: string } {
  const slug = `fault-dev-${++counter}`;
  const name = `${slug}.ogg`;
  replica.catalogue.addAsset(minimalAsset(slug, { files: [{ path: name, body: { generate: { size } } }] }));
  return { slug, name, path: filePath(name) };
}

/** main.js imports the file; returns the /@id/ URL of the file's module as Vite rewrote it. */
async function fileModuleUrl(slug: string, name: string): Promise<string> {
  await writeFile(path.join(project.root, "src/main.js"), `import x from "oga:${slug}/${name}";\nexport { x };\n`);
  const code = await (await fetch(`${dev.base}/src/main.js`)).text();
  const url = /from\s+["']([^"']*oga:[^"']*)["']/.exec(code)?.[1];
  expect(url, code).toBeDefined();
  return url!;
}

/** The /@fs/ URL a module's code points at, or the module's failure (status and text). */
async function loadModule(url: string): Promise<{ blob: string } | { status: number; text: string }> {
  const response = await fetch(dev.base + url);
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, text };
  const blob = /["'](\/@fs\/[^"']+)["']/.exec(text)?.[1];
  expect(blob, text).toBeDefined();
  return { blob: blob!.replace(/\?.*$/, "") };
}

async function expectServesWholeFile(url: string, slug: string, name: string): Promise<void> {
  const loaded = await loadModule(url);
  expect(loaded).toHaveProperty("blob");
  const res = await fetch(dev.base + (loaded as { blob: string }).blob);
  expect(res.status).toBe(200);
  expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(await servedBytes(replica, slug, name)));
}

describe("vite dev with a download that breaks", () => {
  it("cut on every attempt: the module request fails naming the import; no partial file exists to serve", async () => {
    await startDev({ retries: 1 });
    const { slug, name, path: urlPath } = freshAsset(2_000_000);
    replica.faults.add({ path: urlPath, kind: "truncate", afterBytes: 200_000 });
    const url = await fileModuleUrl(slug, name);
    const failed = await loadModule(url);
    expect(failed).toMatchObject({ status: 500 });
    expect((failed as { text: string }).text).toContain(`oga:${slug}/${name}`);
    // Nothing under files/ at all: there is no path a later request could be given.
    expect(await readdir(path.join(project.cacheDir, "files"))).toEqual([]);
    await expectCacheValid(project.cacheDir);
    // The next request, with the network healthy again, gets the whole file.
    replica.faults.clear();
    await expectServesWholeFile(url, slug, name);
    await expectCacheValid(project.cacheDir);
  });

  it("a request arriving mid-download waits for the verified blob instead of getting the partial one", async () => {
    await startDev();
    const { slug, name, path: urlPath } = freshAsset(32 * 1024 * 1024);
    // The first attempt is cut (a resume follows), so the transfer is surely mid-way for a while.
    replica.faults.add({ path: urlPath, kind: "reset", afterBytes: 8 * 1024 * 1024, times: 1 });
    const url = await fileModuleUrl(slug, name);
    const first = loadModule(url);
    await expect.poll(() => replica.requests.count(urlPath), { interval: 5 }).toBeGreaterThan(0);
    const second = loadModule(url); // asked while bytes are still arriving
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual(b);
    await expectServesWholeFile(url, slug, name);
    expect(replica.requests.filter(urlPath).map((r) => r.status)).toEqual([200, 206]);
    await expectCacheValid(project.cacheDir);
  });
});
