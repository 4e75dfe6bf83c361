import { describe, expect, it } from "vitest";
import { ANSI, lines, runOga, useReplicaAndCache } from "./run-oga.js";

const { replica, cache, env } = useReplicaAndCache();

describe("oga describe", () => {
  it("prints the Python oga's summary line, then who made it", async () => {
    const asset = replica.catalogue.getAsset("battle-theme-a")!;
    const run = await runOga(["describe", "battle-theme-a"], { env: env() });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`battle-theme-a ${asset.type} (${asset.favorites} favorites, ${asset.tags.length} tags)\nby cynicmusic\n`);
    expect(run.stdout).not.toMatch(ANSI);
  });

  it("names the collaborators with the author, and the submitter when someone else uploaded it", async () => {
    const sfx = await runOga(["describe", "retro-sfx-pack"], { env: env() });
    expect(lines(sfx.stdout)[1]).toBe("by Bart K. with Eliza Wyatt, Kenney");
    const threat = await runOga(["describe", "imminent-threat"], { env: env() });
    expect(lines(threat.stdout)[1]).toBe("by Matthew Pablo (submitted by matthew.pablo)");
  });

  it("--json gives Pacific offsets, collaborators, one preview per image and the audio previews", async () => {
    const sprites = JSON.parse((await runOga(["describe", "tiny-sprites", "--json"], { env: env() })).stdout) as Record<string, unknown>;
    // 16:20 on July 12, 2019 in the site's zone: Pacific daylight time.
    expect(sprites.postedAt).toBe("2019-07-12T16:20:00-07:00");
    expect(sprites.previews).toEqual([
      { kind: "image", url: "https://opengameart.org/sites/default/files/hero_16.png", thumbnailUrl: expect.stringMatching(/\/styles\/medium\/public\/hero_16\.png/) },
      { kind: "image", url: "https://opengameart.org/sites/default/files/boss_64x48.png", thumbnailUrl: expect.stringMatching(/\/styles\/medium\/public\/boss_64x48\.png/) },
    ]);
    const remix = JSON.parse((await runOga(["describe", "battle-theme-a-remix", "--json"], { env: env() })).stdout) as Record<string, unknown>;
    expect(remix.collaborators).toEqual([{ id: "cynicmusic", name: "cynicmusic", url: "https://opengameart.org/users/cynicmusic" }]);
    const music = JSON.parse((await runOga(["describe", "battle-theme-a", "--json"], { env: env() })).stdout) as Record<string, unknown>;
    expect(music.previews).toEqual([expect.objectContaining({ kind: "audio", mp3Url: "https://opengameart.org/sites/default/files/battleThemeA.mp3" })]);
  });

  it("describes an asset whose files the site withholds; --files says so", async () => {
    const run = await runOga(["describe", "withdrawn-tracks", "--files"], { env: env() });
    expect(run.code).toBe(0);
    expect(lines(run.stdout)[0]).toMatch(/^withdrawn-tracks Music /);
    expect(run.stderr).toBe("withdrawn-tracks: its files are withheld by the site (currently unavailable due to potential licensing issues)\n");
  });

  it("accepts a full page URL and --url instead of OGA_URL", async () => {
    const run = await runOga(["--url", replica.url, "describe", `${replica.url}/content/imminent-threat`], {
      env: { OGA_CACHE_DIR: cache.dir },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^imminent-threat Music \(\d+ favorites, \d+ tags\)\nby Matthew Pablo \(submitted by matthew\.pablo\)\n$/);
    // The canonical page URL names the same page on the mirror.
    const canonical = await runOga(["--url", replica.url, "describe", "https://opengameart.org/content/imminent-threat"], { env: { OGA_CACHE_DIR: cache.dir } });
    expect(canonical.stdout).toBe(run.stdout);
  });

  it("--json prints every field of the asset", async () => {
    const asset = replica.catalogue.getAsset("imminent-threat")!;
    const run = await runOga(["describe", "imminent-threat", "--json"], { env: env() });
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    const fields = ["id", "pageUrl", "title", "description", "author", "submitter", "collaborators", "type", "licenses", "licenseUrls",
      "tags", "favorites", "postedAt", "updatedAt", "attribution", "copyrightNotice", "collections", "previews", "files", "filesUnavailable"];
    for (const field of fields) expect(json, field).toHaveProperty(field);
    expect(json).toMatchObject({
      id: "imminent-threat",
      // The canonical page, though the replica (a mirror, to the client) served it.
      pageUrl: "https://opengameart.org/content/imminent-threat",
      // 21:03 on April 9, 2013 in the site's zone, Pacific daylight time.
      postedAt: "2013-04-09T21:03:00-07:00",
      previews: [expect.objectContaining({ kind: "audio", url: "https://opengameart.org/sites/default/files/audio_preview/imminent_threat_beat1.ogg.ogg" })],
      title: asset.title,
      type: asset.type,
      licenses: asset.licenses,
      tags: asset.tags,
      favorites: asset.favorites,
      filesUnavailable: false,
    });
    const files = json.files as { name: string; size: number; url: string; downloads: number }[];
    expect(files.map((f) => [f.size, f.downloads])).toEqual(asset.files.map((f) => [f.size, f.downloads]));
    for (const file of files) expect(Object.keys(file).sort()).toEqual(["downloads", "label", "mime", "name", "size", "url"]);
    expect(files.every((f) => f.url.startsWith("https://opengameart.org/sites/default/files/"))).toBe(true);
  });

  it("--files lists each file's name and size, tab-separated", async () => {
    const asset = replica.catalogue.getAsset("imminent-threat")!;
    const run = await runOga(["describe", "imminent-threat", "--files"], { env: env() });
    expect(run.code).toBe(0);
    const [summary, by, ...all] = lines(run.stdout);
    expect(summary).toMatch(/^imminent-threat Music /);
    expect(by).toBe("by Matthew Pablo (submitted by matthew.pablo)");
    // Files first-level; a zip's entries follow it, indented, as paths to paste into an import.
    const rows = all.filter((row) => !row.startsWith("  "));
    const entries = all.filter((row) => row.startsWith("  ")).map((row) => row.trim().split("\t")[0]);
    expect(rows).toHaveLength(asset.files.length);
    // Names with spaces ("Imminent Threat Collection.zip") stay whole in the first column.
    expect(rows.map((row) => row.split("\t")[0])).toContain("Imminent Threat Collection.zip");
    for (const [i, row] of rows.entries()) expect(row.split("\t")[2]).toBe(`${asset.files[i]!.downloads} downloads`);
    expect(entries).toContain("Imminent Threat Collection.zip/Imminent Threat Collection/WAV/Imminent Threat Beat 1.wav");
    expect(entries.some((e) => e!.includes("__MACOSX") || e!.endsWith(".DS_Store"))).toBe(false);
  });

  it("an unknown asset exits 1 with one line naming it", async () => {
    const run = await runOga(["describe", "no-such-asset-here"], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^oga: .*no-such-asset-here/);
  });

  it("an invalid id exits 2 with an example of a valid one", async () => {
    const run = await runOga(["describe", "Battle Theme A"], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^oga: invalid asset id "Battle Theme A".*battle-theme-a/);
  });
});
