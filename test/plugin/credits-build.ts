/**
 * Builds for the credits tests: like `buildFixture`, plus fixed entry and chunk names (so a test
 * can tell the entry from a lazy chunk), optional source maps, and the plugin's log lines.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { ogaPlugin } from "../../src/plugin/index.js";
import { listFiles, type Bundler } from "./helpers.js";

export interface CreditsBuildResult {
  outDir: string;
  /** Every written file (relative to outDir), sorted. */
  files: string[];
  /** JS chunks (relative to outDir). */
  chunks: string[];
  /** What the entry put on `globalThis.__oga`. */
  values: Record<string, unknown>;
  /** Lines the plugin logged (Vite's logger, or Rollup's `info`). */
  logs: string[];
  read(file: string): Promise<string>;
}

let run = 0;

export async function buildCredits(bundler: Bundler, root: string, options: OgaPluginOptions, config: { sourcemap?: boolean } = {}): Promise<CreditsBuildResult> {
  const outDir = path.join(root, "dist");
  await rm(outDir, { recursive: true, force: true });
  const input = path.join(root, "src/main.js");
  const output = { entryFileNames: "entry.js", chunkFileNames: "chunks/[name]-[hash].js", assetFileNames: "assets/[name]-[hash][extname]" };
  const logs: string[] = [];
  if (bundler === "rollup") {
    const { rollup } = await import("rollup");
    const bundle = await rollup({
      input,
      plugins: [ogaPlugin(options) as never],
      onLog: (level, log) => {
        if (level === "info" && log.plugin === "vite-plugin-oga") logs.push(log.message);
      },
    });
    await bundle.write({ dir: outDir, format: "es", sourcemap: config.sourcemap ?? false, ...output });
    await bundle.close();
  } else {
    const vite = bundler === "vite8" ? await import("vite") : ((await import("vite7")) as unknown as typeof import("vite"));
    const logger = vite.createLogger("info");
    logger.info = (message) => void logs.push(message);
    logger.warn = () => undefined;
    await vite.build({
      root,
      configFile: false,
      customLogger: logger,
      plugins: [ogaPlugin(options) as never],
      build: { outDir, emptyOutDir: true, assetsInlineLimit: 0, modulePreload: false, sourcemap: config.sourcemap ?? false, rollupOptions: { input, output } },
    });
  }
  const files = await listFiles(outDir);
  const g = globalThis as { __oga?: Record<string, unknown> };
  delete g.__oga;
  await import(pathToFileURL(path.join(outDir, "entry.js")).href + `?run=${run++}`);
  return {
    outDir,
    files,
    chunks: files.filter((f) => f.endsWith(".js")),
    values: g.__oga ?? {},
    logs: logs.filter((line) => line.includes("vite-plugin-oga") || bundler === "rollup"),
    read: (file) => readFile(path.join(outDir, file), "utf8"),
  };
}
