/**
 * `oga prefetch`'s core: the resolver a build uses, driven from a project's options instead of a
 * bundler, so the lockfile, cache and declarations end up exactly as a build would leave them.
 */
import type { Lockfile } from "../store/lockfile.js";
import type { ResolvedOgaOptions } from "./options.js";
import { AssetResolver, type ResolveEvents, type ResolvedFile } from "./resolve-asset.js";
import { parseSpecifier } from "./specifier.js";

export interface PrefetchResult {
  files: ResolvedFile[];
  /** The lockfile as written. */
  lock: Lockfile;
  lockWritten: boolean;
  dtsWritten: boolean;
}

/**
 * Resolves, downloads and locks `specifiers` for the project (every file an asset specifier may
 * use), then writes the lockfile and declarations like a build would.
 * @throws OgaError `OGA_BAD_INPUT` for a malformed specifier, and the resolver's errors otherwise.
 */
export async function prefetchSpecifiers(options: ResolvedOgaOptions, specifiers: readonly string[], events: ResolveEvents = {}): Promise<PrefetchResult> {
  const parsed = specifiers.map(parseSpecifier);
  const resolver = new AssetResolver(options, events);
  await resolver.session.reload();
  const files = await resolver.prefetch(parsed);
  const { lockWritten, dtsWritten } = await resolver.session.flush();
  return { files, lock: resolver.session.lock, lockWritten, dtsWritten };
}
