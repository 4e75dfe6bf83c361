/**
 * The generated declarations under a real `tsc`, TypeScript 5 and 7, `skipLibCheck` true and
 * false, in a create-vite-shaped project whose tsconfig lists `vite/client` and
 * `vite-plugin-oga/client` (as the Quick start says). Every case is its own module, so each
 * diagnostic lands on the case that caused it: imports that must pass (new files, new zip
 * entries, new globs, new assets) and misspellings that must fail at the import.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDeclarations } from "../../src/project/declarations.js";
import type { Lockfile, LockedAsset, LockedFile } from "../../src/store/lockfile.js";
import { diagnosticsByFile, linkInstalledPackages, makeProject, tsc, TYPESCRIPT_VERSIONS } from "../plugin/helpers.js";

const file = (name: string, entries?: LockedFile["entries"]): [string, LockedFile] => [name, { url: `https://opengameart.org/sites/default/files/${name}`, size: 1, ...(entries && { entries }) }];
const entry = { size: 1, sha256: "0".repeat(64) };
const asset = (files: [string, LockedFile][]): LockedAsset => ({
  pageUrl: "https://opengameart.org/content/x",
  title: "x",
  author: { name: "a", url: null },
  licenses: ["CC0"],
  attribution: "",
  type: null,
  main: files[0]![0],
  files: Object.fromEntries(files),
});

/** What a project looks like after building the imports in `specifiers`. */
const LOCK: Lockfile = {
  version: 1,
  specifiers: [
    "oga:battle-theme-a/battleThemeA.mp3",
    "oga:retro-sfx-pack/jump.wav",
    "oga:dungeon-pack/tiles.zip/**/*.png",
    "oga:dungeon-pack/tiles.zip/png/*.png",
    "oga:dungeon-pack/tiles.zip/png/floor.png",
    "oga:imminent-threat/**/Track 1*.wav",
    "oga:imminent-threat/*.ogg",
    "oga:tiny-sprites",
  ],
  assets: {
    "battle-theme-a": asset([file("battleThemeA.mp3"), file("battleThemeA.ogg")]),
    "retro-sfx-pack": asset([file("jump.wav"), file("coin.wav"), file("explosion.wav")]),
    "dungeon-pack": asset([file("tiles.zip", { "png/floor.png": entry, "png/wall.png": entry }), file("extras.zip", { "bonus.zip": { ...entry, entries: { "coin.png": entry } } })]),
    "imminent-threat": asset([
      file("Imminent Threat Collection.zip", { "Imminent Threat/Track 1 - Intro.wav": entry }),
      file("imminent_threat_beat1.ogg"),
      file("imminent_threat_loop.ogg"),
    ]),
    "tiny-sprites": asset([file("hero_16.png"), file("hero_32.png"), file("boss_64x48.png")]),
  },
};

/** Modules that must type-check: each uses what it imports the way a game would. */
const PASS: Record<string, string> = {
  "asset": `import url, { files, meta } from "oga:tiny-sprites";\nexport const v: string = url + files["hero_16.png"] + meta.author.name;`,
  "locked-file": `import music from "oga:battle-theme-a/battleThemeA.mp3";\nexport const v: string = music;`,
  "file-never-imported": `import beat from "oga:imminent-threat/imminent_threat_beat1.ogg";\nexport const v: string = beat;`,
  "locked-glob-one-star": `import t from "oga:imminent-threat/*.ogg";\nexport const v: string = t["imminent_threat_loop.ogg"];`,
  "locked-glob-two-stars": `import t from "oga:imminent-threat/**/Track 1*.wav";\nexport const v: string = t["Imminent Threat Collection.zip/Imminent Threat/Track 1 - Intro.wav"];`,
  "locked-glob-in-zip": `import tiles from "oga:dungeon-pack/tiles.zip/png/*.png";\nexport const v: string = tiles["tiles.zip/png/wall.png"];`,
  "locked-glob-in-zip-two-stars": `import tiles from "oga:dungeon-pack/tiles.zip/**/*.png";\nexport const v: string = tiles["tiles.zip/png/floor.png"];`,
  "new-entry-at-zip-root": `import readme from "oga:dungeon-pack/tiles.zip/readme.txt";\nexport const v: string = readme;`,
  // Issue 13.1: the glob's pattern `oga:imminent-threat/*.wav` must not swallow a new entry.
  "new-zip-entry-beside-glob": `import t2 from "oga:imminent-threat/Imminent Threat Collection.zip/Imminent Threat/Track 2 - Alert.wav";\nexport const v: string = t2;`,
  "new-entry-under-glob-in-zip": `import door from "oga:dungeon-pack/tiles.zip/png/door.png";\nexport const v: string = door;`,
  "new-entry-nested-zip": `import gem from "oga:dungeon-pack/extras.zip/bonus.zip/gem.png";\nexport const v: string = gem;`,
  "new-glob-two-stars": `import all from "oga:imminent-threat/**/*.wav";\nexport const v: string[] = Object.values(all);`,
  "new-glob-star": `import sprites from "oga:tiny-sprites/*.png";\nexport const v: string = sprites["whatever.png"]!;`,
  "new-glob-literal-prefix": `import heroes from "oga:tiny-sprites/hero_*.png";\nexport const v: string[] = Object.values(heroes);`,
  "new-glob-braces": `import b from "oga:tiny-sprites/{hero,boss}_*.png";\nexport const v: string[] = Object.values(b);`,
  "new-glob-in-zip": `import tracks from "oga:imminent-threat/Imminent Threat Collection.zip/**/*.ogg";\nexport const v: string[] = Object.values(tracks);`,
  "new-asset": `import jump from "oga:dungeon-tileset";\nexport const v: string = jump;`,
  "new-asset-file": `import coin from "oga:dungeon-tileset/dungeon_tileset.png";\nexport const v: string = coin;`,
  "glob-over-formats": `import formats from "oga:battle-theme-a/battleThemeA.*";\nexport const v: string[] = Object.values(formats);`,
  "glob-over-formats-braces": `import formats from "oga:battle-theme-a/battleThemeA.{mp3,ogg}";\nexport const v: string[] = Object.values(formats);`,
  "credits": `import credits from "oga:credits";\nexport const v: string[] = credits.map((c) => c.text);`,
};

/** Modules that must fail, with the diagnostic code expected at the import. */
const FAIL: Record<string, { code: string; source: string }> = {
  "misspelt-extension": { code: "TS1192", source: `import bad from "oga:battle-theme-a/battleThemeA.wab";\nexport const v: string = bad;` },
  "misspelt-format": { code: "TS1192", source: `import bad from "oga:battle-theme-a/battleThemeA.wav";\nexport const v: string = bad;` },
  "misspelt-first-letter": { code: "TS1192", source: `import bad from "oga:retro-sfx-pack/Coin.wav";\nexport const v: string = bad;` },
  "misspelt-case": { code: "TS1192", source: `import bad from "oga:battle-theme-a/BattleThemeA.mp3";\nexport const v: string = bad;` },
  "misspelt-after-shared-part": { code: "TS1192", source: `import bad from "oga:tiny-sprites/boss_64x84.png";\nexport const v: string = bad;` },
  "misspelt-zip": { code: "TS1192", source: `import bad from "oga:imminent-threat/Imminent Threat Colection.zip";\nexport const v: string = bad;` },
  "misspelt-named-import": { code: "TS2305", source: `import { files } from "oga:battle-theme-a/battleThemeA.wav";\nexport const v: unknown = files;` },
  "misspelt-glob-key": { code: "TS2551", source: `import t from "oga:imminent-threat/*.ogg";\nexport const v: string = t["imminent_threat_beat3.ogg"];` },
  "misspelt-key-in-zip-glob": { code: "TS2551", source: `import tiles from "oga:dungeon-pack/tiles.zip/png/*.png";\nexport const v: string = tiles["tiles.zip/png/wal.png"];` },
  // A glob with several * inside a zip is also a `string` (its pattern matches new entries): a wrong key is an implicit any.
  "misspelt-key-in-zip-glob-two-stars": { code: "TS7015", source: `import tiles from "oga:dungeon-pack/tiles.zip/**/*.png";\nexport const v: string = tiles["tiles.zip/png/wal.png"];` },
};

let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const project = await makeProject("create-vite");
  root = project.root;
  cleanup = project.cleanup;
  await linkInstalledPackages(root);
  const tsconfig = JSON.parse(await readFile(path.join(root, "tsconfig.json"), "utf8").then(stripComments)) as { compilerOptions: Record<string, unknown> };
  tsconfig.compilerOptions.types = ["vite/client", "vite-plugin-oga/client"];
  // TypeScript 6 and later are strict unless told otherwise (create-vite's templates for 5 said
  // it): a misspelt record key is an error only then, on either version.
  tsconfig.compilerOptions.strict = true;
  await writeFile(path.join(root, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  await writeFile(path.join(root, "src/oga-env.d.ts"), generateDeclarations(LOCK));
  await mkdir(path.join(root, "src/cases"));
  for (const [name, source] of Object.entries(PASS)) await writeFile(path.join(root, `src/cases/pass-${name}.ts`), source + "\n");
  for (const [name, { source }] of Object.entries(FAIL)) await writeFile(path.join(root, `src/cases/fail-${name}.ts`), source + "\n");
});

afterAll(() => cleanup?.());

function stripComments(json: string): string {
  return json.replace(/\/\*[\s\S]*?\*\//g, "");
}

describe.each(TYPESCRIPT_VERSIONS.flatMap((version) => [true, false].map((skipLibCheck) => ({ version, skipLibCheck }))))(
  "TypeScript $version, skipLibCheck $skipLibCheck",
  ({ version, skipLibCheck }) => {
    let diagnostics: Map<string, string[]>;
    beforeAll(async () => {
      diagnostics = diagnosticsByFile((await tsc(root, { version, skipLibCheck })).output);
    }, 60_000);

    it("reports nothing in the generated file, client.d.ts or any module that must pass", () => {
      const unexpected = [...diagnostics].filter(([name]) => !name.startsWith("src/cases/fail-"));
      expect(unexpected).toEqual([]);
    });

    it.each(Object.entries(FAIL))("fails %s at the import with the expected code", (name, { code }) => {
      const found = diagnostics.get(`src/cases/fail-${name}.ts`) ?? [];
      expect(found.map((d) => d.slice(0, d.indexOf(":")))).toEqual([code]);
    });
  },
);
