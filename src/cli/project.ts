/**
 * What the project commands (`prefetch`, `verify`, `update`, `outdated`, `sync`) share: the
 * project options built from flags, so the CLI reads and writes exactly the lockfile, cache and
 * declarations a build of the same project would.
 */
import path from "node:path";
import type { Command } from "cac";
import { resolveOptions, type OgaPluginOptions, type ResolvedOgaOptions } from "../project/options.js";
import type { OgaClient } from "../client.js";
import type { CommandContext } from "./command.js";
import { optionalString, type OptionBag } from "./options.js";

/** `--root`, `--lockfile` and `--dts`, with the plugin's defaults in the help text. */
export function addProjectOptions(command: Command, { dts = true }: { dts?: boolean } = {}): Command {
  command
    .option("--root <dir>", "Project root (default: the current directory)")
    .option("--lockfile <path>", "Lockfile, relative to the root like the plugin's option (default oga.lock.json)");
  // One flag, not `--dts <path>` plus `--no-dts`: cac defaults a `--no-x` flag's value to true,
  // which `--dts <path>` then rejects as a missing value.
  if (dts) command.option("--dts <path>", "Declarations file relative to the root, or false for none (default src/oga-env.d.ts when src/ exists, else oga-env.d.ts)");
  return command;
}

/**
 * The plugin's resolved options for this run. Flags win over `OGA_*` variables here, unlike in
 * the plugin (where the environment overrides the config file), because a flag is the more
 * specific ask; the variables still apply when no flag is given.
 */
export function projectOptions(context: CommandContext, options: OptionBag, rootArg?: string): ResolvedOgaOptions {
  const { global, io } = context;
  const root = path.resolve(rootArg ?? optionalString(options, "root", "--root") ?? ".");
  const plugin: OgaPluginOptions = { url: global.url, offline: global.offline };
  if (global.cacheDir !== undefined) plugin.cacheDir = path.resolve(global.cacheDir);
  if (global.concurrency !== undefined) plugin.concurrency = global.concurrency;
  if (global.maxFileSize !== undefined) plugin.maxFileSize = global.maxFileSize;
  const lockfile = optionalString(options, "lockfile", "--lockfile");
  if (lockfile !== undefined) plugin.lockfile = lockfile;
  const dts = optionalString(options, "dts", "--dts");
  if (dts !== undefined) plugin.dts = dts === "false" ? false : dts;
  // Already folded into `global` (flag ?? variable); dropped so resolveOptions cannot override a flag.
  const env = { ...io.env };
  delete env.OGA_URL;
  delete env.OGA_OFFLINE;
  if (global.cacheDir !== undefined) delete env.OGA_CACHE_DIR;
  return resolveOptions(plugin, root, env);
}

/** A client on the project's site and cache (closed by the runner). */
export function projectClient(context: CommandContext, resolved: ResolvedOgaOptions): OgaClient {
  return context.client({
    url: resolved.url,
    cacheDir: resolved.cacheDir,
    offline: resolved.offline,
    concurrency: resolved.concurrency,
    ...(resolved.maxFileSize !== undefined && { maxFileSize: resolved.maxFileSize }),
  });
}

/** A path as the user would like to read it: relative to the current directory when inside it. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** The first 8 hex digits: enough to tell two versions apart in a report (`?` when unknown). */
export function shortHash(sha256: string | undefined): string {
  return sha256 === undefined ? "?" : sha256.slice(0, 8);
}
