import { describe, expect, it } from "vitest";
import { ANSI, lines, runOga, useReplicaAndCache } from "./run-oga.js";

const { replica, cache, env } = useReplicaAndCache();

describe("oga describe", () => {
  it("prints the Python oga's summary line", async () => {
    const asset = replica.catalogue.getAsset("battle-theme-a")!;
    const run = await runOga(["describe", "battle-theme-a"], { env: env() });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`battle-theme-a ${asset.type} (${asset.favorites} favorites, ${asset.tags.length} tags)\n`);
    expect(run.stdout).not.toMatch(ANSI);
  });

  it("accepts a full page URL and --url instead of OGA_URL", async () => {
    const run = await runOga(["--url", replica.url, "describe", `${replica.url}/content/imminent-threat`], {
      env: { OGA_CACHE_DIR: cache.dir },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^imminent-threat Music \(\d+ favorites, \d+ tags\)\n$/);
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
    const [summary, ...all] = lines(run.stdout);
    expect(summary).toMatch(/^imminent-threat Music /);
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
