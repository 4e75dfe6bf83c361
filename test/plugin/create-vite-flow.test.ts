/**
 * The first hour of a new user, in a create-vite vanilla-ts project (test/fixtures/create-vite),
 * following the README's Quick start word for word: its vite.config.ts, src/main.ts and tsconfig
 * line, then `npm run build` (`tsc && vite build`) after each step a game goes through: a first
 * import, a glob, a zip entry no build has listed yet, a second file. Each step must type-check
 * before the build that declares it, on TypeScript 5 and 7, and build with the config file as a
 * user has it, on Vite 8 and Vite 7. A misspelt file of a locked asset then fails `tsc`, and the
 * build that would fail on it leaves the project's files exactly as they were.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLockfile } from "../../src/store/lockfile.js";
import { readmeSnippet } from "../readme/snippets.js";
import { linkInstalledPackages, listFiles, makeProject, tsc, TYPESCRIPT_VERSIONS } from "./helpers.js";
import { useReplica } from "./hooks.js";

const replica = useReplica();

/** What each step adds to src/main.ts (used, since the template sets `noUnusedLocals`). */
const STEPS: { what: string; add: string; locks: (lock: Awaited<ReturnType<typeof readLockfile>>) => boolean }[] = [
  {
    what: "a glob of a new asset",
    add: `import beats from "oga:imminent-threat/**/*Beat*.ogg";\nconsole.log(Object.keys(beats));\n`,
    locks: (lock) => lock.specifiers.includes("oga:imminent-threat/**/*Beat*.ogg"),
  },
  {
    // Issue 13.1: the glob is declared as the pattern "oga:imminent-threat/*.ogg", which this matches too.
    what: "a zip entry of the same asset that no build has listed",
    add: `import loop from "oga:imminent-threat/Imminent Threat Collection.zip/Imminent Threat Collection/OGG/Loops/Imminent Threat Loop.ogg";\nconsole.log(new URL(loop, location.href).pathname);\n`,
    locks: (lock) => Object.keys(lock.assets["imminent-threat"]!.files["Imminent Threat Collection.zip"]!.entries ?? {}).includes("Imminent Threat Collection/OGG/Loops/Imminent Threat Loop.ogg"),
  },
  {
    what: "a second file of a locked asset",
    add: `import theme from "oga:battle-theme-a/battleThemeA.ogg";\nconsole.log(theme.length);\n`,
    locks: (lock) => typeof lock.assets["battle-theme-a"]!.files["battleThemeA.ogg"]!.sha256 === "string",
  },
];

describe.each(["vite8", "vite7"] as const)("a create-vite project on %s", (bundler) => {
  let root: string;
  let cleanup: () => Promise<void>;
  const saved = { OGA_URL: process.env.OGA_URL, OGA_CACHE_DIR: process.env.OGA_CACHE_DIR, OGA_FROZEN: process.env.OGA_FROZEN };

  beforeAll(async () => {
    const project = await makeProject("create-vite");
    ({ root, cleanup } = project);
    await linkInstalledPackages(root);
    // The Quick start's `oga()` takes no options: the environment points it at the replica, a
    // private cache, and lets it write the lockfile even when the tests run under CI.
    process.env.OGA_URL = replica.url;
    process.env.OGA_CACHE_DIR = project.cacheDir;
    process.env.OGA_FROZEN = "0";
    await writeFile(path.join(root, "vite.config.ts"), readmeSnippet("// vite.config.ts").code);
    await writeFile(path.join(root, "src/main.ts"), readmeSnippet("// src/main.ts").code);
    const tsconfig = JSON.parse((await readFile(path.join(root, "tsconfig.json"), "utf8")).replace(/\/\*[\s\S]*?\*\//g, "")) as { compilerOptions: Record<string, unknown> };
    const quickStart = JSON.parse(readmeSnippet("// tsconfig.json").code.replace(/^\/\/.*\n/, "")) as { compilerOptions: { types: string[] } };
    tsconfig.compilerOptions.types = quickStart.compilerOptions.types;
    await writeFile(path.join(root, "tsconfig.json"), JSON.stringify(tsconfig, null, 2) + "\n");
  });

  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await cleanup?.();
  });

  /** `vite build` with the project's own vite.config.ts, as `npm run build` runs it after `tsc`. */
  async function viteBuild(): Promise<void> {
    const { build } = bundler === "vite8" ? await import("vite") : ((await import("vite7")) as unknown as typeof import("vite"));
    await build({ root, configFile: path.join(root, "vite.config.ts"), logLevel: "silent" });
  }

  async function typeCheck(): Promise<void> {
    for (const version of TYPESCRIPT_VERSIONS) {
      const result = await tsc(root, { version });
      expect(result.output, `TypeScript ${version}`).toBe("");
      expect(result.ok).toBe(true);
    }
  }

  /** Every file of the project but the build output and node_modules, with its bytes. */
  async function projectFiles(): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    for (const file of await listFiles(root)) {
      if (!file.startsWith("dist/") && !file.startsWith("node_modules/")) files.set(file, await readFile(path.join(root, file), "latin1"));
    }
    return files;
  }

  it("the Quick start type-checks before the first build, then builds and writes the lockfile and declarations", async () => {
    await typeCheck();
    await viteBuild();
    const lock = await readLockfile(path.join(root, "oga.lock.json"));
    expect(lock.specifiers).toEqual(["oga:battle-theme-a"]);
    expect(await readFile(path.join(root, "src/oga-env.d.ts"), "utf8")).toContain('declare module "oga:battle-theme-a" {');
    const html = await readFile(path.join(root, "dist/index.html"), "utf8");
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[^"]+\.js"><\/script>/);
    expect((await listFiles(path.join(root, "dist/assets"))).some((f) => /^battleThemeA-.+\.mp3$/.test(f))).toBe(true);
  }, 60_000);

  it.each(STEPS)("adding $what passes tsc before its build, then builds", async ({ add, locks }) => {
    await writeFile(path.join(root, "src/main.ts"), (await readFile(path.join(root, "src/main.ts"), "utf8")) + add);
    await typeCheck();
    await viteBuild();
    expect(locks(await readLockfile(path.join(root, "oga.lock.json")))).toBe(true);
    await typeCheck();
  }, 60_000);

  it("a misspelt file of a locked asset fails tsc at the import, and its failed build changes no file", async () => {
    const good = await readFile(path.join(root, "src/main.ts"), "utf8");
    await writeFile(path.join(root, "src/main.ts"), good + `import typo from "oga:battle-theme-a/battleThemeA.wab";\nconsole.log(typo);\n`);
    const line = good.split("\n").length;
    for (const version of TYPESCRIPT_VERSIONS) {
      const result = await tsc(root, { version });
      expect(result.ok).toBe(false);
      expect(result.output.trim()).toBe(`src/main.ts(${line},8): error TS1192: Module '"oga:battle-theme-a/battleThemeA.w*"' has no default export.`);
    }
    const before = await projectFiles();
    await expect(viteBuild()).rejects.toThrow(/OGA_NO_FILE|has no file "battleThemeA\.wab"/);
    expect(await projectFiles()).toEqual(before);
    await writeFile(path.join(root, "src/main.ts"), good);
  }, 60_000);
});
