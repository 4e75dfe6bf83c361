import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bonusZipEntries, tilesZipEntries, wav } from "../replica/index.js";
import { buildFixture, bytesOf as bytesAtUrl, listFiles, testOptions, type Bundler } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("packs");

/** The bytes the replica put in each entry, by path inside the asset (archive name included). */
function entryBytes(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of tilesZipEntries()) if (e.data) out.set(`tiles.zip/${e.name}`, Buffer.from(e.data));
  for (const e of bonusZipEntries()) if (e.data) out.set(`extras.zip/bonus.zip/${e.name}`, Buffer.from(e.data));
  return out;
}

const TILE_KEYS = [
  "tiles.zip/png/Sprites Ünïcödé/héros.png",
  "tiles.zip/png/door (open).png",
  "tiles.zip/png/floor.png",
  "tiles.zip/png/menú Ñandú.png",
  "tiles.zip/png/wall.png",
];

/** The entry paths the cache's extraction records name, over every archive. */
async function extractionRecords(cacheDir: string): Promise<string[]> {
  const paths: string[] = [];
  const archives = path.join(cacheDir, "archives");
  for (const archive of await readdir(archives)) {
    for (const batch of await readdir(path.join(archives, archive))) {
      const record = JSON.parse(await readFile(path.join(archives, archive, batch), "utf8")) as { entries: { path: string }[] };
      paths.push(...record.entries.map((e) => e.path));
    }
  }
  return paths;
}

/** Emitted names keep non-ASCII letters, which URLs carry percent-encoded. */
function bytesOf(url: string, outDir: string): Promise<Buffer> {
  return bytesAtUrl(url.startsWith("/") ? decodeURI(url) : url, outDir);
}

describe.each<Bundler>(["vite8", "vite7", "rollup"])("zip packs under %s", (bundler) => {
  it("imports entries and globs into zips; emits only the imported entries, byte for byte, never the zips", async () => {
    const { values, outDir, assets } = await buildFixture(bundler, project.root, testOptions(project, replica.url));
    const v = values as { floor: string; tiles: Record<string, string>; coin: string; sounds: Record<string, string>; beat: string };
    const bytes = entryBytes();
    expect(await bytesOf(v.floor, outDir)).toEqual(bytes.get("tiles.zip/png/floor.png"));
    expect(await bytesOf(v.coin, outDir)).toEqual(bytes.get("extras.zip/bonus.zip/coin.png"));
    // Keys are paths inside the asset, archive name included; junk (__MACOSX/png/._floor.png) is left out.
    expect(Object.keys(v.tiles).sort()).toEqual(TILE_KEYS);
    for (const [key, url] of Object.entries(v.tiles)) expect(await bytesOf(url, outDir)).toEqual(bytes.get(key));
    expect(Object.keys(v.sounds)).toEqual(["tiles.zip/sfx/step.wav"]);
    expect(await bytesOf(v.sounds["tiles.zip/sfx/step.wav"]!, outDir)).toEqual(bytes.get("tiles.zip/sfx/step.wav"));
    expect(await bytesOf(v.beat, outDir)).toEqual(wav(300, 110));

    // 5 tiles (floor shared with its own import), the coin, step.wav, the beat: nothing else.
    // (Other files, such as credits, may be emitted by other features; none may come from the packs.)
    expect(assets.filter((a) => /\.(png|wav)$/.test(a))).toHaveLength(8);
    expect(assets.filter((a) => /\.zip$|gem|preview|Read Me|notes|DS_Store|Thumbs|\._/.test(a))).toEqual([]);
    expect(replica.requests.count("GET /sites/default/files/dungeon_preview.png")).toBe(0);
    // Each extraction is on record once the build has returned: nothing writes into the cache after it.
    expect(await extractionRecords(project.cacheDir)).toEqual(expect.arrayContaining(["png/floor.png", "sfx/step.wav", "bonus.zip", "coin.png"]));
  });

  it("records the entries used in the lockfile; a rebuild neither downloads nor unzips again", async () => {
    await buildFixture(bundler, project.root, testOptions(project, replica.url));
    const lock = JSON.parse(await readFile(project.lockfile, "utf8")) as {
      assets: Record<string, { files: Record<string, { sha256: string; entries?: Record<string, { size: number; sha256: string; entries?: Record<string, unknown> }> }> }>;
    };
    const tiles = lock.assets["dungeon-pack"]!.files["tiles.zip"]!;
    expect(Object.keys(tiles.entries!).sort()).toEqual([...TILE_KEYS.map((k) => k.slice("tiles.zip/".length)), "sfx/step.wav"].sort());
    const floor = entryBytes().get("tiles.zip/png/floor.png")!;
    expect(tiles.entries!["png/floor.png"]).toEqual({ size: floor.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Object.keys(lock.assets["dungeon-pack"]!.files["extras.zip"]!.entries!["bonus.zip"]!.entries!)).toEqual(["coin.png"]);

    // Extracted entries are blobs, each written once as a new file (temp + rename): the same
    // inode and mtime after a warm rebuild prove it reused them rather than unzipping again.
    const blobs = path.join(project.cacheDir, "files");
    const identity = async (f: string) => {
      const s = await stat(path.join(blobs, f));
      return { ino: s.ino, mtimeMs: s.mtimeMs };
    };
    const before = new Map<string, { ino: number; mtimeMs: number }>();
    for (const f of await listFiles(blobs)) before.set(f, await identity(f));
    expect([...before.keys()].some((f) => f.endsWith("/floor.png"))).toBe(true);
    replica.requests.reset();
    const again = await buildFixture(bundler, project.root, testOptions(project, replica.url));
    expect(replica.requests.count()).toBe(0);
    const after = await listFiles(blobs);
    expect(after).toEqual([...before.keys()]);
    for (const f of after) expect(await identity(f), f).toEqual(before.get(f));
    expect(await bytesOf((again.values as { floor: string }).floor, again.outDir)).toEqual(floor);
  });
});
