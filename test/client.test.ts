/**
 * The library client against the replica, on what the live site's pages do: a page cannot rename
 * or overwrite another asset, withheld files are described but not downloaded, and a file may
 * be asked for by the name it was uploaded as only when that name is unambiguous.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, type OgaClient } from "../src/client.js";
import { isOgaError } from "../src/errors.js";
import { minimalAsset, startReplica, type Replica } from "./replica/index.js";

let replica: Replica;
let cacheDir: string;
let client: OgaClient;

beforeAll(async () => {
  replica = await startReplica();
  replica.catalogue.addAsset(
    minimalAsset("twice-uploaded", {
      // Two uploads named the same: the shared files directory stored them as _0 and _1.
      files: [
        { path: "tile_0.png", label: "tile.png", body: Buffer.from("first") },
        { path: "tile_1.png", label: "tile.png", body: Buffer.from("second") },
        { path: "notes_3.txt", label: "notes.txt", body: Buffer.from("notes") },
      ],
    }),
  );
});
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), "oga-client-"));
  client = createClient({ url: replica.url, cacheDir, retries: 0 });
  replica.faults.clear();
});
afterAll(async () => {
  await client?.close();
  await replica.close();
  await rm(cacheDir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error,
  );
}

describe("createClient on a mirror of the site", () => {
  it("keys a description by the id asked for: a page naming another asset in og:url overwrites nothing", async () => {
    const genuine = await client.describe("battle-theme-a");
    const liar = (html: string) =>
      html.replaceAll("https://opengameart.org/content/forest-ambience", "https://opengameart.org/content/battle-theme-a");
    replica.faults.add({ path: "/content/forest-ambience", kind: "markup", edit: liar });
    const lying = await client.describe("forest-ambience");
    expect(lying.id).toBe("forest-ambience");
    expect(lying.pageUrl).toBe("https://opengameart.org/content/forest-ambience");
    // The cached battle-theme-a is still battle-theme-a, and forest-ambience is under its own name.
    expect(await client.describe("battle-theme-a", { offline: true })).toEqual(genuine);
    expect((await client.describe("forest-ambience", { offline: true })).title).toBe("Forest Ambience");
  });

  it("downloads the site's files (linked on opengameart.org) from the configured origin", async () => {
    const asset = await client.describe("tiny-sprites");
    expect(asset.files.every((f) => f.url.startsWith("https://opengameart.org/sites/default/files/"))).toBe(true);
    replica.requests.reset();
    const files = await client.download(asset);
    expect(files.map((f) => f.name)).toEqual(["hero_16.png", "slime_32.png", "boss_64x48.png"]);
    expect(replica.requests.count((r) => r.pathname.startsWith("/sites/default/files/"))).toBe(3);
  });

  it("describes an asset whose files the site withholds; downloading it is OGA_NO_FILE saying so", async () => {
    const asset = await client.describe("withdrawn-tracks");
    expect(asset).toMatchObject({ filesUnavailable: true, files: [] });
    const error = await rejection(client.download(asset));
    expect(isOgaError(error, "OGA_NO_FILE")).toBe(true);
    expect(error.message).toBe(
      "withdrawn-tracks: its files are withheld by the site (currently unavailable due to potential licensing issues, https://opengameart.org/content/withdrawn-tracks)",
    );
  });

  it("takes the name a file was uploaded as when one file has it, and lists the stored names when several do", async () => {
    const asset = await client.describe("twice-uploaded");
    expect(asset.files.map((f) => [f.name, f.label])).toEqual([
      ["tile_0.png", "tile.png"],
      ["tile_1.png", "tile.png"],
      ["notes_3.txt", "notes.txt"],
    ]);
    const [notes] = await client.download(asset, { files: ["notes.txt"] });
    expect(notes!.name).toBe("notes_3.txt");
    const error = await rejection(client.download(asset, { files: ["tile.png"] }));
    expect(isOgaError(error, "OGA_NO_FILE")).toBe(true);
    expect(error.message).toBe(
      'twice-uploaded has no file "tile.png"; files uploaded as "tile.png": "tile_0.png", "tile_1.png" (pick one by its name); its files: tile_0.png, tile_1.png, notes_3.txt',
    );
  });
});
