import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFixture, FIXTURES, testOptions, tsc } from "./helpers.js";
import { useProject, useReplica } from "./hooks.js";

const GAME_TS = `import floor from "oga:dungeon-pack/tiles.zip/png/floor.png";
import tiles from "oga:dungeon-pack/tiles.zip/**/*.png";
import coin from "oga:dungeon-pack/extras.zip/bonus.zip/coin.png";

export const urls: string[] = [floor, coin, tiles["tiles.zip/png/wall.png"], tiles["tiles.zip/png/Sprites Ünïcödé/héros.png"]];
`;

const replica = useReplica();
const project = useProject("packs", "file");
const game = () => path.join(project.root, "src/game.ts");

beforeAll(async () => {
  await copyFile(path.join(FIXTURES, "typed/tsconfig.json"), path.join(project.root, "tsconfig.json"));
  await buildFixture("vite8", project.root, testOptions(project, replica.url));
}, 60_000);

describe("declarations for archive entries under a real tsc --noEmit", () => {
  it("declare each used entry as a module and list glob keys with the archive name", async () => {
    const dts = await readFile(path.join(project.root, "src/oga-env.d.ts"), "utf8");
    expect(dts).toContain('declare module "oga:dungeon-pack/tiles.zip/png/floor.png"');
    expect(dts).toContain('declare module "oga:dungeon-pack/extras.zip/bonus.zip/coin.png"');
    expect(dts).toContain('declare module "oga:dungeon-pack/tiles.zip/*.png"');
    expect(dts).toContain('readonly "tiles.zip/png/menú Ñandú.png": string;');
    expect(dts).not.toContain("__MACOSX");
  });

  it("accept correct entry keys and specifiers", async () => {
    await writeFile(game(), GAME_TS);
    const result = await tsc(project.root);
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  }, 60_000);

  it("reject a misspelled entry key", async () => {
    await writeFile(game(), GAME_TS.replace('tiles["tiles.zip/png/wall.png"]', 'tiles["tiles.zip/png/wal.png"]'));
    const result = await tsc(project.root);
    expect(result.ok).toBe(false);
    // The record is also a string (its pattern serves entries not listed yet): an implicit any.
    expect(result.output).toMatch(/^src\/game\.ts\(5,\d+\): error TS7015/m);
  }, 60_000);

  it("accept an entry no build has listed yet, as a string (the build checks that it exists)", async () => {
    await writeFile(game(), GAME_TS.replace("bonus.zip/coin.png", "bonus.zip/gem.png"));
    const result = await tsc(project.root);
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  }, 60_000);
});
