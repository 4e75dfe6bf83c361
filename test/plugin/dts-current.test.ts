/**
 * A build leaves the declarations alone when nothing they are made from changed (the lockfile's
 * specifiers and files, the generator), and regenerates them when an import, the lockfile, the
 * file itself or the cache changes: the record that lets a warm build skip the generator is only
 * trusted together with the bytes on disk.
 */
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateDeclarations } from "../../src/project/declarations.js";
import { readLockfile } from "../../src/store/lockfile.js";
import { buildFixture, testOptions, type Bundler } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("game");

const dtsOf = () => path.join(project.root, "src/oga-env.d.ts");
const main = (code: string) => writeFile(path.join(project.root, "src/main.js"), code);
const build = (bundler: Bundler = "vite8") => buildFixture(bundler, project.root, testOptions(project, replica.url));
/** What identifies one write of the file: a rename into place gives a new inode, a write a new mtime. */
const identity = async () => {
  const s = await stat(dtsOf(), { bigint: true });
  return `${s.ino}:${s.mtimeNs}:${s.ctimeNs}`;
};
/** The declarations the lockfile on disk calls for, from the generator itself. */
const expectedText = async () => generateDeclarations(await readLockfile(project.lockfile));

const ONE = `import music from "oga:battle-theme-a";\nglobalThis.__oga = { music };\n`;
const TWO = `import music from "oga:battle-theme-a";\nimport coin from "oga:retro-sfx-pack/coin.wav";\nglobalThis.__oga = { music, coin };\n`;

describe("declarations on a warm build", () => {
  it.each(["vite8", "vite7", "rollup"] as const)("%s: an unchanged build does not rewrite the file; a new import regenerates it", async (bundler) => {
    await main(ONE);
    await build(bundler);
    const first = await readFile(dtsOf(), "utf8");
    expect(first).toBe(await expectedText());
    const written = await identity();
    await build(bundler);
    expect(await identity()).toBe(written);

    await main(TWO);
    await build(bundler);
    const second = await readFile(dtsOf(), "utf8");
    expect(second).toContain('declare module "oga:retro-sfx-pack/coin.wav" {');
    expect(second).toBe(await expectedText());
  });

  it("a lockfile edited by hand (a file dropped from a locked asset) regenerates them", async () => {
    await main(ONE);
    await build();
    const lock = JSON.parse(await readFile(project.lockfile, "utf8")) as { assets: Record<string, { files: Record<string, unknown> }> };
    delete lock.assets["battle-theme-a"]!.files["battleThemeA.ogg"];
    await writeFile(project.lockfile, JSON.stringify(lock, null, 2) + "\n");
    await build();
    const text = await readFile(dtsOf(), "utf8");
    expect(text).toContain('declare module "oga:battle-theme-a/battleThemeA.mp3" {');
    expect(text).not.toContain("battleThemeA.ogg");
    expect(text).toBe(await expectedText());
  });

  it("an edited, an older or a deleted file is rewritten, though the lock did not change", async () => {
    await main(ONE);
    await build();
    const older = await readFile(dtsOf(), "utf8");
    await main(TWO);
    await build();
    const current = await readFile(dtsOf(), "utf8");
    expect(current).not.toBe(older);

    // A checkout of the file from before the second import.
    await writeFile(dtsOf(), older);
    await build();
    expect(await readFile(dtsOf(), "utf8")).toBe(current);

    await writeFile(dtsOf(), current.replace("const url: string;", "const url: number;"));
    await build();
    expect(await readFile(dtsOf(), "utf8")).toBe(current);

    await rm(dtsOf());
    await build();
    expect(await readFile(dtsOf(), "utf8")).toBe(current);
  });

  it("a cache emptied (records and all) or never written leaves them correct", async () => {
    await main(TWO);
    await build();
    const current = await readFile(dtsOf(), "utf8");
    await rm(project.cacheDir, { recursive: true, force: true });
    await writeFile(dtsOf(), current.replace('"oga:retro-sfx-pack/coin.wav"', '"oga:retro-sfx-pack/coin.wab"'));
    await build();
    expect(await readFile(dtsOf(), "utf8")).toBe(current);
    const written = await identity();
    await build();
    expect(await identity()).toBe(written);
  });
});
