// Promises the README makes that other guards could hide, each checked through a real build as a
// user meets it: credits name what ships (not what is locked), a frozen lockfile refuses a file it
// holds no hash for and is never written, and an entry taken from a zip must hash to its pin.
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Credit } from "../../src/project/credits.js";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { buildCredits } from "./credits-build.js";
import { buildFailure, buildFixture, bytesOf, replicaBytes, testOptions } from "./helpers.js";
import { useProject, useReplica } from "./hooks.js";

const replica = useReplica();

interface LockJson {
  specifiers: string[];
  assets: Record<string, { files: Record<string, { sha256?: string; etag?: string | null; entries?: Record<string, { sha256: string; size: number }> }> }>;
}

async function readLock(file: string): Promise<LockJson> {
  return JSON.parse(await readFile(file, "utf8")) as LockJson;
}

describe("the game fixture", () => {
  const project = useProject("game");
  const options = (extra: OgaPluginOptions = {}) => testOptions(project, replica.url, extra);
  const writeMain = (text: string) => writeFile(path.join(project.root, "src/main.js"), text);

  it("credits name the assets the bundle ships, not every asset the lockfile still holds", async () => {
    await buildFixture("vite8", project.root, options());
    // The game moves on: it ships one asset now, the lockfile keeps the four it once used.
    await writeMain(`import credits from "oga:credits";\nimport music from "oga:battle-theme-a";\nglobalThis.__oga = { credits, music };\n`);
    const out = await buildCredits("vite8", project.root, options());
    expect(Object.keys((await readLock(project.lockfile)).assets).sort()).toEqual(["battle-theme-a", "imminent-threat", "retro-sfx-pack", "tiny-sprites"]);
    expect((out.values.credits as Credit[]).map((c) => c.id)).toEqual(["battle-theme-a"]);
    expect((JSON.parse(await out.read("credits.json")) as Credit[]).map((c) => c.id)).toEqual(["battle-theme-a"]);
    const md = await out.read("CREDITS.md");
    expect(md).toContain("This project uses 1 asset from OpenGameArt.org.");
    expect([...md.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(["Battle Theme A"]);
  });

  it("frozen: a locked file without a sha256 fails with OGA_FROZEN naming the import, before any download", async () => {
    await buildFixture("vite8", project.root, options());
    // The asset import uses the mp3 only: the ogg is listed in the lockfile, never hashed.
    const ogg = (await readLock(project.lockfile)).assets["battle-theme-a"]!.files["battleThemeA.ogg"]!;
    expect(ogg).toBeDefined();
    expect(ogg.sha256).toBeUndefined();
    const lockBefore = await readFile(project.lockfile, "utf8");
    replica.requests.reset();
    const specifier = "oga:battle-theme-a/battleThemeA.ogg";
    const { code, text } = await buildFailure("vite8", project, replica.url, specifier, { frozen: true });
    expect(code).toBe("OGA_FROZEN");
    expect(text).toContain(`"${specifier}": file "battleThemeA.ogg" has no hash in ${project.lockfile} and the lockfile is frozen`);
    expect(text).toContain("oga prefetch");
    expect(replica.requests.count()).toBe(0);
    expect(await readFile(project.lockfile, "utf8")).toBe(lockBefore);
  });

  it("frozen: a build that would have changed the lockfile leaves its bytes and mtime alone", async () => {
    await buildFixture("vite8", project.root, options());
    // Take the ETags out: an unfrozen build records them again (shown at the end), a frozen one may not.
    const lock = await readLock(project.lockfile);
    let removed = 0;
    for (const asset of Object.values(lock.assets)) {
      for (const file of Object.values(asset.files)) {
        if (file.sha256 !== undefined && typeof file.etag === "string") {
          delete file.etag;
          removed++;
        }
      }
    }
    expect(removed).toBeGreaterThan(0);
    const text = JSON.stringify(lock, null, 2) + "\n";
    await writeFile(project.lockfile, text);
    const old = new Date("2020-01-02T03:04:05Z");
    await utimes(project.lockfile, old, old);

    const { values, outDir } = await buildFixture("vite8", project.root, options({ frozen: true }));
    // The build ran to the end: the music it emitted is the replica's file.
    expect(await bytesOf(values.music as string, outDir)).toEqual(await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3"));
    expect(await readFile(project.lockfile, "utf8")).toBe(text);
    expect((await stat(project.lockfile)).mtimeMs).toBe(old.getTime());

    // The same build unfrozen does write it: the frozen build had something to write and did not.
    await buildFixture("vite8", project.root, options());
    expect(await readFile(project.lockfile, "utf8")).not.toBe(text);
  });
});

describe("the packs fixture", () => {
  const project = useProject("packs");

  it("an entry whose bytes differ from its pin in the lockfile fails with OGA_INTEGRITY naming the import", async () => {
    const specifier = "oga:dungeon-pack/tiles.zip/png/floor.png";
    await writeFile(path.join(project.root, "src/main.js"), `import floor from ${JSON.stringify(specifier)};\nglobalThis.__oga = { floor };\n`);
    await buildFixture("vite8", project.root, testOptions(project, replica.url));
    const lock = await readLock(project.lockfile);
    const entry = lock.assets["dungeon-pack"]!.files["tiles.zip"]!.entries!["png/floor.png"]!;
    const held = entry.sha256;
    expect(held).toMatch(/^[0-9a-f]{64}$/);
    const pinned = "0".repeat(64);
    entry.sha256 = pinned;
    await writeFile(project.lockfile, JSON.stringify(lock, null, 2) + "\n");
    const lockBefore = await readFile(project.lockfile, "utf8");

    const { code, text } = await buildFailure("vite8", project, replica.url, specifier);
    expect(code).toBe("OGA_INTEGRITY");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain(`tiles.zip/png/floor.png: the lockfile expects sha256 ${pinned} but the archive holds ${held}`);
    expect(text).toContain("oga update dungeon-pack");
    expect(await readFile(project.lockfile, "utf8")).toBe(lockBefore);
  });
});
