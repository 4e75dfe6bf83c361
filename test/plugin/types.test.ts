import { copyFile, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFixture, testOptions, tsc } from "./helpers.js";
import { useProject, useReplica } from "./hooks.js";

const CLIENT_DTS = fileURLToPath(new URL("../../client.d.ts", import.meta.url));
const GAME_TS = `import music from "oga:battle-theme-a";
import { files, meta } from "oga:tiny-sprites";
import jump from "oga:retro-sfx-pack/jump.wav";
import tracks from "oga:imminent-threat/**/*.ogg";

export const urls: string[] = [music, files["hero_16.png"], files["boss_64x48.png"], jump, tracks["imminent_threat_loop.ogg"]];
export const credit: string = \`\${meta.title} by \${meta.author.name} (\${meta.licenses.join(" or ")})\`;
`;

const replica = useReplica();
const project = useProject("typed", "file");
const game = () => path.join(project.root, "src/game.ts");

beforeAll(async () => {
  await buildFixture("vite8", project.root, testOptions(project, replica.url));
}, 60_000);

describe("generated declarations under a real tsc --noEmit", () => {
  it("are written to src/oga-env.d.ts as the lock says, with the glob declared through a one-* pattern", async () => {
    const dts = await readFile(path.join(project.root, "src/oga-env.d.ts"), "utf8");
    const names = [...dts.matchAll(/^declare module "([^"]+)"/gm)].map((m) => m[1]!);
    // Every asset, file, zip entry and glob of the lock; the rest are the misspelling guards.
    const ZIP = "oga:imminent-threat/Imminent Threat Collection.zip";
    const modules = [...dts.matchAll(/^declare module "([^"]+)" \{$/gm)].map((m) => m[1]!);
    expect(modules).toEqual([
      "oga:battle-theme-a",
      "oga:battle-theme-a/battleThemeA.mp3",
      "oga:battle-theme-a/battleThemeA.ogg",
      "oga:imminent-threat",
      "oga:imminent-threat/*.ogg",
      ZIP,
      `${ZIP}/*`,
      `${ZIP}/Imminent Threat Collection/OGG/Imminent Threat Beat 1.ogg`,
      `${ZIP}/Imminent Threat Collection/OGG/Imminent Threat Beat 2.ogg`,
      `${ZIP}/Imminent Threat Collection/OGG/Loops/Imminent Threat Loop.ogg`,
      "oga:imminent-threat/imminent_threat_beat1.ogg",
      "oga:imminent-threat/imminent_threat_beat2.ogg",
      "oga:imminent-threat/imminent_threat_loop.ogg",
      "oga:retro-sfx-pack",
      "oga:retro-sfx-pack/coin.wav",
      "oga:retro-sfx-pack/explosion.wav",
      "oga:retro-sfx-pack/jump.wav",
      "oga:tiny-sprites",
      "oga:tiny-sprites/boss_64x48.png",
      "oga:tiny-sprites/hero_16.png",
      "oga:tiny-sprites/slime_32.png",
    ]);
    expect(names).toContain("oga:imminent-threat/*.ogg");
    expect(names.filter((n) => (n.match(/\*/g) ?? []).length > 1)).toEqual([]);
    expect(dts).not.toContain("\r");
  });

  it("accept correct names", async () => {
    await writeFile(game(), GAME_TS);
    const result = await tsc(project.root);
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  }, 60_000);

  it("reject a misspelled file name in a files record", async () => {
    await writeFile(game(), GAME_TS.replace('files["hero_16.png"]', 'files["hero_61.png"]'));
    const result = await tsc(project.root);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("hero_61.png");
  }, 60_000);

  it("reject a misspelled file specifier at the import, also with the oga:* fallback present", async () => {
    await writeFile(game(), GAME_TS.replace("oga:retro-sfx-pack/jump.wav", "oga:retro-sfx-pack/jupm.wav"));
    await copyFile(CLIENT_DTS, path.join(project.root, "src/client.d.ts"));
    const result = await tsc(project.root);
    await rm(path.join(project.root, "src/client.d.ts"));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/^src\/game\.ts\(3,\d+\): error TS1192: Module '"oga:retro-sfx-pack\/j\*"' has no default export\.$/m);
  }, 60_000);

  it("before the first build, the client fallback type-checks the same code", async () => {
    await rm(path.join(project.root, "src/oga-env.d.ts"));
    await writeFile(game(), GAME_TS);
    expect((await tsc(project.root)).ok).toBe(false);
    await copyFile(CLIENT_DTS, path.join(project.root, "src/client.d.ts"));
    const result = await tsc(project.root);
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  }, 60_000);
});
