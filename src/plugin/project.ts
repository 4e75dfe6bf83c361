/**
 * Framework-free entry points for the CLI (`oga prefetch`, `oga sync`, `oga verify`, …): the same
 * code path the plugin uses, driven from a project root instead of a bundler.
 */
import { readLockfile, type Lockfile } from "../store/lockfile.js";
import { writeDeclarations } from "./declarations.js";
import { findSpecifiers } from "./find-specifiers.js";
import { resolveOptions, type OgaPluginOptions, type ResolvedOgaOptions } from "./options.js";
import { AssetResolver, type ResolveEvents, type ResolvedFile } from "./resolve-asset.js";
import { parseSpecifier, type ParsedSpecifier } from "./specifier.js";

export interface PrefetchResult {
  options: ResolvedOgaOptions;
  files: ResolvedFile[];
  /** The lockfile as written. */
  lock: Lockfile;
  lockWritten: boolean;
  dtsWritten: boolean;
}

/**
 * Resolves, downloads and locks `specifiers` for the project at `root` (every file an asset
 * specifier may use), then writes the lockfile and declarations like a build would.
 * Throws `OGA_BAD_INPUT` for a malformed specifier and the plugin's errors otherwise.
 */
export async function prefetchSpecifiers(
  root: string,
  specifiers: string[],
  options: OgaPluginOptions = {},
  events: ResolveEvents = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<PrefetchResult> {
  const resolved = resolveOptions(options, root, env);
  const parsed: ParsedSpecifier[] = specifiers.map(parseSpecifier);
  const resolver = new AssetResolver(resolved, events);
  await resolver.session.reload();
  const files = await resolver.prefetch(parsed);
  const { lockWritten, dtsWritten } = await resolver.session.flush();
  return { options: resolved, files, lock: resolver.session.lock, lockWritten, dtsWritten };
}

/** `oga prefetch [root]`: {@link findSpecifiers} + {@link prefetchSpecifiers}. */
export async function prefetchProject(root: string, options: OgaPluginOptions = {}, events: ResolveEvents = {}): Promise<PrefetchResult> {
  const found = await findSpecifiers(root);
  return prefetchSpecifiers(root, found.map((f) => f.specifier), options, events);
}

/** `oga sync`: writes the declarations from the lockfile alone, no network. Returns the path, or false when `dts: false`. */
export async function syncDeclarations(root: string, options: OgaPluginOptions = {}): Promise<{ path: string | false; written: boolean }> {
  const resolved = resolveOptions(options, root);
  if (resolved.dts === false) return { path: false, written: false };
  const written = await writeDeclarations(resolved.dts, await readLockfile(resolved.lockfile));
  return { path: resolved.dts, written };
}
