import { existsSync } from "node:fs";
import { createClient, type OgaClient } from "../client.js";
import { OgaError, isOgaError } from "../errors.js";
import { pageUrlOfId } from "../site/asset-id.js";
import { writeExtractionRecords } from "../store/extraction-index.js";
import { UPDATE_ADVICE } from "../store/fetch-file.js";
import { blobPathIn } from "../store/file-name.js";
import { joinInFlight } from "../store/in-flight.js";
import { isSha256 } from "../store/fs-utils.js";
import { cloneLockedAsset, lockedAssetFromAsset, type LockedAsset, type LockedFile } from "../store/lockfile.js";
import type { ResolvedOgaOptions } from "./options.js";
import { lockSession, type LockSession } from "./lock-session.js";
import { own } from "./own-key.js";
import type { ArchiveResolver } from "./resolve-archive.js";
import { MAX_SEGMENT_BYTES, fileListing, globMatcher, longSegment, noSuchFileError, type ParsedSpecifier } from "./specifier.js";

/** A file of an asset, present in the cache and pinned in the lockfile. */
export interface ResolvedFile {
  asset: string;
  name: string;
  /** Absolute blob path in the cache; its basename is the file's name. */
  path: string;
  sha256: string;
  size: number;
  /** What it cost this time. */
  transfer: "none" | "revalidated" | "downloaded";
}

/** Hooks for progress reporting; the plugin prints one line and one summary from these. */
export interface ResolveEvents {
  /** A file's body started arriving from the network. */
  onDownloadStart?(file: { asset: string; name: string; size: number | null }): void;
  /** A file is in the cache (whatever it cost). */
  onFile?(file: ResolvedFile): void;
}

/** Work shared by every build in this process that uses the same cache and site. */
interface SharedStore {
  client: OgaClient;
  /** Names this store in the keys of its shared describes and downloads. */
  key: string;
}

const stores = new Map<string, SharedStore>();

/**
 * One store per cache dir + site: client, SSR and watch rebuilds join the same in-flight
 * describes and downloads ({@link joinInFlight}, keyed by the store and what is asked).
 */
function sharedStore(options: ResolvedOgaOptions): SharedStore {
  const key = JSON.stringify([options.cacheDir, options.url, options.allowHosts, options.concurrency, options.timeoutSeconds, options.maxFileSize, options.retries, options.retryDelaySeconds, options.searchDelaySeconds]);
  let store = stores.get(key);
  if (!store) {
    const client = createClient({
      url: options.url,
      cacheDir: options.cacheDir,
      concurrency: options.concurrency,
      allowHosts: options.allowHosts,
      ...(options.timeoutSeconds !== undefined && { timeoutSeconds: options.timeoutSeconds }),
      ...(options.maxFileSize !== undefined && { maxFileSize: options.maxFileSize }),
      ...(options.retries !== undefined && { retries: options.retries }),
      ...(options.retryDelaySeconds !== undefined && { retryDelaySeconds: options.retryDelaySeconds }),
      ...(options.searchDelaySeconds !== undefined && { searchDelaySeconds: options.searchDelaySeconds }),
    });
    store = { client, key };
    stores.set(key, store);
  }
  return store;
}

/** Closes every shared client and writes what is left to record in the caches (tests and the CLI call this before exiting). */
export async function closeSharedStores(): Promise<void> {
  const all = [...stores.values()];
  stores.clear();
  await Promise.all([...all.map((s) => s.client.close()), writeExtractionRecords()]);
}

/**
 * `asset` when it has files; otherwise `OGA_NO_FILE` naming the import and why (withdrawn files,
 * or none listed), instead of a module whose URL is null and whose files are empty.
 */
function withFiles(asset: LockedAsset, id: string, specifier: string): LockedAsset {
  if (Object.keys(asset.files).length > 0) return asset;
  const why = asset.filesUnavailable
    ? `its files are withheld by the site (its page says "File(s) currently unavailable due to potential licensing issues"; ${asset.pageUrl})`
    : `the site lists no files for it (${asset.pageUrl})`;
  throw new OgaError("OGA_NO_FILE", `"${specifier}": asset "${id}" has no files to import: ${why}. Import another asset (find one with \`oga search\`).`);
}

/**
 * Turns specifiers into locked, cached files: the lockfile first, then the cache, then the network.
 * Framework-free: the plugin and the CLI (`oga prefetch`) share it.
 */
export class AssetResolver {
  readonly session: LockSession;
  private readonly store: SharedStore;
  private archiveResolver: Promise<ArchiveResolver> | undefined;

  constructor(
    readonly options: ResolvedOgaOptions,
    private readonly events: ResolveEvents = {},
  ) {
    this.session = lockSession(options.lockfile, options.dts, options.frozen, options.cacheDir);
    this.store = sharedStore(options);
  }

  /**
   * What resolves paths that continue inside the asset's zip files. Loaded on first use: the zip
   * code is a fifth of the package's modules, and a build without zips never runs it.
   */
  private archives(): Promise<ArchiveResolver> {
    return (this.archiveResolver ??= import("./resolve-archive.js").then(
      ({ ArchiveResolver }) => new ArchiveResolver(this.options, this.session, (id, name, specifier) => this.file(id, name, specifier)),
    ));
  }

  /** The client every build of this cache and site shares (the dev asset page searches with it). */
  get client(): OgaClient {
    return this.store.client;
  }

  /** The asset's locked record; described on the site (once per process) when not locked yet. */
  async asset(id: string, specifier: string, signal?: AbortSignal): Promise<LockedAsset> {
    const locked = this.session.asset(id);
    if (locked) return withFiles(locked, id, specifier);
    if (this.options.frozen) {
      throw new OgaError(
        "OGA_FROZEN",
        `"${specifier}" is not in ${this.options.lockfile} and the lockfile is frozen (frozen: true, OGA_FROZEN=1 or CI). Run \`oga prefetch\` (or a build without OGA_FROZEN) locally and commit the lockfile.`,
      );
    }
    // Joined by every caller until it settles; afterwards the lock session holds the answer (and a
    // failure is retried by the next caller), so a watch rebuild never sees stale data.
    const key = JSON.stringify(["describe", this.store.key, id, this.options.offline]);
    const described = await joinInFlight(key, (jobSignal) => this.describe(id, specifier, jobSignal), signal && { signal });
    // Another build may have locked it meanwhile; keep what is there (it may hold hashes).
    const now = this.session.asset(id);
    if (now) return withFiles(now, id, specifier);
    // Not locked: nothing to import, and a later build describes it again (the files may come back).
    withFiles(described, id, specifier);
    this.session.setAsset(id, cloneLockedAsset(id, described));
    return this.session.asset(id)!;
  }

  private async describe(id: string, specifier: string, signal: AbortSignal): Promise<LockedAsset> {
    try {
      return lockedAssetFromAsset(await this.store.client.describe(id, { offline: this.options.offline, signal }));
    } catch (error) {
      // The URL the client asked for, encoded the site's way, so the message names what was tried.
      throw this.explain(error, specifier, `the page ${pageUrlOfId(this.options.url, id)}`);
    }
  }

  /**
   * Whether the lock session names a file the cache certainly lacks (the CI case: a lockfile and
   * an empty cache), so that the caller can start the HTTP stack and the downloads at once.
   * Probes one blob only: a warm build pays one `existsSync`, and a cache missing only some
   * files starts its downloads as the imports come, as always. Call it after the session's reload.
   */
  lockedFileMissing(): boolean {
    if (this.options.offline) return false;
    for (const asset of Object.values(this.session.lock.assets)) {
      for (const [name, file] of Object.entries(asset.files)) {
        if (file.sha256 === undefined || !isSha256(file.sha256)) continue;
        try {
          return !existsSync(blobPathIn(this.options.cacheDir, file.sha256, name));
        } catch {
          // A name no blob can have: its import reports that, not this guess.
          return false;
        }
      }
    }
    return false;
  }

  /** The names a parsed specifier selects, in a stable order; throws `OGA_NO_FILE` with the asset's files. */
  selectFiles(parsed: Exclude<ParsedSpecifier, { kind: "credits" }>, asset: LockedAsset): string[] {
    const names = Object.keys(asset.files).sort();
    const listing = fileListing(names);
    if (parsed.kind === "asset") return names;
    if (parsed.kind === "file") {
      if (own(asset.files, parsed.file)) return [parsed.file];
      throw noSuchFileError(parsed.specifier, parsed.id, parsed.file, asset);
    }
    const match = globMatcher(parsed.pattern);
    const hits = names.filter(match);
    if (hits.length) return hits;
    throw new OgaError("OGA_NO_FILE", `"${parsed.specifier}": the glob "${parsed.pattern}" matches no file of asset "${parsed.id}". Its files: ${listing}.`);
  }

  /**
   * Like {@link selectFiles}, but a file path may continue inside a zip of the asset and globs
   * match zip entries too (keys like `tiles.zip/png/floor.png`). Downloads a zip only when the
   * specifier can reach inside it.
   */
  async select(parsed: Exclude<ParsedSpecifier, { kind: "credits" }>, asset: LockedAsset): Promise<string[]> {
    if (parsed.kind === "asset" || (parsed.kind === "file" && own(asset.files, parsed.file))) return this.selectFiles(parsed, asset);
    return (await this.archives()).select(parsed, asset);
  }

  /**
   * Files and zip entries (names as {@link select} gives them) in the cache, pinned in the
   * lockfile: one promise per name, in the order of `names`, each settling as soon as its file
   * is in the cache (so a caller can go on with each at once). Entries are resolved as one
   * batch, so the zips they come from are fetched and listed once however many a glob takes.
   */
  async eachFile(id: string, names: readonly string[], specifier: string): Promise<Promise<ResolvedFile>[]> {
    const asset = await this.asset(id, specifier);
    // A name refused by {@link file} (see refuseLongName) stays out of the batch, so it is refused there.
    const entryKeys = names.filter((name) => !Object.hasOwn(asset.files, name) && name.includes("/") && longSegment(name) === undefined);
    const entries = new Map<string, Promise<ResolvedFile>>();
    if (entryKeys.length > 0) (await this.archives()).entries(id, entryKeys, specifier, asset).forEach((entry, i) => entries.set(entryKeys[i]!, entry));
    const each = names.map((name) => entries.get(name) ?? this.file(id, name, specifier));
    // The caller handles every failure, a few ticks from now: not an unhandled rejection meanwhile.
    for (const file of each) file.catch(() => undefined);
    return each;
  }

  /** One file in the cache, pinned in the lockfile (no request at all when both agree). */
  async file(id: string, name: string, specifier: string): Promise<ResolvedFile> {
    refuseLongName(name, id, specifier);
    const asset = await this.asset(id, specifier);
    const locked = own(asset.files, name);
    if (!locked && name.includes("/")) return (await this.archives()).entries(id, [name], specifier, asset)[0]!;
    if (!locked) throw noSuchFileError(specifier, id, name, asset);
    if (this.options.frozen && locked.sha256 === undefined) {
      throw new OgaError(
        "OGA_FROZEN",
        `"${specifier}": file "${name}" has no hash in ${this.options.lockfile} and the lockfile is frozen. Run \`oga prefetch\` locally and commit the lockfile.`,
      );
    }
    return this.settle(id, name, locked, await joinInFlight(this.fileKey(locked, name), (jobSignal) => this.fetchLocked(id, name, specifier, locked, jobSignal)));
  }

  /**
   * Starts the downloads an import of `parsed` will certainly ask for, before the bundler reaches
   * it: an asset's main file, a file by name, the files a glob matches (not zip entries, which
   * need their zip listed first). An import that asks meanwhile joins the same work, which
   * aborting `signal` then leaves running for it (see {@link joinInFlight}). Rejects with the
   * resolver's errors, which the caller may ignore: an import reports its own.
   */
  async fetchAhead(parsed: ParsedSpecifier, signal: AbortSignal): Promise<void> {
    if (parsed.kind === "credits") return;
    const asset = await this.asset(parsed.id, parsed.specifier, signal);
    const main = mainFileName(asset);
    const names = parsed.kind === "asset" ? (main === undefined ? [] : [main]) : parsed.kind === "file" ? [parsed.file] : Object.keys(asset.files).filter(globMatcher(parsed.pattern));
    await Promise.all(
      names.map(async (name) => {
        const locked = own(asset.files, name);
        // What the import would refuse (see file()) is not fetched for it.
        if (!locked || longSegment(name) !== undefined || (this.options.frozen && locked.sha256 === undefined)) return;
        const fetched = joinInFlight(this.fileKey(locked, name), (jobSignal) => this.fetchLocked(parsed.id, name, parsed.specifier, locked, jobSignal), { signal });
        this.settle(parsed.id, name, locked, await fetched);
      }),
    );
  }

  /** Calls for the same file, pin and mode share one transfer. */
  private fileKey(locked: LockedFile, name: string): string {
    return JSON.stringify(["file", this.store.key, locked.url, name, locked.sha256 ?? null, this.options.offline]);
  }

  /** A locked file through the client (which joins concurrent transfers of it), errors explained for the import. */
  private async fetchLocked(id: string, name: string, specifier: string, locked: LockedFile, signal: AbortSignal): Promise<ResolvedFile & { etag: string | null }> {
    const expect = locked.sha256 === undefined ? undefined : { sha256: locked.sha256, ...(locked.size !== null && { size: locked.size }), etag: locked.etag ?? null };
    let started = false;
    try {
      const cached = await this.store.client.fetchFile(
        { url: locked.url, name },
        {
          offline: this.options.offline,
          ...(expect && { expect }),
          signal,
          onBytes: () => {
            if (started) return;
            started = true;
            this.events.onDownloadStart?.({ asset: id, name, size: locked.size });
          },
        },
      );
      return { asset: id, name, path: cached.path, sha256: cached.sha256, size: cached.size, transfer: cached.transfer, etag: cached.etag };
    } catch (error) {
      throw this.explain(error, specifier, locked.url, id);
    }
  }

  /** Pins a file now in the cache and reports it. */
  private settle(id: string, name: string, locked: LockedFile, resolved: ResolvedFile & { etag: string | null }): ResolvedFile {
    const { etag, ...file } = resolved;
    this.session.setFile(id, name, { url: locked.url, size: file.size, etag: locked.etag ?? etag, sha256: file.sha256 });
    this.events.onFile?.(file);
    return file;
  }

  /** Records a specifier the user wrote (for the declarations and `oga sync`). */
  recordSpecifier(specifier: string): void {
    if (!this.options.frozen) this.session.addSpecifier(specifier);
  }

  /**
   * Resolves and locks whole specifiers, downloading every file each one may use (an asset
   * specifier: all its files). Used by `oga prefetch`; the plugin resolves lazily per module.
   */
  async prefetch(specifiers: ParsedSpecifier[]): Promise<ResolvedFile[]> {
    const results = await Promise.all(
      specifiers.map(async (parsed) => {
        if (parsed.kind === "credits") return [];
        const asset = await this.asset(parsed.id, parsed.specifier);
        const files = await Promise.all(await this.eachFile(parsed.id, await this.select(parsed, asset), parsed.specifier));
        this.recordSpecifier(parsed.specifier);
        return files;
      }),
    );
    return results.flat();
  }

  /** Adds the specifier and what to do to a client error; other errors pass through. */
  private explain(error: unknown, specifier: string, tried: string, id?: string): unknown {
    if (!isOgaError(error)) return error;
    const origin = this.options.url;
    switch (error.code) {
      case "OGA_NOT_FOUND":
        return new OgaError("OGA_NOT_FOUND", `"${specifier}": not found on ${origin} (tried ${tried}). Check the asset id: it is the last part of the asset's page URL.`, { cause: error });
      case "OGA_UNREACHABLE":
      case "OGA_HTTP":
        return new OgaError(error.code, `"${specifier}": cannot fetch ${tried} and it is not cached (${error.message}). Check the network or OGA_URL, or run \`oga prefetch\` once while online.`, { cause: error });
      case "OGA_OFFLINE":
        return new OgaError("OGA_OFFLINE", `"${specifier}": not in the cache and offline mode is on. Run \`oga prefetch\` while online, or build without OGA_OFFLINE / offline: true.`, { cause: error });
      case "OGA_INTEGRITY": {
        // The store's message ends with generic `oga update` advice; ours names the asset instead.
        // Bundlers print the cause chain too, so a rewritten message replaces the store's error
        // in it (keeping that error's own cause) rather than repeating its advice underneath.
        const generic = error.message.endsWith(UPDATE_ADVICE);
        const what = generic ? error.message.slice(0, -UPDATE_ADVICE.length).trimEnd() : error.message;
        const cause = { cause: generic ? error.cause : error };
        if (this.options.frozen) {
          return new OgaError("OGA_FROZEN", `"${specifier}": ${tried} no longer matches the sha256 in the frozen lockfile (${what}). Run \`oga update ${id ?? ""}\` locally and commit the lockfile.`, cause);
        }
        return new OgaError("OGA_INTEGRITY", `"${specifier}": ${what} Run \`oga update${id ? ` ${id}` : ""}\` to accept the new version.`, cause);
      }
      default:
        return new OgaError(error.code, `"${specifier}": ${error.message}`, { cause: error });
    }
  }
}

/**
 * A path with a segment no file system holds is refused before it is used: it can only come from
 * a hostile page or zip, and would fail later, in the output directory or `oga download --out`.
 */
function refuseLongName(name: string, id: string, specifier: string): void {
  const long = longSegment(name);
  if (long === undefined) return;
  const inZip = name.indexOf(long) > 0;
  const shown = `"${long.slice(0, 40)}…" (${Buffer.byteLength(long)} bytes)`;
  throw new OgaError(
    inZip ? "OGA_ARCHIVE" : "OGA_PARSE",
    `"${specifier}": asset "${id}" ${inZip ? "has a zip entry" : "lists a file"} whose name has the segment ${shown}; no file system holds a name over ${MAX_SEGMENT_BYTES} bytes, so it is refused. Import its other files by name, or narrow the glob.`,
  );
}

/** The asset's main file when the lockfile lists it (a default import's file), else undefined. */
export function mainFileName(asset: LockedAsset): string | undefined {
  return asset.main && own(asset.files, asset.main) ? asset.main : undefined;
}
