import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { SourceMapConsumer } from "source-map-js";
import { describe, expect, it } from "vitest";
import type { Credit } from "../../src/project/credits.js";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { buildCredits } from "./credits-build.js";
import { testOptions, type Bundler } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("game");

// The deeds as the pages link them (plain http for Creative Commons), not this package's table.
const CC0 = "http://creativecommons.org/publicdomain/zero/1.0/";
const BY3 = "http://creativecommons.org/licenses/by/3.0/";
const BY4 = "http://creativecommons.org/licenses/by/4.0/";
const SA3 = "http://creativecommons.org/licenses/by-sa/3.0/";
/** Pages and profiles are credited on the live site, though the replica (a mirror, to the plugin) served them. */
const SITE = "https://opengameart.org";

function credit(
  id: string,
  fields: Omit<Credit, "id" | "text" | "pageUrl" | "shareAlike" | "collaborators"> & { shareAlike?: boolean; collaborators?: Credit["collaborators"] },
): Credit {
  const pageUrl = `${SITE}/content/${id}`;
  const license = fields.licenseUrl ? `${fields.license} (${fields.licenseUrl})` : fields.license;
  const collaborators = fields.collaborators ?? [];
  const names = [fields.author, ...collaborators].map((p) => p.name);
  const by = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0];
  return {
    id,
    title: fields.title,
    pageUrl,
    author: fields.author,
    collaborators,
    license: fields.license,
    licenseUrl: fields.licenseUrl,
    spdx: fields.spdx,
    shareAlike: fields.shareAlike ?? false,
    licenses: fields.licenses,
    attribution: fields.attribution,
    text: `"${fields.title}" by ${by}, licensed ${license}, from ${pageUrl}`,
  };
}

/** The four assets the game fixture imports, under the default (most permissive) choice. */
function fixtureCredits(): Credit[] {
  return [
    credit("battle-theme-a", {
      title: "Battle Theme A",
      author: { name: "cynicmusic", url: `${SITE}/users/cynicmusic` },
      license: "CC0",
      licenseUrl: CC0,
      spdx: "CC0-1.0",
      licenses: ["CC0", "CC-BY 3.0"],
      attribution: "Credit: cynicmusic / link back to cynicmusic.com",
    }),
    credit("imminent-threat", {
      title: "Imminent Threat",
      author: { name: "Matthew Pablo", url: "http://www.matthewpablo.com/" },
      license: "CC-BY 3.0",
      licenseUrl: BY3,
      spdx: "CC-BY-3.0",
      licenses: ["CC-BY 3.0"],
      attribution: "Music by Matthew Pablo, http://www.matthewpablo.com",
    }),
    credit("retro-sfx-pack", {
      title: "Retro SFX Pack",
      author: { name: "Bart K.", url: `${SITE}/users/bart` },
      // Co-authors: a CC-BY credit that left them out would breach the license.
      collaborators: [
        { name: "Eliza Wyatt", url: `${SITE}/users/elizawy` },
        { name: "Kenney", url: `${SITE}/users/kenney` },
      ],
      license: "CC-BY 4.0",
      licenseUrl: BY4,
      spdx: "CC-BY-4.0",
      licenses: ["CC-BY 4.0"],
      attribution: "Sounds by Bart K.",
    }),
    // No attribution text on its page.
    credit("tiny-sprites", {
      title: "Tiny Sprites",
      author: { name: "Kenney", url: `${SITE}/users/kenney` },
      license: "CC0",
      licenseUrl: CC0,
      spdx: "CC0-1.0",
      licenses: ["CC0"],
      attribution: "",
    }),
  ];
}

/** The fixture's imports, with `oga:credits` imported first: the list must still be complete. */
async function writeMain(extra = "", globals = ""): Promise<void> {
  await writeFile(
    path.join(project.root, "src/main.js"),
    [
      `import credits from "oga:credits";`,
      `import music from "oga:battle-theme-a";`,
      `import { files as sprites } from "oga:tiny-sprites";`,
      `import jump from "oga:retro-sfx-pack/jump.wav";`,
      `import tracks from "oga:imminent-threat/*.ogg";`,
      extra,
      `globalThis.__oga = { ${globals}credits, used: [music, sprites, jump, tracks] };`,
      ``,
    ].join("\n"),
  );
}

const options = (extra: OgaPluginOptions = {}) => testOptions(project, replica.url, extra);

describe.each<Bundler>(["vite8", "vite7", "rollup"])("credits under %s", (bundler) => {
  it("oga:credits imported first lists every bundled asset; CREDITS.md and credits.json match", async () => {
    await writeMain();
    const out = await buildCredits(bundler, project.root, options());
    const expected = fixtureCredits();
    expect(out.values.credits).toEqual(expected);
    expect(JSON.parse(await out.read("credits.json"))).toEqual(expected);

    const md = await out.read("CREDITS.md");
    expect(md).toContain("# Credits\n\nThis project uses 4 assets from OpenGameArt.org.\n");
    expect(md).toContain(
      [
        "## Battle Theme A",
        "",
        `- Author: [cynicmusic](<${SITE}/users/cynicmusic>)`,
        `- License: [CC0](<${CC0}>) (also offered under CC-BY 3.0)`,
        `- Source: <${SITE}/content/battle-theme-a>`,
        "",
        "Attribution requested by the author:",
        "",
        "> Credit: cynicmusic / link back to cynicmusic.com",
        "",
      ].join("\n"),
    );
    // Stable order: by asset id.
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(["Battle Theme A", "Imminent Threat", "Retro SFX Pack", "Tiny Sprites"]);
    // An asset without attribution text gets no attribution block.
    const tiny = md.slice(md.indexOf("## Tiny Sprites"));
    expect(tiny).toBe(["## Tiny Sprites", "", `- Author: [Kenney](<${SITE}/users/kenney>)`, `- License: [CC0](<${CC0}>)`, `- Source: <${SITE}/content/tiny-sprites>`, ""].join("\n"));
    // Collaborators are credited beside the author.
    expect(md).toContain(
      [`- Author: [Bart K.](<${SITE}/users/bart>)`, `- Collaborators: [Eliza Wyatt](<${SITE}/users/elizawy>), [Kenney](<${SITE}/users/kenney>)`, `- License: [CC-BY 4.0](<${BY4}>)`].join("\n"),
    );
    // Nothing share-alike ships, so no summary line.
    expect(out.logs.filter((l) => l.includes("share-alike"))).toEqual([]);
  });

  it("the allow-list picks the first allowed license of each asset, in preference order", async () => {
    await writeMain();
    const out = await buildCredits(bundler, project.root, options({ licenses: ["cc-by-30", "CC-BY 4.0", "CC0"] }));
    const byId = new Map((out.values.credits as Credit[]).map((c) => [c.id, c]));
    // battle-theme-a is offered under CC0 and CC-BY 3.0; CC-BY 3.0 comes first in the list.
    expect(byId.get("battle-theme-a")).toMatchObject({ license: "CC-BY 3.0", licenseUrl: BY3, spdx: "CC-BY-3.0", licenses: ["CC0", "CC-BY 3.0"] });
    expect(byId.get("tiny-sprites")).toMatchObject({ license: "CC0" });
    expect(byId.get("retro-sfx-pack")).toMatchObject({ license: "CC-BY 4.0" });
    expect(await out.read("CREDITS.md")).toContain(`- License: [CC-BY 3.0](<${BY3}>) (also offered under CC0)`);
  });

  it("an asset with no allowed license fails the build, naming the asset, its licenses and the importer", async () => {
    await writeMain();
    const error = await buildCredits(bundler, project.root, options({ licenses: ["CC0", "CC-BY 4.0"] })).then(
      () => undefined,
      (e: unknown) => e as { message: string; code?: string; pluginCode?: string; errors?: { message: string; pluginCode?: string }[] },
    );
    expect(error).toBeDefined();
    const inner = error!.errors?.[0];
    expect(inner?.pluginCode ?? error!.pluginCode ?? error!.code).toBe("OGA_LICENSE");
    const text = [error!.message, ...(error!.errors ?? []).map((e) => e.message)].join("\n");
    expect(text).toContain(path.join("src", "main.js"));
    expect(text).toContain('"oga:imminent-threat/*.ogg"');
    expect(text).toContain('asset "imminent-threat" is offered under CC-BY 3.0; none of them is in the allowed licenses (CC0, CC-BY 4.0)');
  });

  it("after code splitting, the one oga:credits also lists the assets of a lazy chunk; share-alike is reported once", async () => {
    await writeFile(path.join(project.root, "src/level2.js"), `import tiles from "oga:dungeon-tileset/dungeon_tileset.png";\nexport { tiles };\n`);
    await writeMain(`const level2 = import("./level2.js").then((m) => m.tiles);`, "level2, ");
    const out = await buildCredits(bundler, project.root, options());
    expect(out.chunks).toHaveLength(2);
    const ids = (out.values.credits as Credit[]).map((c) => c.id);
    expect(ids).toEqual(["battle-theme-a", "dungeon-tileset", "imminent-threat", "retro-sfx-pack", "tiny-sprites"]);
    expect((out.values.credits as Credit[])[1]).toMatchObject({ license: "CC-BY-SA 3.0", licenseUrl: SA3, spdx: "CC-BY-SA-3.0", shareAlike: true, attribution: "Eliza Wyatt (elizawy) — please link to this page" });
    // The list is in exactly one chunk (the one holding oga:credits), not copied into the lazy one.
    const holding = [];
    for (const chunk of out.chunks) if ((await out.read(chunk)).includes("Dungeon Tileset")) holding.push(chunk);
    expect(holding).toEqual(["entry.js"]);
    expect(await (out.values.level2 as Promise<string>)).toMatch(/dungeon_tileset-[\w-]{8}\.png$/);
    expect(JSON.parse(await out.read("credits.json")).map((c: Credit) => c.id)).toEqual(ids);
    expect(out.logs.filter((l) => l.includes("share-alike"))).toEqual([
      expect.stringContaining("1 asset ships under a share-alike license: dungeon-tileset (CC-BY-SA 3.0)"),
    ]);
  });

  it("the source map stays right after the placeholder is replaced", async () => {
    await writeMain();
    // A statement with a side effect keeps its place after the list (a const would be hoisted).
    await writeFile(path.join(project.root, "src/main.js"), (await readFile(path.join(project.root, "src/main.js"), "utf8")) + `globalThis.__ogaMarker = "MARKER";\n`);
    const out = await buildCredits(bundler, project.root, options(), { sourcemap: true });
    const code = await out.read("entry.js");
    const consumer = new SourceMapConsumer(JSON.parse(await out.read("entry.js.map")));
    // The placeholder's replacement (the JSON list, some kB) comes before the last statement of
    // main.js; with Vite's minifier both are on one line, so a stale map would be off by columns.
    const listAt = code.indexOf("Tiny Sprites");
    const markerAt = code.indexOf("globalThis.__ogaMarker");
    expect(listAt).toBeGreaterThan(-1);
    expect(markerAt).toBeGreaterThan(listAt);
    const before = code.slice(0, markerAt).split("\n");
    const original = consumer.originalPositionFor({ line: before.length, column: before.at(-1)!.length });
    expect(original.source).toMatch(/src\/main\.js$/);
    const mainLines = (await readFile(path.join(project.root, "src/main.js"), "utf8")).split("\n");
    const line = mainLines.findIndex((l) => l.startsWith("globalThis.__ogaMarker"));
    expect({ line: original.line, column: original.column }).toEqual({ line: line + 1, column: 0 });
  });

  it("CREDITS.csv has the LPC columns and a row per shipped file; credits.json carries the SPDX ids", async () => {
    await writeMain();
    const out = await buildCredits(bundler, project.root, options({ credits: { fileName: ["CREDITS.csv", "credits.json"] } }));
    const page = (id: string) => `"${SITE}/content/${id}"`;
    const battle = `"Battle Theme A; also offered under CC-BY 3.0; attribution requested: Credit: cynicmusic / link back to cynicmusic.com","cynicmusic","CC0",${page("battle-theme-a")}`;
    const threat = `"Imminent Threat; attribution requested: Music by Matthew Pablo, http://www.matthewpablo.com","Matthew Pablo","CC-BY 3.0",${page("imminent-threat")}`;
    const sfx = `"Retro SFX Pack; attribution requested: Sounds by Bart K.","Bart K.,Eliza Wyatt,Kenney","CC-BY 4.0",${page("retro-sfx-pack")}`;
    const tiny = `"Tiny Sprites","Kenney","CC0",${page("tiny-sprites")}`;
    // Only the files the bundle holds: the default import's main file, the glob's matches, every
    // file of the `files` record; never the zip pack or the other files of an asset.
    expect(await out.read("CREDITS.csv")).toBe(
      [
        "filename,notes,authors,licenses,urls",
        `"battle-theme-a/battleThemeA.mp3",${battle}`,
        `"imminent-threat/imminent_threat_beat1.ogg",${threat}`,
        `"imminent-threat/imminent_threat_beat2.ogg",${threat}`,
        `"imminent-threat/imminent_threat_loop.ogg",${threat}`,
        `"retro-sfx-pack/jump.wav",${sfx}`,
        `"tiny-sprites/boss_64x48.png",${tiny}`,
        `"tiny-sprites/hero_16.png",${tiny}`,
        `"tiny-sprites/slime_32.png",${tiny}`,
        "",
      ].join("\r\n"),
    );
    expect(JSON.parse(await out.read("credits.json")).map((c: Credit) => [c.id, c.spdx])).toEqual([
      ["battle-theme-a", "CC0-1.0"],
      ["imminent-threat", "CC-BY-3.0"],
      ["retro-sfx-pack", "CC-BY-4.0"],
      ["tiny-sprites", "CC0-1.0"],
    ]);
  });

  it("credits files can be renamed, turned into text, or turned off; oga:credits works either way", async () => {
    await writeMain();
    const renamed = await buildCredits(bundler, project.root, options({ credits: { fileName: ["legal/credits.txt", "legal/list.json"] } }));
    expect(renamed.files.filter((f) => !f.endsWith(".js") && !f.startsWith("assets/"))).toEqual(["legal/credits.txt", "legal/list.json"]);
    expect(await renamed.read("legal/credits.txt")).toBe(fixtureCredits().map((c) => c.text + (c.attribution ? ` (${c.attribution})` : "") + "\n").join(""));
    expect(JSON.parse(await renamed.read("legal/list.json"))).toEqual(fixtureCredits());

    const off = await buildCredits(bundler, project.root, options({ credits: false }));
    expect(off.files.filter((f) => !f.endsWith(".js") && !f.startsWith("assets/"))).toEqual([]);
    expect(off.values.credits).toEqual(fixtureCredits());
  });
});

describe("credits are built from the lockfile", () => {
  it("a build offline from the lock and cache gives the same credits", async () => {
    await writeMain();
    const online = await buildCredits("vite8", project.root, options());
    replica.requests.reset();
    const offline = await buildCredits("vite8", project.root, options({ offline: true, frozen: true }));
    expect(replica.requests.count()).toBe(0);
    expect(offline.values.credits).toEqual(online.values.credits);
    expect(await offline.read("CREDITS.md")).toBe(await online.read("CREDITS.md"));
  });
});

describe.each<Bundler>(["vite8", "vite7", "rollup"])("%s: every file in the output is credited", (bundler) => {
  it("also one whose import tree-shaking dropped (the bundler emitted the file when it loaded)", async () => {
    await writeFile(path.join(project.root, "src/main.js"), `import credits from "oga:credits";\nimport unused from "oga:retro-sfx-pack/coin.wav";\nimport music from "oga:battle-theme-a";\nglobalThis.__oga = { credits, music };\n`);
    const out = await buildCredits(bundler, project.root, options());
    const ids = (out.values.credits as Credit[]).map((c) => c.id);
    const shipped = out.files.filter((f) => f.startsWith("assets/"));
    expect(shipped.map((f) => f.replace(/-[\w-]{8}\./, "."))).toEqual(["assets/battleThemeA.mp3", "assets/coin.wav"]);
    expect(ids).toEqual(["battle-theme-a", "retro-sfx-pack"]);
    // The shipped file has its row in CREDITS.csv too.
    const csv = await buildCredits(bundler, project.root, options({ credits: { fileName: "CREDITS.csv" } }));
    expect((await csv.read("CREDITS.csv")).split("\r\n").map((row) => row.split(",")[0])).toEqual([
      "filename",
      '"battle-theme-a/battleThemeA.mp3"',
      '"retro-sfx-pack/coin.wav"',
      "",
    ]);
  });
});

describe("credits of zip entries", () => {
  it.each<Bundler>(["vite7", "rollup"])("%s: an entry imported from an asset's zip pack credits the asset", async (bundler) => {
    await writeFile(
      path.join(project.root, "src/main.js"),
      `import credits from "oga:credits";\nimport beat from "oga:imminent-threat/Imminent Threat Collection.zip/Imminent Threat Collection/WAV/Imminent Threat Beat 1.wav";\nglobalThis.__oga = { credits, beat };\n`,
    );
    const out = await buildCredits(bundler, project.root, options({ credits: { fileName: "CREDITS.csv" } }));
    expect((out.values.credits as Credit[]).map((c) => c.id)).toEqual(["imminent-threat"]);
    // The row names the entry that ships, not the zip it came from.
    expect((await out.read("CREDITS.csv")).split("\r\n")[1]).toMatch(/^"imminent-threat\/Imminent Threat Collection\.zip\/Imminent Threat Collection\/WAV\/Imminent Threat Beat 1\.wav","Imminent Threat;/);
  });
});
