/**
 * What the resolver tells the user when an import cannot be served, through the replica over HTTP:
 * each failure keeps its code, names the import and says what to do; a file that changed upstream
 * is refused (OGA_INTEGRITY, or OGA_FROZEN with a frozen lockfile) and nothing is recorded.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { minimalAsset } from "../replica/index.js";
import { isOgaError } from "../../src/errors.js";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { AssetResolver, mainFileName } from "../../src/project/resolve-asset.js";
import { parseSpecifier } from "../../src/project/specifier.js";
import { failure, useResolverSite } from "./resolver-harness.js";

const site = useResolverSite("resolver-messages", (replica) => {
  replica.catalogue.addAsset(minimalAsset("no-files", { files: [] }));
  replica.catalogue.addAsset(minimalAsset("withheld", { files: [], filesUnavailable: true }));
  replica.catalogue.addAsset(minimalAsset("changing", { files: [{ path: "song.ogg", body: Buffer.from("version one") }] }));
});

/** A resolver for a new project (or the named one), its session read from disk. */
async function resolver(extra: OgaPluginOptions = {}, project?: string): Promise<AssetResolver> {
  return (await site.resolver(extra, project)).resolver;
}

describe("an asset with nothing to import", () => {
  it("names the import and says the site lists no files", async () => {
    const error = await failure((await resolver()).asset("no-files", "oga:no-files"), "OGA_NO_FILE");
    expect(error.message).toBe(`"oga:no-files": asset "no-files" has no files to import: the site lists no files for it (https://opengameart.org/content/no-files). Import another asset (find one with \`oga search\`).`);
  });

  it("says when the site withholds the files", async () => {
    const error = await failure((await resolver()).asset("withheld", "oga:withheld"), "OGA_NO_FILE");
    expect(error.message).toContain(`has no files to import: its files are withheld by the site (its page says "File(s) currently unavailable due to potential licensing issues"; https://opengameart.org/content/withheld)`);
  });

  it("and is not locked, so a later build asks the site again", async () => {
    const r = await resolver();
    await failure(r.asset("no-files", "oga:no-files"), "OGA_NO_FILE");
    expect(r.session.asset("no-files")).toBeUndefined();
  });
});

describe("files an import does not match", () => {
  it("a glob that matches nothing lists the asset's files", async () => {
    const r = await resolver();
    const asset = await r.asset("changing", "oga:changing/*.png");
    expect(() => r.selectFiles(parseSpecifier("oga:changing/*.png") as never, asset)).toThrow(`"oga:changing/*.png": the glob "*.png" matches no file of asset "changing". Its files: song.ogg.`);
    expect(r.selectFiles(parseSpecifier("oga:changing/*.ogg") as never, asset)).toEqual(["song.ogg"]);
    expect(r.selectFiles(parseSpecifier("oga:changing") as never, asset)).toEqual(["song.ogg"]);
    expect(mainFileName(asset)).toBe("song.ogg");
    expect(mainFileName({ ...asset, main: "gone.ogg" })).toBeUndefined();
    expect(mainFileName({ ...asset, main: null })).toBeUndefined();
  });

  it("a file name no file system holds is refused before any request", async () => {
    const r = await resolver();
    await r.asset("changing", "oga:changing");
    const long = "x".repeat(300);
    const before = site.replica.requests.count();
    const error = await failure(r.file("changing", `${long}.ogg`, "oga:changing"), "OGA_PARSE");
    expect(error.message).toContain(`asset "changing" lists a file whose name has the segment "${"x".repeat(40)}…" (304 bytes)`);
    const inZip = await failure(r.file("changing", `song.zip/${long}.png`, "oga:changing"), "OGA_ARCHIVE");
    expect(inZip.message).toContain(`asset "changing" has a zip entry whose name has the segment "${"x".repeat(40)}…" (304 bytes)`);
    expect(site.replica.requests.count()).toBe(before);
  });
});

describe("a file not in the cache", () => {
  it("offline: OGA_OFFLINE naming the import and how to fetch it", async () => {
    const online = await resolver({}, "offline");
    await online.asset("battle-theme-a", "oga:battle-theme-a");
    await online.session.flush();
    const offline = await resolver({ offline: true }, "offline");
    const name = Object.keys(offline.session.asset("battle-theme-a")!.files)[0]!;
    const error = await failure(offline.file("battle-theme-a", name, "oga:battle-theme-a"), "OGA_OFFLINE");
    expect(error.message).toBe(`"oga:battle-theme-a": not in the cache and offline mode is on. Run \`oga prefetch\` while online, or build without OGA_OFFLINE / offline: true.`);
    expect(isOgaError(error.cause, "OGA_OFFLINE")).toBe(true);
  });

  it("gone from the site: OGA_NOT_FOUND naming what was tried", async () => {
    const r = await resolver();
    const asset = await r.asset("changing", "oga:changing");
    site.replica.catalogue.removeFile("changing", "song.ogg");
    try {
      const error = await failure(r.file("changing", "song.ogg", "oga:changing/song.ogg"), "OGA_NOT_FOUND");
      expect(error.message).toBe(`"oga:changing/song.ogg": not found on ${site.replica.url} (tried ${asset.files["song.ogg"]!.url}). Check the asset id: it is the last part of the asset's page URL.`);
    } finally {
      site.replica.catalogue.addFile("changing", { path: "song.ogg", body: Buffer.from("version one") });
    }
  });
});

describe("a damaged cache", () => {
  it("is OGA_CACHE naming the file in the cache and what to do (not a bare EISDIR the plugin would call OGA_UNEXPECTED)", async () => {
    const r = await resolver({}, "damaged-cache");
    const asset = await r.asset("changing", "oga:changing");
    const url = asset.files["song.ogg"]!.url;
    // A directory where the cache keeps the file's index record: reading it fails with EISDIR.
    const record = path.join(site.base, "damaged-cache", "cache", "index", `${createHash("sha256").update(url).digest("hex")}.json`);
    await mkdir(record, { recursive: true });
    const error = await failure(r.file("changing", "song.ogg", "oga:changing/song.ogg"), "OGA_CACHE");
    expect(error.message).toContain(`Could not read ${record} (EISDIR: illegal operation on a directory)`);
    expect(error.message).toContain("needs a file: remove it (or the whole cache) and run again");
  });
});

describe("a pinned file that changed upstream", () => {
  for (const frozen of [false, true]) {
    it(`is refused ${frozen ? "as OGA_FROZEN" : "as OGA_INTEGRITY"}, naming the import and what to run`, async () => {
      const project = `changed-${frozen}`;
      const first = await resolver({}, project);
      await first.prefetch([parseSpecifier("oga:changing")]);
      await first.session.flush();
      const lockfile = path.join(site.base, project, "oga.lock.json");
      const lockText = await readFile(lockfile, "utf8");
      const pinned = JSON.parse(lockText).assets.changing.files["song.ogg"];
      site.replica.catalogue.setFileContent("changing", "song.ogg", Buffer.from("version TWO"));
      try {
        // Another machine: its own cache, the same lockfile.
        const other = await resolver({ frozen, cacheDir: path.join(site.base, project, "other-cache") }, project);
        const error = await failure(other.file("changing", "song.ogg", "oga:changing/song.ogg"), frozen ? "OGA_FROZEN" : "OGA_INTEGRITY");
        const what = `${pinned.url} changed upstream: the lockfile expects sha256 ${pinned.sha256} but the site now serves sha256`;
        if (frozen) {
          expect(error.message).toMatch(new RegExp(`^"oga:changing/song\\.ogg": ${escape(pinned.url)} no longer matches the sha256 in the frozen lockfile \\(${escape(what)} [0-9a-f]{64}\\.\\)\\. Run \`oga update changing\` locally and commit the lockfile\\.$`));
        } else {
          expect(error.message).toMatch(new RegExp(`^"oga:changing/song\\.ogg": ${escape(what)} [0-9a-f]{64}\\. Run \`oga update changing\` to accept the new version\\.$`));
        }
        // The store's generic advice is replaced, not repeated in the cause.
        expect(String((error.cause as Error | undefined)?.message ?? "")).not.toContain("oga update");
        await other.session.flush();
        expect(await readFile(lockfile, "utf8")).toBe(lockText);
      } finally {
        site.replica.catalogue.setFileContent("changing", "song.ogg", Buffer.from("version one"));
      }
    });
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
