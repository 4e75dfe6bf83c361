import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bonusZipEntries, tilesZipEntries } from "../replica/index.js";
import { lines, runOga, tempDir, useReplicaAndCache } from "./run-oga.js";

const { cache, env } = useReplicaAndCache();

describe("oga describe --files", () => {
  it("lists each zip's entries (zips inside zips too) as paths to import, downloading the zips once and saying so", async () => {
    const run = await runOga(["describe", "dungeon-pack", "--files"], { env: env() });
    expect(run.stderr).toContain("downloading tiles.zip");
    expect(run.stderr).toContain("downloading extras.zip");
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out[0]).toMatch(/^dungeon-pack /);
    const entries = out.filter((l) => l.startsWith("  ")).map((l) => l.trim().split("\t")[0]);
    expect(entries).toEqual([
      "tiles.zip/Read Me.txt",
      "tiles.zip/png/Sprites Ünïcödé/héros.png",
      "tiles.zip/png/door (open).png",
      "tiles.zip/png/floor.png",
      "tiles.zip/png/menú Ñandú.png",
      "tiles.zip/png/wall.png",
      "tiles.zip/sfx/step.wav",
      "extras.zip/bonus.zip",
      "extras.zip/bonus.zip/coin.png",
      "extras.zip/bonus.zip/gem.png",
      "extras.zip/notes.txt",
    ]);
    // The preview image is not an archive: no contents under it.
    expect(out.some((l) => l.startsWith("dungeon_preview.png\t"))).toBe(true);

    const again = await runOga(["describe", "dungeon-pack", "--files"], { env: env() });
    expect(again.stdout).toBe(run.stdout);
    expect(again.stderr).not.toContain("downloading");
  });

  it("fails clearly on a hostile zip", async () => {
    const run = await runOga(["describe", "hostile-packs", "--files"], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/oga: .*zip-slip\.zip is refused: its entry "\.\.\/evil\.txt"/);
  });
});

describe("oga download --extract", () => {
  it("unpacks every entry into --out/<id>/<zip>/<entry>, byte for byte, junk left out", async () => {
    const out = await tempDir("oga-extract-");
    try {
      const run = await runOga(["download", "dungeon-pack", "--out", out.dir, "--extract"], { env: env() });
      expect(run.stderr).not.toContain("oga: ");
      expect(run.code).toBe(0);
      const printed = lines(run.stdout).map((p) => path.relative(path.join(out.dir, "dungeon-pack"), p)).sort();
      expect(printed).toEqual([
        "dungeon_preview.png",
        "extras.zip/bonus.zip/coin.png",
        "extras.zip/bonus.zip/gem.png",
        "extras.zip/notes.txt",
        "tiles.zip/Read Me.txt",
        "tiles.zip/png/Sprites Ünïcödé/héros.png",
        "tiles.zip/png/door (open).png",
        "tiles.zip/png/floor.png",
        "tiles.zip/png/menú Ñandú.png",
        "tiles.zip/png/wall.png",
        "tiles.zip/sfx/step.wav",
      ]);
      for (const e of tilesZipEntries()) {
        if (!e.data || /__MACOSX|DS_Store|Thumbs/.test(e.name)) continue;
        expect(await readFile(path.join(out.dir, "dungeon-pack/tiles.zip", e.name))).toEqual(Buffer.from(e.data));
      }
      for (const e of bonusZipEntries()) expect(await readFile(path.join(out.dir, "dungeon-pack/extras.zip/bonus.zip", e.name))).toEqual(Buffer.from(e.data!));
    } finally {
      await out.remove();
    }
  });

  it("without --out prints the cached entries", async () => {
    const run = await runOga(["download", "dungeon-pack", "--file", "tiles.zip", "--extract"], { env: env() });
    expect(run.code).toBe(0);
    const printed = lines(run.stdout);
    expect(printed).toHaveLength(7);
    for (const p of printed) expect(p.startsWith(path.join(cache.dir, "files"))).toBe(true);
  });
});
