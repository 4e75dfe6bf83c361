/** What the CLI and other tools use from the plugin layer; all framework-free. */
export { findSpecifiers } from "./find-specifiers.js";
export { prefetchProject, prefetchSpecifiers, syncDeclarations, type PrefetchResult } from "./project.js";
export { AssetResolver, closeSharedStores, type ResolvedFile, type ResolveEvents } from "./resolve-asset.js";
export { generateDeclarations, writeDeclarations } from "./declarations.js";
export { parseSpecifier, isOgaSpecifier, type ParsedSpecifier } from "./specifier.js";
export { resolveOptions, type OgaPluginOptions, type ResolvedOgaOptions } from "./options.js";
export {
  readLockfile,
  writeLockfile,
  updateLockfile,
  formatLockfile,
  mergeLockfiles,
  emptyLockfile,
  lockedAssetFromAsset,
  type Lockfile,
  type LockedAsset,
  type LockedFile,
} from "../store/lockfile.js";
