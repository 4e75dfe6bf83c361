/**
 * A cold build's head start without a bundler: which folders are scanned (the entries', none
 * inside another, never the working directory for an entry that is no file), and what is fetched
 * ahead for the imports found there, through the replica over HTTP: an asset import's main file
 * only, a named file, a glob's files, each page and file once; nothing for `oga:credits`, a
 * malformed specifier, a source outside the entries' folders, a stopped scan, a frozen lockfile
 * that lacks the asset, or offline work.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { minimalAsset } from "../replica/index.js";
import { entryFolders, fetchAhead } from "../../src/project/fetch-ahead.js";
import { parseSpecifier } from "../../src/project/specifier.js";
import { useResolverSite } from "./resolver-harness.js";

const LONG = `${"a".repeat(300)}.wav`;
const site = useResolverSite("fetch-ahead", (replica) => {
  replica.catalogue.addAsset(minimalAsset("long-names", { files: [{ path: LONG, body: Buffer.alloc(10, 1) }, { path: "short.wav", body: Buffer.alloc(10, 2) }] }));
});

async function writeProject(project: string, files: Record<string, string>): Promise<string> {
  const root = path.join(site.base, project);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}

const requested = () => site.replica.requests.entries.map((r) => r.pathname).sort();

describe("entryFolders", () => {
  it("takes the folder of each entry that is a file, in every form of `input`, none inside another", async () => {
    const root = await writeProject("folders", { "src/main.js": "", "src/scenes/level.js": "", "tools/build.js": "", "index.html": "" });
    const at = (name: string) => path.join(root, name);
    expect(entryFolders(at("src/main.js"))).toEqual([at("src")]);
    expect(entryFolders([at("src/scenes/level.js"), at("src/main.js")])).toEqual([at("src")]);
    expect(entryFolders({ a: at("tools/build.js"), b: at("src/scenes/level.js") })).toEqual([at("src/scenes"), at("tools")]);
    expect(entryFolders([at("index.html")])).toEqual([root]);
    // A sibling whose name starts like the folder is not inside it.
    const sibling = await writeProject("folders", { "src2/x.js": "" });
    expect(entryFolders([at("src/main.js"), path.join(sibling, "src2/x.js")])).toEqual([at("src"), at("src2")]);
  });

  it("names no folder for an entry that is no file: a virtual module, a package name, a folder, nothing", () => {
    expect(entryFolders(["virtual:entry", "\0plugin-entry", "some-package", site.base])).toEqual([]);
    expect(entryFolders(undefined)).toEqual([]);
    expect(entryFolders(null)).toEqual([]);
    expect(entryFolders(42)).toEqual([]);
    expect(entryFolders([42, null, { nested: site.base }])).toEqual([]);
  });

  it("resolves a relative entry against the working directory, as Rollup does", async () => {
    await writeProject("relative", { "src/main.js": "" });
    const relative = path.relative(process.cwd(), path.join(site.base, "relative/src/main.js"));
    expect(entryFolders([relative])).toEqual([path.join(site.base, "relative/src")]);
  });
});

describe("fetchAhead", () => {
  const SOURCES = {
    "src/main.js": [
      `import music from "oga:battle-theme-a";`,
      `import coin from "oga:retro-sfx-pack/coin.wav";`,
      `import credits from "oga:credits";`,
      `import broken from "oga:";`,
      `import "./scenes/level.js";`,
    ].join("\n"),
    "src/scenes/level.js": `import sounds from "oga:retro-sfx-pack/j*.wav";\nimport again from "oga:battle-theme-a";\n`,
    "other/outside.js": `import sprites from "oga:tiny-sprites";\n`,
  };

  it("describes each asset once and fetches what the imports certainly use: the main file of an asset import, named files, a glob's files", async () => {
    const root = await writeProject("ahead", SOURCES);
    const { resolver } = await site.resolver({}, "ahead");
    site.replica.requests.reset();
    await fetchAhead(resolver, [path.join(root, "src/main.js")], new AbortController().signal);
    expect(requested()).toEqual([
      "/content/battle-theme-a",
      "/content/retro-sfx-pack",
      "/sites/default/files/battleThemeA.mp3",
      "/sites/default/files/coin.wav",
      "/sites/default/files/jump.wav",
    ]);
    // Pinned in the session, so the imports find them without a request.
    expect(resolver.session.asset("retro-sfx-pack")!.files["jump.wav"]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(resolver.session.asset("battle-theme-a")!.files["battleThemeA.ogg"]!.sha256).toBeUndefined();
    expect(resolver.session.asset("retro-sfx-pack")!.files["explosion.wav"]!.sha256).toBeUndefined();
    expect(resolver.session.asset("tiny-sprites")).toBeUndefined();
    site.replica.requests.reset();
    expect((await resolver.file("retro-sfx-pack", "jump.wav", "oga:retro-sfx-pack/jump.wav")).transfer).toBe("none");
    expect(requested()).toEqual([]);
  });

  it("asks nothing when stopped before it starts, offline, or frozen without the asset in the lockfile", async () => {
    const root = await writeProject("quiet", SOURCES);
    const entry = [path.join(root, "src/main.js")];
    site.replica.requests.reset();
    const stopped = new AbortController();
    stopped.abort();
    await fetchAhead((await site.resolver({}, "quiet")).resolver, entry, stopped.signal);
    await fetchAhead((await site.resolver({ offline: true }, "quiet")).resolver, entry, new AbortController().signal);
    await fetchAhead((await site.resolver({ frozen: true }, "quiet")).resolver, entry, new AbortController().signal);
    expect(requested()).toEqual([]);
  });

  it("leaves to the import what it would refuse or cannot fetch by name: oga:credits, a missing file, a zip path, a name no file system holds, an unpinned file under a frozen lockfile", async () => {
    const signal = new AbortController().signal;
    const { resolver, lockfile } = await site.resolver({}, "refused");
    await resolver.asset("retro-sfx-pack", "oga:retro-sfx-pack");
    await resolver.session.flush();
    site.replica.requests.reset();
    for (const specifier of ["oga:credits", "oga:retro-sfx-pack/missing.wav", "oga:retro-sfx-pack/sounds.zip/jump.wav", "oga:long-names/*.wav"]) {
      await expect(resolver.fetchAhead(parseSpecifier(specifier), signal), specifier).resolves.toBeUndefined();
    }
    // The glob's other file is fetched; the long name is left for the import to refuse.
    expect(requested()).toEqual(["/content/long-names", "/sites/default/files/short.wav"]);
    expect(resolver.session.asset("long-names")!.files[LONG]!.sha256).toBeUndefined();

    const frozen = (await site.resolver({ frozen: true, lockfile }, "refused")).resolver;
    site.replica.requests.reset();
    await frozen.fetchAhead(parseSpecifier("oga:retro-sfx-pack/coin.wav"), signal);
    expect(requested()).toEqual([]);
  });

  it("under a frozen lockfile, fetches what the lockfile pins (the CI case: a lockfile and an empty cache)", async () => {
    const { resolver, lockfile } = await site.resolver({}, "pinned");
    await resolver.file("retro-sfx-pack", "coin.wav", "oga:retro-sfx-pack/coin.wav");
    await resolver.session.flush();
    const ci = (await site.resolver({ frozen: true, lockfile, cacheDir: path.join(site.base, "pinned", "empty-cache") }, "pinned")).resolver;
    site.replica.requests.reset();
    await ci.fetchAhead(parseSpecifier("oga:retro-sfx-pack/coin.wav"), new AbortController().signal);
    expect(requested()).toEqual(["/sites/default/files/coin.wav"]);
  });
});
