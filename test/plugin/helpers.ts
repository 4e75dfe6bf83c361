import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { ogaPlugin } from "../../src/plugin/index.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const TSC = fileURLToPath(new URL("../../node_modules/.bin/tsc", import.meta.url));

/** A fresh copy of `test/fixtures/<name>` plus a private cache dir, both under os.tmpdir(). */
export async function makeProject(name: string): Promise<{ root: string; cacheDir: string; lockfile: string; cleanup(): Promise<void> }> {
  const base = await mkdtemp(path.join(os.tmpdir(), `oga-${name}-`));
  const root = path.join(base, "project");
  await cp(path.join(FIXTURES, name), root, { recursive: true });
  return {
    root,
    cacheDir: path.join(base, "cache"),
    lockfile: path.join(root, "oga.lock.json"),
    cleanup: () => rm(base, { recursive: true, force: true, maxRetries: 5 }),
  };
}

/** Plugin options for a test: replica URL, private cache, and never frozen by the CI variable. */
export function testOptions(project: { root: string; cacheDir: string; lockfile: string }, url: string, extra: OgaPluginOptions = {}): OgaPluginOptions {
  // Absolute lockfile and dts paths: plain Rollup has no root and would use process.cwd().
  return { url, cacheDir: project.cacheDir, lockfile: project.lockfile, dts: path.join(project.root, "src/oga-env.d.ts"), frozen: false, ...extra };
}

export type Bundler = "vite8" | "vite7" | "rollup";

export interface BuildResult {
  outDir: string;
  /** Emitted asset files (relative to outDir), sorted. */
  assets: string[];
  /** What the fixture's main.js put on `globalThis.__oga`. */
  values: Record<string, unknown>;
}

let run = 0;

/** Builds `<root>/src/main.js` with a real bundler, writes to `<root>/dist`, and evaluates the entry chunk. */
export async function buildFixture(
  bundler: Bundler,
  root: string,
  options: OgaPluginOptions,
  config: { base?: string; assetsInlineLimit?: number; plugins?: object[] } = {},
): Promise<BuildResult> {
  const outDir = path.join(root, "dist");
  await rm(outDir, { recursive: true, force: true });
  const input = path.join(root, "src/main.js");
  if (bundler === "rollup") {
    const { rollup } = await import("rollup");
    const bundle = await rollup({ input, plugins: [ogaPlugin(options) as never, ...((config.plugins ?? []) as never[])], onwarn: () => undefined, logLevel: "silent" });
    await bundle.write({ dir: outDir, format: "es", assetFileNames: "assets/[name]-[hash][extname]" });
    await bundle.close();
  } else {
    const { build } = bundler === "vite8" ? await import("vite") : ((await import("vite7")) as unknown as typeof import("vite"));
    await build({
      root,
      configFile: false,
      logLevel: "silent",
      base: config.base ?? "/",
      plugins: [ogaPlugin(options) as never, ...((config.plugins ?? []) as never[])],
      build: {
        outDir,
        emptyOutDir: true,
        assetsInlineLimit: config.assetsInlineLimit ?? 0,
        modulePreload: false,
        rollupOptions: { input },
      },
    });
  }
  const all = await listFiles(outDir);
  const entry = all.find((f) => f.endsWith(".js") && !f.includes("assets/") ) ?? all.find((f) => f.endsWith(".js"));
  if (!entry) throw new Error(`no JS chunk in ${outDir}: ${all.join(", ")}`);
  const g = globalThis as { __oga?: Record<string, unknown> };
  delete g.__oga;
  await import(pathToFileURL(path.join(outDir, entry)).href + `?run=${run++}`);
  return { outDir, assets: all.filter((f) => !f.endsWith(".js")), values: g.__oga ?? {} };
}

/** Every file under `dir` (none when it is missing), as sorted paths relative to it with "/" between segments. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** The bytes a built URL points at: a data: URL, a file: URL, or a path under `base`. */
export async function bytesOf(url: string, outDir: string, base = "/"): Promise<Buffer> {
  if (url.startsWith("data:")) {
    const comma = url.indexOf(",");
    const meta = url.slice(0, comma);
    const data = url.slice(comma + 1);
    return meta.endsWith(";base64") ? Buffer.from(data, "base64") : Buffer.from(decodeURIComponent(data));
  }
  if (url.startsWith("file:")) return readFile(fileURLToPath(url));
  if (!url.startsWith(base)) throw new Error(`${url} does not start with base ${base}`);
  return readFile(path.join(outDir, url.slice(base.length)));
}

/** The bytes the replica serves for an asset's file. */
export async function replicaBytes(replica: { catalogue: { findFile(slug: string, name: string): { open(): unknown } | undefined } }, slug: string, name: string): Promise<Buffer> {
  const body = replica.catalogue.findFile(slug, name)?.open();
  if (body === undefined) throw new Error(`replica has no ${slug}/${name}`);
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The two TypeScripts the tests type-check with: 7 (the repository's own) and 5 (`typescript5`). */
export type TypeScriptVersion = 5 | 7;
export const TYPESCRIPT_VERSIONS: readonly TypeScriptVersion[] = [5, 7];
const TSC_BIN: Record<TypeScriptVersion, string> = {
  5: fileURLToPath(new URL("../../node_modules/typescript5/bin/tsc", import.meta.url)),
  7: TSC,
};

/**
 * Type-checks the project at `root` (`tsc -p root`) with TypeScript 7 unless told otherwise, and
 * `skipLibCheck` as its tsconfig says unless overridden: whether it passed, and its diagnostics.
 */
export async function tsc(root: string, { version = 7, skipLibCheck }: { version?: TypeScriptVersion; skipLibCheck?: boolean } = {}): Promise<{ ok: boolean; output: string }> {
  const args = ["-p", root, "--pretty", "false", ...(skipLibCheck === undefined ? [] : ["--skipLibCheck", String(skipLibCheck)])];
  try {
    const { stdout } = await promisify(execFile)(TSC_BIN[version], args, { cwd: root });
    return { ok: true, output: stdout };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** `tsc` diagnostics by file (relative to the project, `/` separators): `{ "src/a.ts": ["TS1192 …"] }`. */
export function diagnosticsByFile(output: string): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const line of output.split("\n")) {
    const match = /^(.+?)\(\d+,\d+\): error (TS\d+: .*)$/.exec(line.trim());
    if (!match) continue;
    const file = match[1]!.replace(/\\/g, "/");
    byFile.set(file, [...(byFile.get(file) ?? []), match[2]!]);
  }
  return byFile;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Links what `npm i -D vite vite-plugin-oga` would install into `root/node_modules`: this
 * repository's Vite and the package itself (its `exports`, so `vite-plugin-oga/client` resolves
 * as it would for a user).
 */
export async function linkInstalledPackages(root: string): Promise<void> {
  await mkdir(path.join(root, "node_modules"), { recursive: true });
  await symlink(path.join(REPO_ROOT, "node_modules/vite"), path.join(root, "node_modules/vite"), "dir");
  await symlink(REPO_ROOT, path.join(root, "node_modules/vite-plugin-oga"), "dir");
}

/**
 * Builds `project` with a `src/main.js` that imports only `specifier`, expecting the build to
 * fail; returns the plugin error's code and every message text. Vite 8 wraps plugin errors in
 * "Build failed with N errors" and keeps them in `errors`.
 */
export async function buildFailure(
  bundler: Bundler,
  project: { root: string; cacheDir: string; lockfile: string },
  url: string,
  specifier: string,
  extra: OgaPluginOptions = {},
): Promise<{ code: string; text: string }> {
  await writeFile(path.join(project.root, "src/main.js"), `import x from ${JSON.stringify(specifier)};\nglobalThis.__oga = { x };\n`);
  try {
    await buildFixture(bundler, project.root, testOptions(project, url, extra));
  } catch (error) {
    const e = error as { message: string; code?: string; pluginCode?: string; errors?: { message: string; pluginCode?: string; code?: string }[] };
    const inner = e.errors?.[0];
    return { code: inner?.pluginCode ?? inner?.code ?? e.pluginCode ?? e.code ?? "", text: [e.message, ...(e.errors ?? []).map((i) => i.message)].join("\n") };
  }
  throw new Error(`building ${specifier} did not fail`);
}
