import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildFixture, bytesOf, replicaBytes, testOptions, type Bundler } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("game");

/** Files the fixture uses: the main file of battle-theme-a, all of tiny-sprites, one sfx, the .ogg glob. */
const USED = [
  ["battle-theme-a", "battleThemeA.mp3"],
  ["tiny-sprites", "boss_64x48.png"],
  ["tiny-sprites", "hero_16.png"],
  ["tiny-sprites", "slime_32.png"],
  ["retro-sfx-pack", "jump.wav"],
  ["imminent-threat", "imminent_threat_beat1.ogg"],
  ["imminent-threat", "imminent_threat_beat2.ogg"],
  ["imminent-threat", "imminent_threat_loop.ogg"],
] as const;

function emittedName(file: string): RegExp {
  const dot = file.lastIndexOf(".");
  return new RegExp(`^assets/${file.slice(0, dot).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-[\\w-]{8}\\${file.slice(dot)}$`);
}

describe.each<Bundler>(["vite8", "vite7", "rollup"])("build with %s", (bundler) => {
  it("emits exactly the used files, hashed under assets/, and the values point at their bytes", async () => {
    const { assets: emitted, values, outDir } = await buildFixture(bundler, project.root, testOptions(project, replica.url));
    // Beside the bundle, the credits files (test/plugin/credits.test.ts checks their content).
    expect(emitted.filter((a) => !a.startsWith("assets/"))).toEqual(["CREDITS.md", "credits.json"]);
    const assets = emitted.filter((a) => a.startsWith("assets/"));
    expect(assets).toHaveLength(USED.length);
    for (const [, file] of USED) expect(assets.filter((a) => emittedName(file).test(a))).toHaveLength(1);
    // battleThemeA.ogg, the zip, coin.wav and explosion.wav are never imported.
    expect(assets.some((a) => /battleThemeA\.ogg|\.zip|coin|explosion/.test(a.replace(/-[\w-]{8}\./, ".")))).toBe(false);

    const v = values as { music: string; sprites: Record<string, string>; jump: string; tracks: Record<string, string>; meta: Record<string, unknown> };
    expect(await bytesOf(v.music, outDir)).toEqual(await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3"));
    expect(await bytesOf(v.jump, outDir)).toEqual(await replicaBytes(replica, "retro-sfx-pack", "jump.wav"));
    expect(Object.keys(v.sprites).sort()).toEqual(["boss_64x48.png", "hero_16.png", "slime_32.png"]);
    for (const [name, url] of Object.entries(v.sprites)) expect(await bytesOf(url, outDir)).toEqual(await replicaBytes(replica, "tiny-sprites", name));
    expect(Object.keys(v.tracks).sort()).toEqual(["imminent_threat_beat1.ogg", "imminent_threat_beat2.ogg", "imminent_threat_loop.ogg"]);
    for (const [name, url] of Object.entries(v.tracks)) expect(await bytesOf(url, outDir)).toEqual(await replicaBytes(replica, "imminent-threat", name));
    expect(v.meta).toEqual({
      id: "tiny-sprites",
      title: "Tiny Sprites",
      // Canonical links, though the replica (a mirror, to the plugin) served the page.
      author: { name: "Kenney", url: "https://opengameart.org/users/kenney" },
      collaborators: [],
      licenses: ["CC0"],
      attribution: "",
      pageUrl: "https://opengameart.org/content/tiny-sprites",
    });
  });

  it("adds one module per oga: specifier, none per file: records reference their blobs themselves", async () => {
    let ids: string[] = [];
    const graph = {
      name: "test:graph",
      buildEnd(this: { getModuleIds(): IterableIterator<string> }) {
        ids = [...this.getModuleIds()];
      },
    };
    await buildFixture(bundler, project.root, testOptions(project, replica.url), { plugins: [graph] });
    // The default-only import goes to the lean view of battle-theme-a (see pointDefaultImports in src/plugin/default-imports.ts).
    expect(ids.filter((id) => id.startsWith("\0oga:")).sort()).toEqual(
      ["\0oga:battle-theme-a~main.js", "\0oga:imminent-threat/*.ogg.js", "\0oga:retro-sfx-pack/jump.wav.js", "\0oga:tiny-sprites.js"].sort(),
    );
    // Under Vite each used blob is one `?url` module, as a local asset import would be.
    if (bundler !== "rollup") expect(ids.filter((id) => id.endsWith("?url"))).toHaveLength(USED.length);
  });

  it("a warm build (lock + cache) makes no request at all", async () => {
    await buildFixture(bundler, project.root, testOptions(project, replica.url));
    expect(replica.requests.count()).toBeGreaterThan(0);
    replica.requests.reset();
    const { values, outDir } = await buildFixture(bundler, project.root, testOptions(project, replica.url));
    expect(replica.requests.count()).toBe(0);
    expect(await bytesOf((values as { music: string }).music, outDir)).toEqual(await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3"));
  });

  it("describes and downloads an asset once when ten modules import it", async () => {
    const src = path.join(project.root, "src");
    const names = Array.from({ length: 10 }, (_, i) => `m${i}.js`);
    for (const [i, name] of names.entries()) {
      await writeFile(path.join(src, name), `import music from "oga:battle-theme-a";\nimport { files } from "oga:retro-sfx-pack";\nexport const v${i} = [music, files];\n`);
    }
    await writeFile(path.join(src, "main.js"), names.map((n, i) => `import { v${i} } from "./${n}";`).join("\n") + `\nglobalThis.__oga = { all: [${names.map((_, i) => `v${i}`).join(", ")}] };\n`);
    const { values, outDir } = await buildFixture(bundler, project.root, testOptions(project, replica.url));
    expect(replica.requests.count("GET /content/battle-theme-a")).toBe(1);
    expect(replica.requests.count("GET /content/retro-sfx-pack")).toBe(1);
    expect(replica.requests.count("GET /sites/default/files/battleThemeA.mp3")).toBe(1);
    expect(replica.requests.count("GET /sites/default/files/coin.wav")).toBe(1);
    const all = (values as { all: [string, Record<string, string>][] }).all;
    expect(all).toHaveLength(10);
    expect(new Set(all.map(([music]) => music)).size).toBe(1);
    expect(await bytesOf(all[0]![1]["coin.wav"]!, outDir)).toEqual(await replicaBytes(replica, "retro-sfx-pack", "coin.wav"));
  });
});

describe.each<Bundler>(["vite8", "vite7"])("URLs under %s follow Vite's asset rules", (bundler) => {
  it.each(["/game/", "./"])("base %s", async (base) => {
    const { values, outDir, assets } = await buildFixture(bundler, project.root, testOptions(project, replica.url), { base });
    const music = (values as { music: string }).music;
    const emitted = assets.find((a) => emittedName("battleThemeA.mp3").test(a))!;
    if (base === "./") {
      // A relative base makes Vite resolve the URL against the chunk at run time.
      expect(music).toBe(new URL(emitted, new URL(`file://${outDir}/`)).href);
    } else {
      expect(music).toBe(`/game/${emitted}`);
    }
    expect(await bytesOf(music, outDir, base)).toEqual(await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3"));
  });

  it("inlines files under assetsInlineLimit like local assets", async () => {
    // The sprites are a few hundred bytes; the music is 32 kB.
    const { values, assets, outDir } = await buildFixture(bundler, project.root, testOptions(project, replica.url), { assetsInlineLimit: 4096 });
    const v = values as { music: string; sprites: Record<string, string> };
    for (const [name, url] of Object.entries(v.sprites)) {
      expect(url.startsWith("data:image/png;base64,")).toBe(true);
      expect(await bytesOf(url, outDir)).toEqual(await replicaBytes(replica, "tiny-sprites", name));
    }
    expect(v.music.startsWith("/assets/")).toBe(true);
    expect(assets.some((a) => a.endsWith(".png"))).toBe(false);
  });
});
