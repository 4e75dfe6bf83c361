/**
 * The generated game as a user runs it: a project with a `vite.config.mjs`, built by the `vite`
 * command in its own process. The oga project's config imports the package (dist/); the local
 * project's config has no plugin. Both share the warm cache of the game setup.
 */
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { runCommand } from "./child.js";
import type { BenchContext } from "./context.js";
import { writeLocalGame, writeOgaGame, type GameFile } from "./game.js";
import { REPO_ROOT } from "./paths.js";

const VITE_BIN = path.join(REPO_ROOT, "node_modules/vite/bin/vite.js");

export interface CliGame {
  files: number;
  /** Runs `vite build` in the oga or the local project; resolves with the process's wall time. */
  build(kind: "oga" | "local"): Promise<number>;
}

function config(root: string, plugin: OgaPluginOptions | undefined): string {
  const lines = plugin ? [`import { oga } from "vite-plugin-oga";`] : [];
  lines.push(
    "export default {",
    plugin ? `  plugins: [oga(${JSON.stringify(plugin)})],` : "",
    `  build: { emptyOutDir: true, rollupOptions: { input: ${JSON.stringify(path.join(root, "src/main.js"))} } },`,
    "};",
  );
  return lines.join("\n") + "\n";
}

/** Writes both projects for `files` and primes the oga one's lockfile with one untimed build. */
export async function cliGame(ctx: BenchContext, files: readonly GameFile[], cacheDir: string): Promise<CliGame> {
  const ogaRoot = path.join(ctx.work, `cli-${files.length}-oga`);
  const localRoot = path.join(ctx.work, `cli-${files.length}-local`);
  await mkdir(ogaRoot, { recursive: true });
  await writeOgaGame(ogaRoot, files);
  await writeLocalGame(localRoot, files, ctx.replica.catalogue);
  const plugin: OgaPluginOptions = {
    url: ctx.replica.url,
    cacheDir,
    lockfile: path.join(ogaRoot, "oga.lock.json"),
    dts: path.join(ogaRoot, "src/oga-env.d.ts"),
    frozen: false,
  };
  await writeFile(path.join(ogaRoot, "vite.config.mjs"), config(ogaRoot, plugin));
  // Installed as a user installs it: a bare import that Vite leaves to Node when it bundles the
  // config (a file URL would be bundled into the config on every build).
  await mkdir(path.join(ogaRoot, "node_modules"), { recursive: true });
  await symlink(REPO_ROOT, path.join(ogaRoot, "node_modules/vite-plugin-oga"), "dir");
  await writeFile(path.join(localRoot, "vite.config.mjs"), config(localRoot, undefined));
  // As in runCase: OGA_* variables and CI would redirect or freeze the plugin.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OGA_") && k !== "CI"));
  const build = async (kind: "oga" | "local") => (await runCommand(process.execPath, [VITE_BIN, "build"], { env, cwd: kind === "oga" ? ogaRoot : localRoot })).ms;
  await build("oga");
  await build("local");
  return { files: files.length, build };
}
