import type { Plugin } from "vite";
import { ogaPlugin } from "./plugin/index.js";
import type { OgaPluginOptions } from "./project/options.js";

/**
 * The Vite plugin: `import music from "oga:battle-theme-a"`.
 *
 * @example
 * ```ts
 * // vite.config.ts
 * import oga from "vite-plugin-oga";
 * export default { plugins: [oga()] };
 * ```
 */
export function oga(options: OgaPluginOptions = {}): Plugin {
  // Vite 8's, Vite 7's and Rollup's Plugin types are mutually unassignable; the object satisfies each at run time.
  return ogaPlugin(options) as unknown as Plugin;
}

export default oga;
// Keeps `require("vite-plugin-oga")` returning the plugin factory on Node ≥ 20.19 (require(esm)).
export { oga as "module.exports" };

export type { OgaPluginOptions } from "./project/options.js";
export type { AssetMeta } from "./plugin/module-code.js";
export type { Credit, CreditsFormat } from "./project/credits.js";
export type { CreditsOption } from "./project/credits.js";
export { createClient, DEFAULT_SITE_URL } from "./client.js";
export type { ClientOptions, DescribeOptions, DownloadOptions, DownloadProgress, OgaClient } from "./client.js";
export type { CachedFile, FetchFileOptions } from "./store/fetch-file.js";
export type { Lockfile, LockedAsset, LockedFile } from "./store/lockfile.js";
export type { Asset, AssetFile, Person, SearchFilters, SearchPage, SearchProgress, SearchResult, SortBy, TagOperation } from "./site/types.js";
export type { ArtType, LicenseId, KnownLicense } from "./site/vocabulary.js";
export { OgaError, isOgaError } from "./errors.js";
export type { OgaErrorCode } from "./errors.js";
