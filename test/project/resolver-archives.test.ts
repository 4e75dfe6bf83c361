/**
 * Paths that continue inside an asset's zips, through the resolver the plugin and the CLI share,
 * with the replica over HTTP and a real cache: an entry of a zip inside a zip (its bytes, its pin
 * and the label its messages use), what a missing entry's message lists, globs into zips, and the
 * archive options (junk, limits) each project gets even when another project listed the same zip.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bonusZipEntries, minimalAsset, tilesZipEntries, zip } from "../replica/index.js";
import type { AssetResolver } from "../../src/project/resolve-asset.js";
import { parseSpecifier } from "../../src/project/specifier.js";
import { parseLockfile } from "../../src/store/lockfile.js";
import { failure, useResolverSite } from "./resolver-harness.js";

/** `n` small text entries `f01.txt`…, in a zip of its own. */
const numbered = (n: number) => zip(Array.from({ length: n }, (_, i) => ({ name: `f${String(i + 1).padStart(2, "0")}.txt`, data: Buffer.from(`${i + 1}\n`) })));
const site = useResolverSite("resolver-archives", (replica) => {
  replica.catalogue.addAsset(
    minimalAsset("listing-sizes", {
      files: [
        { path: "twenty.zip", body: numbered(20) },
        { path: "twenty-one.zip", body: numbered(21) },
        { path: "empty.zip", body: zip([{ name: "only-a-folder/" }]) },
      ],
    }),
  );
  replica.catalogue.addAsset(
    minimalAsset("zip-order", {
      files: [
        { path: "set.zip", body: zip([{ name: "a.txt", data: Buffer.from("a\n") }]) },
        { path: "set.zip-notes.txt", body: Buffer.from("notes\n") },
      ],
    }),
  );
});


const data = (entries: { name: string; data?: Uint8Array }[], name: string) => Buffer.from(entries.find((e) => e.name === name)!.data!);

describe("a zip inside a zip", () => {
  const specifier = "oga:dungeon-pack/extras.zip/bonus.zip/coin.png";

  it("gives the inner entry's bytes, pinned under both zips", async () => {
    const { resolver, lockfile } = await site.resolver({}, "nested");
    const [coin, ...more] = await resolver.prefetch([parseSpecifier(specifier)]);
    expect(more).toEqual([]);
    expect(coin).toMatchObject({ asset: "dungeon-pack", name: "extras.zip/bonus.zip/coin.png" });
    expect(await readFile(coin!.path)).toEqual(data(bonusZipEntries(), "coin.png"));
    await resolver.session.flush();
    const extras = parseLockfile(await readFile(lockfile, "utf8"), lockfile).assets["dungeon-pack"]!.files["extras.zip"]!;
    const bonus = extras.entries!["bonus.zip"]!;
    expect(bonus.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(bonus.entries!["coin.png"]).toEqual({ size: coin!.size, sha256: coin!.sha256 });
  });

  it("is refused with both zips in its label when it no longer hashes to its pin", async () => {
    const { lockfile } = await site.resolver({}, "nested");
    const lock = parseLockfile(await readFile(lockfile, "utf8"), lockfile);
    const pinned = lock.assets["dungeon-pack"]!.files["extras.zip"]!.entries!["bonus.zip"]!.entries!["coin.png"]!;
    const actual = pinned.sha256;
    pinned.sha256 = "1".repeat(64);
    await writeFile(lockfile, JSON.stringify(lock, null, 2));
    const { resolver } = await site.resolver({}, "nested");
    const error = await failure(resolver.prefetch([parseSpecifier(specifier)]));
    expect(error.code).toBe("OGA_INTEGRITY");
    expect(error.message).toBe(
      `extras.zip/bonus.zip/coin.png: the lockfile expects sha256 ${"1".repeat(64)} but the archive holds ${actual}. Run \`oga update dungeon-pack\` to accept it.`,
    );
  });

  it("is what a glob over every zip finds, with the outer zip's entries", async () => {
    const { resolver } = await site.resolver();
    const files = await resolver.prefetch([parseSpecifier("oga:dungeon-pack/extras.zip/**")]);
    expect(files.map((f) => f.name)).toEqual(["extras.zip/bonus.zip", "extras.zip/bonus.zip/coin.png", "extras.zip/bonus.zip/gem.png", "extras.zip/notes.txt"]);
    expect(await readFile(files[3]!.path, "utf8")).toBe("extras\n");
  });
});

it("reports what the zip's download cost for an entry asked for by name", async () => {
  const { resolver } = await site.resolver();
  const specifier = "oga:dungeon-pack/tiles.zip/png/wall.png";
  const first = await resolver.file("dungeon-pack", "tiles.zip/png/wall.png", specifier);
  expect(first).toMatchObject({ asset: "dungeon-pack", name: "tiles.zip/png/wall.png", transfer: "downloaded" });
  expect(await readFile(first.path)).toEqual(data(tilesZipEntries(), "png/wall.png"));
  expect(await resolver.file("dungeon-pack", "tiles.zip/png/wall.png", specifier)).toEqual({ ...first, transfer: "none" });
});

describe("a path into a zip that holds no such entry", () => {
  it("names the zip and lists, sorted and without junk, what it holds", async () => {
    const { resolver } = await site.resolver();
    const specifier = "oga:dungeon-pack/tiles.zip/png/nope.png";
    const asset = await resolver.asset("dungeon-pack", specifier);
    const error = await failure(resolver.select(parseSpecifier(specifier) as Parameters<AssetResolver["select"]>[0], asset));
    expect(error.code).toBe("OGA_NO_FILE");
    expect(error.message).toBe(
      `"${specifier}": tiles.zip has no entry "png/nope.png". It holds: Read Me.txt, png/Sprites Ünïcödé/héros.png, png/door (open).png, png/floor.png, png/menú Ñandú.png, png/wall.png, sfx/step.wav.`,
    );
  });

  it("names the inner zip when the missing entry is below it", async () => {
    const { resolver } = await site.resolver();
    const specifier = "oga:dungeon-pack/extras.zip/bonus.zip/ruby.png";
    const error = await failure(resolver.prefetch([parseSpecifier(specifier)]));
    expect(error.code).toBe("OGA_NO_FILE");
    expect(error.message).toBe(`"${specifier}": extras.zip/bonus.zip has no entry "ruby.png". It holds: coin.png, gem.png.`);
  });

  for (const [file, holds] of [
    ["twenty.zip", "f01.txt, f02.txt, f03.txt, f04.txt, f05.txt, f06.txt, f07.txt, f08.txt, f09.txt, f10.txt, f11.txt, f12.txt, f13.txt, f14.txt, f15.txt, f16.txt, f17.txt, f18.txt, f19.txt, f20.txt"],
    ["twenty-one.zip", "f01.txt, f02.txt, f03.txt, f04.txt, f05.txt, f06.txt, f07.txt, f08.txt, f09.txt, f10.txt, f11.txt, f12.txt, f13.txt, f14.txt, f15.txt, f16.txt, f17.txt, f18.txt, f19.txt, f20.txt, … (21 in all)"],
    ["empty.zip", "(no files)"],
  ] as const) {
    it(`lists at most twenty entries (${file})`, async () => {
      const { resolver } = await site.resolver();
      const specifier = `oga:listing-sizes/${file}/f99.txt`;
      const error = await failure(resolver.prefetch([parseSpecifier(specifier)]));
      expect(error.message).toBe(`"${specifier}": ${file} has no entry "f99.txt". It holds: ${holds}.`);
    });
  }

  it("whose first part is no zip of the asset is refused as a missing file", async () => {
    const { resolver } = await site.resolver();
    const specifier = "oga:dungeon-pack/nope/floor.png";
    const error = await failure(resolver.prefetch([parseSpecifier(specifier)]));
    expect(error.code).toBe("OGA_NO_FILE");
    expect(error.message).toContain(`"${specifier}"`);
    expect(error.message).toContain("dungeon_preview.png, extras.zip, tiles.zip");
  });

  it("is refused by name when asked for as one file of a batch", async () => {
    const { resolver } = await site.resolver();
    const error = await failure(resolver.file("dungeon-pack", "tiles.zip/png/nope.png", "oga:dungeon-pack/tiles.zip/png/nope.png"));
    expect(error.code).toBe("OGA_NO_FILE");
    expect(error.message).toBe(`"oga:dungeon-pack/tiles.zip/png/nope.png": asset "dungeon-pack" has no file or archive entry "tiles.zip/png/nope.png".`);
  });
});

describe("a glob into zips", () => {
  it("selects the matching entries, sorted, across the asset's zips", async () => {
    const { resolver } = await site.resolver();
    const files = await resolver.prefetch([parseSpecifier("oga:dungeon-pack/**/*o*.png")]);
    expect(files.map((f) => f.name)).toEqual([
      "dungeon_preview.png",
      "extras.zip/bonus.zip/coin.png",
      "tiles.zip/png/Sprites Ünïcödé/héros.png",
      "tiles.zip/png/door (open).png",
      "tiles.zip/png/floor.png",
    ]);
    const floor = files[4]!;
    expect(await readFile(floor.path)).toEqual(data(tilesZipEntries(), "png/floor.png"));
  });

  it("lists its matches in code-unit order, not in the order zips are walked", async () => {
    const { resolver } = await site.resolver();
    const files = await resolver.prefetch([parseSpecifier("oga:zip-order/**")]);
    // '-' sorts before '/': the file beside the zip comes before the zip's entries.
    expect(files.map((f) => f.name)).toEqual(["set.zip", "set.zip-notes.txt", "set.zip/a.txt"]);
  });

  it("that matches nothing names the asset's files, sorted", async () => {
    const { resolver } = await site.resolver();
    const specifier = "oga:dungeon-pack/**/*.ogg";
    const error = await failure(resolver.prefetch([parseSpecifier(specifier)]));
    expect(error.code).toBe("OGA_NO_FILE");
    expect(error.message).toBe(`"${specifier}": the glob "**/*.ogg" matches no file of asset "dungeon-pack" (zips included). Its files: dungeon_preview.png, extras.zip, tiles.zip.`);
  });
});

describe("the archive options of each project", () => {
  const thumbs = "oga:dungeon-pack/tiles.zip/png/Thumbs.db";

  it("leave junk out unless includeJunk, though another project listed the zip first", async () => {
    const plain = await site.resolver();
    const error = await failure(plain.resolver.prefetch([parseSpecifier(thumbs)]));
    expect(error.code).toBe("OGA_NO_FILE");
    const junk = await site.resolver({ archives: { includeJunk: true } });
    const [file] = await junk.resolver.prefetch([parseSpecifier(thumbs)]);
    expect(await readFile(file!.path)).toEqual(data(tilesZipEntries(), "png/Thumbs.db"));
  });

  it("refuse a zip over maxTotalSize, though another project listed and extracted it under the default", async () => {
    const glob = "oga:dungeon-pack/tiles.zip/sfx/*";
    const roomy = await site.resolver({}, "limits");
    expect((await roomy.resolver.prefetch([parseSpecifier(glob)])).map((f) => f.name)).toEqual(["tiles.zip/sfx/step.wav"]);
    // The same cache: the entry is extracted there already, so only the listing can refuse it.
    const tight = await site.resolver({ archives: { maxTotalSize: 100 } }, "limits");
    const error = await failure(tight.resolver.prefetch([parseSpecifier(glob)]));
    expect(error.code).toBe("OGA_ARCHIVE");
    expect(error.message).toContain("over the limit of 100");
  });

  it("refuse an entry over maxEntrySize", async () => {
    const { resolver } = await site.resolver({ archives: { maxEntrySize: 10 } });
    const error = await failure(resolver.prefetch([parseSpecifier("oga:dungeon-pack/tiles.zip/Read Me.txt")]));
    expect(error.code).toBe("OGA_ARCHIVE");
    expect(error.message).toContain(`entry "Read Me.txt" declares 19 bytes, over the limit of 10`);
  });
});
