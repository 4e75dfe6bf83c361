/**
 * Every fenced block of README.md is tried, in a create-vite-shaped project
 * (test/fixtures/create-vite, create-vite 8's vanilla-ts template) against the replica, or named
 * here with the reason it cannot be: a new snippet without a trial fails this test. Modules go
 * through `tsc` and a Vite 8 build with the Quick start's config, option snippets are evaluated,
 * the Rollup config builds, the generated-declarations sample is compared with what the build
 * wrote, the CI recipe runs as a fresh CI machine would, and the error sample is the error.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingImportsError } from "../../src/project/missing-imports.js";
import { OgaError } from "../../src/errors.js";
import { BIN, ROOT } from "../cli/run-oga.js";
import { linkInstalledPackages, listFiles, makeProject, tsc } from "../plugin/helpers.js";
import { useReplica } from "../plugin/hooks.js";
import { readmeSnippets, type Snippet } from "./snippets.js";

const replica = useReplica();
const snippets = readmeSnippets();

/** How each snippet is tried, by its first line (or its language): a module, an options call, … */
type Trial =
  | { kind: "module" }
  | { kind: "stylesheet" }
  | { kind: "quick-start"; file: string }
  | { kind: "options" }
  | { kind: "type-check-only"; why: string }
  | { kind: "rollup-config" }
  | { kind: "generated-declarations" }
  | { kind: "ci-recipe" }
  | { kind: "missing-imports-sample" }
  | { kind: "not-tried"; why: string };

function trialOf(snippet: Snippet): Trial {
  const first = snippet.code.split("\n")[0]!;
  if (first === "// vite.config.ts") return { kind: "quick-start", file: "vite.config.ts" };
  if (first === "// src/main.ts") return { kind: "quick-start", file: "src/main.ts" };
  if (first === "// tsconfig.json") return { kind: "quick-start", file: "tsconfig.json" };
  if (first === "// rollup.config.js") return { kind: "rollup-config" };
  if (first.startsWith("// src/oga-env.d.ts")) return { kind: "generated-declarations" };
  if (first.startsWith('import { createClient } from "vite-plugin-oga"')) return { kind: "type-check-only", why: "it describes, downloads and searches on opengameart.org itself (the client reads no OGA_URL); test/client.test.ts runs the same calls against the replica" };
  if (snippet.lang === "css") return { kind: "stylesheet" };
  if (snippet.lang === "ts" && first.startsWith("oga(")) return { kind: "options" };
  if (snippet.lang === "ts" && /\boga:/.test(snippet.code)) return { kind: "module" };
  if (first === "npm i -D vite-plugin-oga") return { kind: "not-tried", why: "the project gets the package the way npm would lay it out (linkInstalledPackages); the registry is not reached from tests" };
  if (snippet.lang === "sh" && snippet.code.includes("npx oga prefetch")) return { kind: "ci-recipe" };
  if (first.startsWith("npx oga mirror")) return { kind: "not-tried", why: "serving a mirror needs a static server and a host name; test/cli/mirror.test.ts builds from a mirror" };
  if (first.startsWith("oga credits")) return { kind: "not-tried", why: "needs jq; test/cli/credits.test.ts runs oga credits with every format and --license" };
  if (first.startsWith("oga describe")) return { kind: "not-tried", why: "examples against opengameart.org itself; test/cli/*.test.ts run every command against the replica" };
  if (first === "npm ci" || first.startsWith("npm run replica")) return { kind: "not-tried", why: "commands of this repository's own development, run by .ci/run" };
  if (snippet.lang === "csv") return { kind: "not-tried", why: "a sample of CREDITS.csv; test/plugin/credits.test.ts and test/cli/credits.test.ts check the rows a build and `oga credits --format csv` write" };
  if (snippet.lang === "" && first.includes("imports not in the cache")) return { kind: "missing-imports-sample" };
  if (snippet.lang === "") return { kind: "not-tried", why: "a sample of output; the tests of its feature check the text" };
  throw new Error(`README.md line ${snippet.line}: no trial for this snippet; add one to test/readme/readme-snippets.test.ts`);
}

/** The names a module snippet binds at its top level, so that using them keeps `noUnusedLocals` quiet. */
function bindings(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/^import\s+([A-Za-z_$][\w$]*)?\s*,?\s*(?:\{([^}]*)\})?\s*from/gm)) {
    if (m[1]) names.add(m[1]);
    for (const part of (m[2] ?? "").split(",")) if (part.trim()) names.add(part.trim().split(/\s+as\s+/).at(-1)!);
  }
  for (const m of code.matchAll(/^(?:const|let)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  return [...names];
}

const tried = snippets.map((snippet) => ({ snippet, trial: trialOf(snippet) }));
const ofKind = <K extends Trial["kind"]>(kind: K) => tried.filter((t): t is { snippet: Snippet; trial: Extract<Trial, { kind: K }> } => t.trial.kind === kind);

let root: string;
let cacheDir: string;
let cleanup: () => Promise<void>;
const saved = { OGA_URL: process.env.OGA_URL, OGA_CACHE_DIR: process.env.OGA_CACHE_DIR, OGA_FROZEN: process.env.OGA_FROZEN, CI: process.env.CI };

beforeAll(async () => {
  const project = await makeProject("create-vite");
  ({ root, cacheDir, cleanup } = project);
  await linkInstalledPackages(root);
  process.env.OGA_URL = replica.url;
  process.env.OGA_CACHE_DIR = cacheDir;
  process.env.OGA_FROZEN = "0";
  delete process.env.CI;
  for (const { snippet, trial } of ofKind("quick-start")) {
    if (trial.file !== "tsconfig.json") {
      await writeFile(path.join(root, trial.file), snippet.code);
      continue;
    }
    const tsconfig = JSON.parse((await readFile(path.join(root, "tsconfig.json"), "utf8")).replace(/\/\*[\s\S]*?\*\//g, "")) as { compilerOptions: Record<string, unknown> };
    Object.assign(tsconfig.compilerOptions, (JSON.parse(snippet.code.replace(/^\/\/.*\n/, "")) as { compilerOptions: object }).compilerOptions);
    await writeFile(path.join(root, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  }
  // Every module and stylesheet snippet is a file of the game, imported by the Quick start's main.ts.
  await mkdir(path.join(root, "src/readme"));
  const imports: string[] = [];
  for (const { snippet } of ofKind("module")) {
    const file = `snippet-${snippet.line}.ts`;
    await writeFile(path.join(root, "src/readme", file), `${snippet.code}\nexport { ${bindings(snippet.code).join(", ")} };\n`);
    imports.push(`import "./readme/${file}";`);
  }
  for (const { snippet } of ofKind("stylesheet")) {
    await writeFile(path.join(root, `src/readme/snippet-${snippet.line}.css`), snippet.code);
    imports.push(`import "./readme/snippet-${snippet.line}.css";`);
  }
  for (const { snippet } of ofKind("type-check-only")) await writeFile(path.join(root, `src/readme/snippet-${snippet.line}.ts`), snippet.code);
  const main = path.join(root, "src/main.ts");
  await writeFile(main, (await readFile(main, "utf8")) + imports.join("\n") + "\n");
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await cleanup?.();
});

describe("README.md snippets", () => {
  it("each has a trial, or a reason it has none", () => {
    expect(tried.length).toBeGreaterThan(10);
    for (const { trial } of ofKind("not-tried")) expect(trial.why.length).toBeGreaterThan(20);
  });

  it("the modules, the stylesheet and the Quick start type-check before the first build, then build with the Quick start's vite.config.ts", async () => {
    const before = await tsc(root);
    expect(before.output).toBe("");
    const { build } = await import("vite");
    await build({ root, configFile: path.join(root, "vite.config.ts"), logLevel: "silent" });
    const built = await listFiles(path.join(root, "dist/assets"));
    // The modules' files are in the bundle; small images are inlined, as Vite does with local files.
    for (const name of ["battleThemeA", "Imminent Threat Beat 1"]) expect(built.some((f) => f.startsWith(`${name}-`)), name).toBe(true);
    const css = await readFile(path.join(root, "dist/assets", built.find((f) => f.endsWith(".css"))!), "utf8");
    expect(css).toMatch(/\.boss\{background:url\((data:image\/png;base64,|\/assets\/boss_64x48-)/);
    const after = await tsc(root);
    expect(after.output).toBe("");
  }, 120_000);

  it("the generated declarations sample is what the build wrote, block for block", async () => {
    const written = await readFile(path.join(root, "src/oga-env.d.ts"), "utf8");
    for (const { snippet } of ofKind("generated-declarations")) {
      const blocks = snippet.code.split("\n").slice(1).join("\n").trim().split("\n\n");
      for (const block of blocks) expect(written).toContain(`${block}\n`);
    }
  });

  it("the option snippets create the plugin without an error", async () => {
    const { default: oga } = (await import(pathToFileURL(path.join(ROOT, "dist/index.js")).href)) as { default: (options?: object) => { name: string } };
    for (const { snippet } of ofKind("options")) {
      const plugins: { name: string }[] = [];
      new Function("oga", snippet.code)((options?: object) => plugins.push(oga(options)));
      expect(plugins.length).toBe(snippet.code.match(/^oga\(/gm)!.length);
      for (const plugin of plugins) expect(plugin.name).toBe("vite-plugin-oga");
    }
  });

  it("the Rollup config builds", async () => {
    const { snippet } = ofKind("rollup-config")[0]!;
    await writeFile(path.join(root, "rollup.config.js"), snippet.code);
    const first = ofKind("module")[0]!.snippet;
    await writeFile(path.join(root, "src/main.js"), first.code.replace(/^import credits.*\n/m, "") + `globalThis.__readme = { music, files, meta, hit, tracks };\n`);
    const { rollup } = await import("rollup");
    // Rollup runs in the project's folder: the plugin, knowing no root, puts the lockfile there.
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const { default: config } = (await import(pathToFileURL(path.join(root, "rollup.config.js")).href)) as { default: import("rollup").RollupOptions & { output: import("rollup").OutputOptions & { dir: string } } };
      const bundle = await rollup({ ...config, onwarn: () => undefined });
      await bundle.write(config.output);
      await bundle.close();
    } finally {
      process.chdir(cwd);
    }
    expect((await listFiles(path.join(root, "dist"))).some((f) => /battleThemeA.*\.mp3$/.test(f))).toBe(true);
    expect(JSON.parse(await readFile(path.join(root, "oga.lock.json"), "utf8")).specifiers).toContain("oga:battle-theme-a/battleThemeA.mp3");
  }, 60_000);

  it("the CI recipe runs on a fresh machine: prefetch, sync, tsc, a frozen vite build", async () => {
    const { snippet } = ofKind("ci-recipe")[0]!;
    const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", OGA_CACHE_DIR: `${cacheDir}-ci`, OGA_URL: replica.url };
    delete env.OGA_FROZEN;
    for (const line of snippet.code.split("\n").map((l) => l.replace(/#.*$/, "").trim()).filter(Boolean)) {
      const [command, ...args] = line.split(/\s+/);
      expect(command).toBe(line.startsWith("npm") ? "npm" : "npx");
      if (line === "npm ci") continue; // the project's packages are linked (see "npm i -D")
      const tool = args[0]!;
      const run = promisify(execFile);
      if (tool === "oga") await run(process.execPath, [BIN, ...args.slice(1)], { cwd: root, env });
      else if (tool === "tsc") expect((await tsc(root)).output).toBe("");
      else if (tool === "vite") {
        const { build } = await import("vite");
        process.env.CI = "true";
        process.env.OGA_CACHE_DIR = env.OGA_CACHE_DIR;
        delete process.env.OGA_FROZEN;
        await build({ root, configFile: path.join(root, "vite.config.ts"), logLevel: "silent" });
      } else throw new Error(`the CI recipe runs ${line}: add it here`);
    }
  }, 120_000);

  it("the error sample is the error an offline build gives for those imports", () => {
    const { snippet } = ofKind("missing-imports-sample")[0]!;
    const lines = snippet.code.trimEnd().split("\n");
    const missing = lines.slice(1, -1).map((line) => {
      const [, where, specifier] = /^ {2}(.+): "(.+)"$/.exec(line)!;
      return { where: where!, specifier: specifier!, error: new OgaError("OGA_OFFLINE", "not cached") };
    });
    expect(`[plugin vite-plugin-oga] ${missingImportsError(missing).message}`).toBe(snippet.code.trimEnd());
  });
});
