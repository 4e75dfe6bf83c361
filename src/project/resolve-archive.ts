/**
 * The archive half of the resolver: paths that continue inside an asset's zip files. Framework
 * free like resolve-asset.ts; the plugin and the CLI reach it through {@link AssetResolver}.
 */
import { OgaError } from "../errors.js";
import { listArchive, type ArchiveEntry } from "../store/archive.js";
import { extractEntry, type CachedArchive, type ExtractedEntry } from "../store/archive-extract.js";
import { Cache } from "../store/cache.js";
import { lockedEntryAt } from "../store/locked-entries.js";
import type { LockedAsset } from "../store/lockfile.js";
import { assetPathKey, globCandidates, locate, type AssetPath } from "./archive-paths.js";
import type { LockSession } from "./lock-session.js";
import type { ResolvedOgaOptions } from "./options.js";
import type { ResolvedFile } from "./resolve-asset.js";
import { fileListing, globMatcher, noSuchFileError, type ParsedSpecifier } from "./specifier.js";

/** Fetches a top-level file of an asset into the cache (the resolver's `file`). */
export type FetchAssetFile = (id: string, name: string, specifier: string) => Promise<ResolvedFile>;

const caches = new Map<string, Promise<Cache>>();
const listings = new Map<string, Promise<ArchiveEntry[]>>();

/** Listings are read once per process per archive bytes; a failure is not remembered. */
function cachedListing(archive: CachedArchive, includeJunk: boolean): Promise<ArchiveEntry[]> {
  const key = JSON.stringify([archive.sha256, includeJunk]);
  let listing = listings.get(key);
  if (!listing) {
    listing = listArchive(archive.path, { includeJunk, label: archive.label });
    listings.set(key, listing);
    listing.catch(() => listings.delete(key));
  }
  return listing;
}

/** Resolves asset paths that go through archives: selecting, extracting and locking entries. */
export class ArchiveResolver {
  constructor(
    private readonly options: ResolvedOgaOptions,
    private readonly session: LockSession,
    private readonly fetchFile: FetchAssetFile,
  ) {}

  private cache(): Promise<Cache> {
    let cache = caches.get(this.options.cacheDir);
    if (!cache) {
      cache = Cache.open(this.options.cacheDir);
      caches.set(this.options.cacheDir, cache);
      cache.catch(() => caches.delete(this.options.cacheDir));
    }
    return cache;
  }

  /**
   * The cached archive at `at` (a top-level zip, or a zip entry extracted from one), with what its
   * top-level download cost.
   */
  private async archiveAt(id: string, at: AssetPath, specifier: string): Promise<{ archive: CachedArchive; top: ResolvedFile }> {
    const top = await this.fetchFile(id, at.file, specifier);
    let archive: CachedArchive = { path: top.path, sha256: top.sha256, label: at.file };
    for (let i = 0; i < at.entries.length; i++) {
      const inner = await this.extract(id, { file: at.file, entries: at.entries.slice(0, i + 1) }, archive);
      archive = { path: inner.path, sha256: inner.sha256, label: `${archive.label}/${at.entries[i]}` };
    }
    return { archive, top };
  }

  /** Extracts the entry at `at` (last element) from `archive`, checks it against and records it in the lockfile. */
  private async extract(id: string, at: AssetPath, archive: CachedArchive): Promise<ExtractedEntry> {
    const entry = at.entries[at.entries.length - 1]!;
    const extracted = await extractEntry(await this.cache(), archive, entry, { maxEntrySize: this.options.archives.maxEntrySize });
    const locked = lockedEntryAt(this.session.asset(id)?.files[at.file]?.entries, at.entries);
    if (locked && locked.sha256 !== extracted.sha256) {
      throw new OgaError("OGA_INTEGRITY", `${archive.label}/${entry}: the lockfile expects sha256 ${locked.sha256} but the archive holds ${extracted.sha256}. Run \`oga update ${id}\` to accept it.`);
    }
    if (!this.options.frozen) this.session.setEntry(id, at.file, at.entries, { size: extracted.size, sha256: extracted.sha256 });
    return extracted;
  }

  private lister(id: string, specifier: string) {
    return async (at: AssetPath): Promise<string[]> => {
      const { archive } = await this.archiveAt(id, at, specifier);
      return (await cachedListing(archive, this.options.archives.includeJunk)).map((e) => e.path);
    };
  }

  /**
   * The paths a file or glob specifier selects when archives are involved: a file path that is no
   * file of the asset is looked for inside its zips; a glob also matches entries of every zip it
   * can reach into. Throws OGA_NO_FILE listing what is there.
   */
  async select(parsed: Extract<ParsedSpecifier, { kind: "file" | "glob" }>, asset: LockedAsset): Promise<string[]> {
    const names = Object.keys(asset.files).sort();
    const list = this.lister(parsed.id, parsed.specifier);
    if (parsed.kind === "file") {
      const found = await locate(parsed.file, new Set(names), list);
      if ("file" in found) return [assetPathKey(found)];
      if (!found.missing) throw noSuchFileError(parsed.specifier, parsed.id, parsed.file, asset);
      const where = assetPathKey(found.missing);
      const entries = await list(found.missing);
      throw new OgaError("OGA_NO_FILE", `"${parsed.specifier}": ${where} has no entry "${parsed.file.slice(where.length + 1)}". It holds: ${preview(entries)}.`);
    }
    const match = globMatcher(parsed.pattern);
    const hits = [...new Set((await globCandidates(parsed.pattern, names, list)).filter(match))].sort();
    if (hits.length) return hits;
    throw new OgaError("OGA_NO_FILE", `"${parsed.specifier}": the glob "${parsed.pattern}" matches no file of asset "${parsed.id}" (zips included). Its files: ${fileListing(names)}.`);
  }

  /** One entry (by its asset path key) extracted into the cache and recorded in the lockfile. */
  async entry(id: string, key: string, specifier: string, asset: LockedAsset): Promise<ResolvedFile> {
    const found = await locate(key, new Set(Object.keys(asset.files)), this.lister(id, specifier));
    if (!("file" in found) || found.entries.length === 0) {
      throw new OgaError("OGA_NO_FILE", `"${specifier}": asset "${id}" has no file or archive entry "${key}".`);
    }
    const { archive, top } = await this.archiveAt(id, { file: found.file, entries: found.entries.slice(0, -1) }, specifier);
    const extracted = await this.extract(id, found, archive);
    return { asset: id, name: key, path: extracted.path, sha256: extracted.sha256, size: extracted.size, transfer: top.transfer };
  }
}

function preview(entries: string[]): string {
  if (entries.length === 0) return "(no files)";
  const shown = entries.slice(0, 20).join(", ");
  return entries.length > 20 ? `${shown}, … (${entries.length} in all)` : shown;
}

