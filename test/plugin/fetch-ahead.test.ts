/**
 * A cold build starts its downloads at its start, not as the bundler reaches each import: a file
 * imported deep in the module graph is requested before the bundler loads the module that imports
 * it, with or without a lockfile; what is fetched ahead is only what the imports certainly use;
 * and a transfer that only a source outside the build wanted is stopped at the build's end, its
 * temp file gone. Real builds (Vite 8, Vite 7, Rollup) against the replica.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ogaPlugin } from "../../src/plugin/index.js";
import { buildFixture, listFiles, testOptions, type Bundler } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("game");

const COIN = "/sites/default/files/coin.wav";
const requested = (pathname: string) => replica.requests.count((r) => r.pathname === pathname);

/**
 * Holds `src/scene.js` (the only importer of `oga:retro-sfx-pack/coin.wav`) until the replica
 * has been asked for the file. A build that starts a download only on reaching its import never
 * gets past this.
 */
const holdSceneUntilCoinRequested = {
  name: "test:hold-scene",
  async load(id: string) {
    if (!id.endsWith("/src/scene.js")) return null;
    await vi.waitFor(
      () => {
        if (requested(COIN) === 0) throw new Error(`the bundler reached src/scene.js before ${COIN} was requested`);
      },
      { timeout: 10_000, interval: 5 },
    );
    return null;
  },
};

async function writeSources(files: Record<string, string>): Promise<void> {
  await rm(path.join(project.root, "src"), { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(project.root, name)), { recursive: true });
    await writeFile(path.join(project.root, name), text);
  }
}

const DEEP = {
  "src/main.js": `import scene from "./scene.js";\nglobalThis.__oga = { scene };\n`,
  "src/scene.js": `import coin from "oga:retro-sfx-pack/coin.wav";\nexport default coin;\n`,
};

describe("a cold build fetches ahead", () => {
  it.each(["vite8", "vite7", "rollup"] as const)("%s, no lockfile: the file an import deep in the graph needs is requested before the bundler reaches it", async (bundler: Bundler) => {
    await writeSources(DEEP);
    replica.requests.reset();
    const built = await buildFixture(bundler, project.root, testOptions(project, replica.url), { plugins: [holdSceneUntilCoinRequested] });
    expect(built.values.scene).toMatch(/coin.*\.wav$/);
    expect(requested(COIN)).toBe(1);
    expect(requested("/content/retro-sfx-pack")).toBe(1);
    expect(Object.keys(JSON.parse(await readFile(project.lockfile, "utf8")).assets)).toEqual(["retro-sfx-pack"]);
  });

  it.each(["vite8", "rollup"] as const)("%s, frozen lockfile and an empty cache (CI): the file is requested before the bundler reaches its import, and nothing else", async (bundler: Bundler) => {
    await writeSources(DEEP);
    await buildFixture(bundler, project.root, testOptions(project, replica.url));
    await rm(project.cacheDir, { recursive: true, force: true });
    replica.requests.reset();
    const built = await buildFixture(bundler, project.root, testOptions(project, replica.url, { frozen: true }), { plugins: [holdSceneUntilCoinRequested] });
    expect(built.values.scene).toMatch(/coin.*\.wav$/);
    expect(replica.requests.entries.map((r) => r.pathname)).toEqual([COIN]);
  });

  it("a default import fetches ahead only the asset's main file", async () => {
    await writeSources({ "src/main.js": `import music from "oga:battle-theme-a";\nglobalThis.__oga = { music };\n` });
    replica.requests.reset();
    const built = await buildFixture("vite8", project.root, testOptions(project, replica.url));
    expect(built.values.music).toMatch(/battleThemeA.*\.mp3$/);
    expect(requested("/sites/default/files/battleThemeA.mp3")).toBe(1);
    expect(requested("/sites/default/files/battleThemeA.ogg")).toBe(0);
  });

  it("a transfer only a source outside the build wanted is stopped when the build ends, leaving no temp file", async () => {
    await writeSources({
      "src/main.js": `import music from "oga:battle-theme-a";\nglobalThis.__oga = { music };\n`,
      "src/unused.js": `import boom from "oga:retro-sfx-pack/explosion.wav";\nexport default boom;\n`,
    });
    const explosion = "/sites/default/files/explosion.wav";
    const hang = replica.faults.add({ path: explosion, kind: "hang" });
    try {
      replica.requests.reset();
      const built = await buildFixture("vite8", project.root, testOptions(project, replica.url));
      expect(built.values.music).toMatch(/battleThemeA.*\.mp3$/);
      // It was fetched ahead, never answered, and dropped with the build.
      expect(requested(explosion)).toBe(1);
      expect(await listFiles(path.join(project.cacheDir, "tmp"))).toEqual([]);
      expect(built.assets.some((f) => f.includes("explosion"))).toBe(false);
      const locked = JSON.parse(await readFile(project.lockfile, "utf8")).assets["retro-sfx-pack"];
      expect(locked.files["explosion.wav"].sha256).toBeUndefined();
    } finally {
      hang.remove();
    }
  });

  it("a build whose entry is a virtual module (no folder to scan) builds as its imports come", async () => {
    const ENTRY = "\0test:entry";
    const entry = {
      name: "test:virtual-entry",
      resolveId: (id: string) => (id === ENTRY ? id : null),
      load: (id: string) => (id === ENTRY ? `import coin from "oga:retro-sfx-pack/coin.wav";\nexport default coin;\n` : null),
    };
    const { rollup } = await import("rollup");
    const bundle = await rollup({ input: ENTRY, plugins: [ogaPlugin(testOptions(project, replica.url)) as never, entry], logLevel: "silent" });
    const { output } = await bundle.generate({ format: "es" });
    await bundle.close();
    expect(output.some((o) => o.type === "asset" && o.fileName.includes("coin"))).toBe(true);
    expect(requested(COIN)).toBe(1);
  });

  it("offline, a cold build asks nothing of the site", async () => {
    await writeSources(DEEP);
    await buildFixture("vite8", project.root, testOptions(project, replica.url));
    replica.requests.reset();
    await buildFixture("vite8", project.root, testOptions(project, replica.url, { offline: true }));
    await rm(project.lockfile);
    const built = await buildFixture("vite8", project.root, testOptions(project, replica.url, { offline: true }));
    expect(built.values.scene).toMatch(/coin.*\.wav$/);
    expect(replica.requests.count()).toBe(0);
    expect(existsSync(project.lockfile)).toBe(true);
  });
});
