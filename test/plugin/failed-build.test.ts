/**
 * A build that fails writes neither the lockfile nor the declarations; one that succeeds writes
 * both whole. Checked byte for byte on every file of the project (the output directory aside),
 * for a first build and for a build after a good one, under Vite 8, Vite 7 and Rollup.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readLockfile } from "../../src/store/lockfile.js";
import { buildFixture, listFiles, testOptions, type Bundler } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("game");

/** Every file of the project but the build output, with its bytes. */
async function projectFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const file of await listFiles(project.root)) {
    if (!file.startsWith("dist/")) files.set(file, await readFile(path.join(project.root, file), "latin1"));
  }
  return files;
}

const main = (code: string) => writeFile(path.join(project.root, "src/main.js"), code);

/** Ways a build fails, each after the plugin has done some work of its own. */
const FAILURES: [string, string, object?][] = [
  ["offline with an empty cache", `import music from "oga:battle-theme-a";\nglobalThis.__oga = { music };\n`, { offline: true }],
  ["a misspelt file of an asset described on the way", `import bad from "oga:battle-theme-a/battleThemeA.wab";\nglobalThis.__oga = { bad };\n`],
  ["a missing local module beside imports that resolved and downloaded", `import music from "oga:battle-theme-a";\nimport coin from "oga:retro-sfx-pack/coin.wav";\nimport nothing from "./missing.js";\nglobalThis.__oga = { music, coin, nothing };\n`],
];

describe.each<Bundler>(["vite8", "vite7", "rollup"])("%s", (bundler) => {
  it.each(FAILURES)("a first build failing on %s leaves the project exactly as it was", async (_what, code, extra = {}) => {
    await main(code);
    const before = await projectFiles();
    await expect(buildFixture(bundler, project.root, testOptions(project, replica.url, extra))).rejects.toThrow();
    expect(await projectFiles()).toEqual(before);
  });

  it.each(FAILURES)("after a good build, a build failing on %s leaves its lockfile and declarations as they were", async (_what, code, extra = {}) => {
    await main(`import theme from "oga:imminent-threat/*.ogg";\nglobalThis.__oga = { theme };\n`);
    await buildFixture(bundler, project.root, testOptions(project, replica.url));
    await main(code);
    const before = await projectFiles();
    expect([...before.keys()]).toEqual(expect.arrayContaining(["oga.lock.json", "src/oga-env.d.ts"]));
    await expect(buildFixture(bundler, project.root, testOptions(project, replica.url, extra))).rejects.toThrow();
    expect(await projectFiles()).toEqual(before);
  });

  it("a build that succeeds writes the lockfile with every used file pinned, and the declarations", async () => {
    await main(`import music from "oga:battle-theme-a";\nimport coin from "oga:retro-sfx-pack/coin.wav";\nglobalThis.__oga = { music, coin };\n`);
    await buildFixture(bundler, project.root, testOptions(project, replica.url));
    const lock = await readLockfile(project.lockfile);
    expect(lock.specifiers).toEqual(["oga:battle-theme-a", "oga:retro-sfx-pack/coin.wav"]);
    expect(lock.assets["battle-theme-a"]!.files["battleThemeA.mp3"]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(lock.assets["retro-sfx-pack"]!.files["coin.wav"]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const dts = await readFile(path.join(project.root, "src/oga-env.d.ts"), "utf8");
    expect(dts).toContain('declare module "oga:retro-sfx-pack/coin.wav" {');
  });
});
