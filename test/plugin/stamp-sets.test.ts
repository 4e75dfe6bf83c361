/**
 * A warm build vouches for its blobs from the stamp set the project's last build left: no blob's
 * stamp file is read and none is hashed, while a changed blob is still caught. Real builds
 * (Vite 8, Vite 7, Rollup) against the replica; hashing observed on the real cache class.
 */
import { appendFile, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Cache } from "../../src/store/cache.js";
import { sha256Hex } from "../../src/store/fs-utils.js";
import { readLockfile } from "../../src/store/lockfile.js";
import { stampSetScope } from "../../src/store/stamp-sets.js";
import { ogaPlugin } from "../../src/plugin/index.js";
import { buildFixture, testOptions, type Bundler } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("game");

const MAIN = `import music from "oga:battle-theme-a";\nimport sfx from "oga:retro-sfx-pack/*.wav";\nglobalThis.__oga = { music, sfx };\n`;
const build = (bundler: Bundler) => buildFixture(bundler, project.root, testOptions(project, replica.url));
/** Vite builds the `client` environment; Rollup has none. */
const setFile = (bundler: Bundler = "vite8", environment: string | undefined = bundler === "rollup" ? undefined : "client") =>
  path.join(project.cacheDir, "stamps", "sets", `${sha256Hex(stampSetScope(project.lockfile, environment))}.json`);
const hashing = () => vi.spyOn(Cache.prototype as unknown as { hashBlob(file: string): Promise<string> }, "hashBlob");

/** Stamps every locked blob as verified (the plugin's racy window leaves blobs it just downloaded unstamped). */
async function stampLockedBlobs(): Promise<string[]> {
  const cache = await Cache.open(project.cacheDir, { racyWindowMs: 0 });
  const keys: string[] = [];
  for (const asset of Object.values((await readLockfile(project.lockfile)).assets)) {
    for (const [name, file] of Object.entries(asset.files)) {
      if (file.sha256 === undefined || (await cache.checkBlob(file.sha256, name)) !== "ok") continue;
      keys.push(`${file.sha256}/${path.basename(cache.blobPath(file.sha256, name))}`);
    }
  }
  return keys;
}

async function dropStampFiles(): Promise<void> {
  const dir = path.join(project.cacheDir, "stamps");
  for (const name of await readdir(dir)) if (name.endsWith(".json")) await rm(path.join(dir, name));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("stamp sets in builds", () => {
  it.each(["vite8", "vite7", "rollup"] as const)("%s: a warm build reads no blob's stamp and hashes none; without the set it hashes each", async (bundler) => {
    await writeFile(path.join(project.root, "src/main.js"), MAIN);
    await build(bundler);
    const stamped = await stampLockedBlobs();
    await build(bundler);
    const used = Object.keys((JSON.parse(await readFile(setFile(bundler), "utf8")) as { stamps: object }).stamps);
    expect(used.length).toBeGreaterThan(2);
    expect(stamped).toEqual(expect.arrayContaining(used));

    await dropStampFiles();
    replica.requests.reset();
    const hashes = hashing();
    const warm = await build(bundler);
    expect(hashes).not.toHaveBeenCalled();
    expect(Object.keys(warm.values.sfx as object).length).toBeGreaterThan(1);
    expect(replica.requests.count()).toBe(0);

    await rm(setFile(bundler));
    await build(bundler);
    expect(hashes).toHaveBeenCalledTimes(used.length);
    expect(replica.requests.count()).toBe(0);
  });

  it("an SSR build keeps its own set: building it does not take the client's stamps away", async () => {
    await writeFile(path.join(project.root, "src/main.js"), MAIN);
    await build("vite8");
    await stampLockedBlobs();
    await build("vite8");
    const client = await readFile(setFile(), "utf8");
    const { build: viteBuild } = await import("vite");
    const input = path.join(project.root, "src/main.js");
    await viteBuild({
      root: project.root,
      configFile: false,
      logLevel: "silent",
      plugins: [ogaPlugin(testOptions(project, replica.url)) as never],
      build: { ssr: input, outDir: path.join(project.root, "dist-ssr"), rollupOptions: { input } },
    });
    const ssr = JSON.parse(await readFile(setFile("vite8", "ssr"), "utf8")) as { stamps: object };
    expect(Object.keys(ssr.stamps).length).toBeGreaterThan(0);
    expect(await readFile(setFile(), "utf8")).toBe(client);
  });

  it("a blob changed since the set was saved is caught as modified and downloaded again", async () => {
    await writeFile(path.join(project.root, "src/main.js"), MAIN);
    await build("vite8");
    await stampLockedBlobs();
    await build("vite8");
    const lock = await readLockfile(project.lockfile);
    const [name, file] = Object.entries(lock.assets["battle-theme-a"]!.files)[0]!;
    const cache = await Cache.open(project.cacheDir);
    await appendFile(cache.blobPath(file.sha256!, name), "tampered");

    replica.requests.reset();
    await build("vite8");
    expect(replica.requests.count((r) => decodeURIComponent(r.pathname).endsWith(`/${name}`))).toBe(1);
    expect(await cache.checkBlob(file.sha256!, name, { full: true })).toBe("ok");
  });
});
