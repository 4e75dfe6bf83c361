/**
 * The dev server never shrinks the declarations file: with the lockfile gone (a new clone, a reset)
 * it has resolved only the imports served so far, and must not drop the committed declarations
 * of the others. A build writes exactly what the lock says.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateDeclarations, mergeDeclarations } from "../../src/project/declarations.js";
import { readLockfile } from "../../src/store/lockfile.js";
import { buildFixture, testOptions } from "./helpers.js";
import { useDevServer, useProject, useReplica } from "./hooks.js";

const replica = useReplica();
const project = useProject("game");
const dev = useDevServer();

/** The declarations of a lock holding battle-theme-a alone, as a build must write them. */
const EXPECTED_BATTLE_THEME_DTS = fileURLToPath(new URL("./expected/battle-theme-a.d.ts.txt", import.meta.url));

const dtsOf = () => path.join(project.root, "src/oga-env.d.ts");
const main = (code: string) => writeFile(path.join(project.root, "src/main.js"), code);

/** A committed d.ts declaring two assets (written by a build), then the lockfile deleted and main.js importing only one. */
async function committedTwoAssetsLockGone(): Promise<string> {
  await main(`import music from "oga:battle-theme-a";\nimport coin from "oga:retro-sfx-pack/coin.wav";\nglobalThis.__oga = { music, coin };\n`);
  await buildFixture("vite8", project.root, testOptions(project, replica.url));
  const committed = await readFile(dtsOf(), "utf8");
  expect(committed).toContain('declare module "oga:battle-theme-a" {');
  expect(committed).toContain('declare module "oga:retro-sfx-pack" {');
  expect(committed).toContain('declare module "oga:retro-sfx-pack/coin.wav" {');
  await rm(project.lockfile);
  await main(`import music from "oga:battle-theme-a";\nglobalThis.__oga = { music };\n`);
  return committed;
}

describe("declarations with the lockfile missing", () => {
  it("dev: resolving one import keeps every module the committed file declares", async () => {
    const committed = await committedTwoAssetsLockGone();
    await dev.start(project.root, testOptions(project, replica.url));
    const res = await fetch(dev.base + "/src/main.js");
    expect(res.status).toBe(200);
    const [assetModule] = [...(await res.text()).matchAll(/from\s+["']([^"']*oga:[^"']*)["']/g)].map((m) => m[1]!);
    expect((await fetch(dev.base + assetModule!)).status).toBe(200);
    // The batched flush wrote the new lockfile (one asset) and went through the declarations.
    await expect.poll(() => readFile(project.lockfile, "utf8").catch(() => ""), { timeout: 5000 }).toContain('"battle-theme-a"');
    const lock = await readLockfile(project.lockfile);
    expect(Object.keys(lock.assets)).toEqual(["battle-theme-a"]);
    // Closing the server flushes again (buildEnd), after the batched flush above: flushes are
    // serialised, so once it resolves both went through the declarations, and nothing was dropped.
    await dev.server.close();
    expect(await readFile(dtsOf(), "utf8")).toBe(committed);
  });

  it("build: writes exactly the lock's set", async () => {
    await committedTwoAssetsLockGone();
    await buildFixture("vite8", project.root, testOptions(project, replica.url));
    const text = await readFile(dtsOf(), "utf8");
    // The whole text, written out (the header, the asset, its two files, a type error for every
    // other name under battleThemeA.), not computed by the generator under test.
    expect(text).toBe(await readFile(EXPECTED_BATTLE_THEME_DTS, "utf8"));
    expect(text).toContain('declare module "oga:battle-theme-a" {');
    expect(text).not.toContain("oga:retro-sfx-pack");
  });
});

describe("mergeDeclarations", () => {
  const lockWith = (ids: Record<string, string[]>) => ({
    version: 1,
    specifiers: Object.keys(ids).map((id) => `oga:${id}`),
    assets: Object.fromEntries(
      Object.entries(ids).map(([id, files]) => [
        id,
        {
          pageUrl: `https://opengameart.org/content/${id}`,
          title: id,
          author: { name: "a", url: null },
          licenses: ["CC0"],
          attribution: "",
          type: null,
          main: files[0] ?? null,
          files: Object.fromEntries(files.map((f) => [f, { url: `https://x/${f}`, size: 1 }])),
        },
      ]),
    ),
  });

  it("keeps the modules only the file on disk declares; the new text wins for the same name; output is what a lock of the union generates", () => {
    const disk = generateDeclarations(lockWith({ a: ["one.png"], b: ["two.png"] }));
    const next = generateDeclarations(lockWith({ a: ["one.png", "three.png"], c: ["x.ogg"] }));
    const merged = mergeDeclarations(disk, next);
    expect(merged).toBe(generateDeclarations(lockWith({ a: ["one.png", "three.png"], b: ["two.png"], c: ["x.ogg"] })));
    expect(mergeDeclarations(merged, next)).toBe(merged);
    // CRLF on disk (a Windows checkout) still parses; a file not in our format adds nothing.
    expect(mergeDeclarations(disk.replace(/\n/g, "\r\n"), next)).toBe(merged);
    expect(mergeDeclarations("// hand-written\n", next)).toBe(next);
  });
});
