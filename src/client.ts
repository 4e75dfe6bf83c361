import pLimit from "p-limit";
import { OgaError, isOgaError } from "./errors.js";
import { assetPageUrl, pageUrlOfId } from "./site/asset-id.js";
import { findAssetFile } from "./site/find-file.js";
import { PIPELINING, SiteHttp } from "./site/http.js";
import { CANONICAL_ORIGIN } from "./site/site-url.js";
import type { Asset, SearchFilters, SearchProgress, SearchResult } from "./site/types.js";
import { Cache } from "./store/cache.js";
import { defaultCacheDir } from "./store/cache-dir.js";
import { cachedPinnedFile, fetchFileJoined, type CachedFile, type FetchFileOptions } from "./store/fetch-file.js";
import { USER_AGENT } from "./version.js";

/** The site every client talks to unless told otherwise. */
export const DEFAULT_SITE_URL = "https://opengameart.org";

/** Files downloaded at once unless told otherwise: the Python `oga` used 5, and the site is run by volunteers. */
export const DEFAULT_CONCURRENCY = 5;

/** Options of {@link createClient}; the same knobs as the Python `oga` library's `Config`. */
export interface ClientOptions {
  /** Site origin. Default `https://opengameart.org` (`OGA_URL` is read by the CLI and plugin, not here). */
  url?: string;
  /** Most files downloaded at once, and HTTP connections to the site. Default 5 — the site is run by volunteers. */
  concurrency?: number;
  /** Cache directory. Default: `OGA_CACHE_DIR`, else `$XDG_CACHE_HOME/oga`, else `~/.cache/oga`. */
  cacheDir?: string;
  /** `User-Agent` header. Default names this tool and its version. */
  userAgent?: string;
  /** Aborts every request of this client. */
  signal?: AbortSignal;
  /** Other hosts file links may point to (e.g. a mirror). Default: only the site's own origin. */
  allowHosts?: string[];
  /** Never touch the network; answer from the cache or fail with `OGA_OFFLINE`. Default `false`. */
  offline?: boolean;
  /** Connect, headers and body timeouts in seconds. Default 30. */
  timeoutSeconds?: number;
  /**
   * Retries of a failed request (network error, timeout, cut-off body, 429/500/502/503/504),
   * after the first attempt. A body cut off mid-way resumes with a Range request. Default 4.
   */
  retries?: number;
  /** First wait before a retry, in seconds; doubles on each retry (at most 10 s). Default 0.5. */
  retryDelaySeconds?: number;
  /** Longest wait a `Retry-After` header may ask for, in seconds; longer asks are cut. Default 60. */
  maxRetryAfterSeconds?: number;
  /** Refuse files larger than this many bytes (`OGA_TOO_LARGE`). Default: no limit. */
  maxFileSize?: number;
  /** Seconds to wait between search result pages (the site asks crawlers to be gentle). Default 1. */
  searchDelaySeconds?: number;
}

/** Progress of {@link OgaClient.download}, reported as bytes arrive and as files finish. */
export interface DownloadProgress {
  /** Asset id. */
  asset: string;
  /** File that changed last. */
  file: string;
  /** Body bytes received for `file` so far. */
  bytes: number;
  /** Expected size of `file`, when known. */
  totalBytes: number | null;
  filesDone: number;
  filesTotal: number;
  /** Body bytes received for all files of this call. */
  bytesDone: number;
  /** Sum of the expected sizes, when every file's size is known. */
  bytesTotal: number | null;
}

export interface DescribeOptions {
  /** Answer from the cached description only (`OGA_OFFLINE` when there is none). */
  offline?: boolean;
  signal?: AbortSignal;
}

export interface DownloadOptions {
  /** Only these files (by name); default every file of the asset. */
  files?: string[];
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  offline?: boolean;
}

/** A connection to OpenGameArt plus the shared, verified file cache. */
export interface OgaClient {
  /** The site origin, e.g. `https://opengameart.org`. */
  readonly origin: string;
  /** Absolute cache directory. */
  readonly cacheDir: string;
  /**
   * Describe an asset by slug (`battle-theme-a`), page path or full page URL. The description is
   * cached, so `{ offline: true }` answers without the network.
   */
  describe(idOrUrl: string, options?: DescribeOptions): Promise<Asset>;
  /**
   * Search the site; pages are fetched lazily as the iteration goes on, `searchDelaySeconds`
   * apart. `onPage` hears of each page read (its index, the last page's, the total shown).
   */
  search(filters?: SearchFilters, options?: { signal?: AbortSignal; onPage?: (progress: SearchProgress) => void }): AsyncIterable<SearchResult>;
  /**
   * Download an asset's files into the cache (at most `concurrency` at once) and return them with
   * their local paths. Files the cache can prove current cost a `304` or nothing.
   */
  download(asset: Asset, options?: DownloadOptions): Promise<CachedFile[]>;
  /** Fetch one file into the cache, within the client's concurrency limit. */
  fetchFile(file: { url: string; name: string }, options?: FetchFileOptions): Promise<CachedFile>;
  /**
   * Start loading the HTTP stack now rather than with the first request, when requests are
   * certain to follow (a lockfile naming files the cache lacks): the tens of milliseconds it
   * takes then overlap with the caller's own work instead of delaying the first request.
   */
  preload(): void;
  /** Close idle connections. */
  close(): Promise<void>;
}

/**
 * Create a client.
 *
 * @example
 * ```ts
 * const oga = createClient();
 * const asset = await oga.describe("battle-theme-a");
 * const files = await oga.download(asset, { onProgress: (p) => console.log(p.bytesDone) });
 * console.log(files.map((f) => f.path));
 * ```
 */
export function createClient(options: ClientOptions = {}): OgaClient {
  const origin = parseOrigin(options.url ?? DEFAULT_SITE_URL);
  const concurrency = positiveInteger(options.concurrency ?? DEFAULT_CONCURRENCY, "concurrency");
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const http = new SiteHttp({
    origin,
    userAgent: options.userAgent ?? USER_AGENT,
    connections: concurrency,
    allowHosts: options.allowHosts ?? [],
    ...(options.timeoutSeconds !== undefined && { timeoutSeconds: options.timeoutSeconds }),
    ...(options.retries !== undefined && { retries: nonNegativeInteger(options.retries, "retries") }),
    ...(options.retryDelaySeconds !== undefined && { retryMinDelayMs: seconds(options.retryDelaySeconds, "retryDelaySeconds") * 1000 }),
    ...(options.maxRetryAfterSeconds !== undefined && { retryAfterMaxMs: seconds(options.maxRetryAfterSeconds, "maxRetryAfterSeconds") * 1000 }),
  });
  // Limit one layer only: file transfers. Page fetches are few and never wait on a file. Enough
  // files are in flight to fill each connection's pipeline (the agent keeps `concurrency`
  // connections), and one file's hashing and rename never keeps the next request waiting.
  const limitFiles = pLimit(concurrency * PIPELINING);
  let cache: Promise<Cache> | undefined;
  const openCache = (): Promise<Cache> => {
    if (!cache) {
      const opening = Cache.open(cacheDir);
      cache = opening;
      // A cache that could not be opened (a file in the way, a full disk) is tried again next time.
      opening.catch(() => {
        if (cache === opening) cache = undefined;
      });
    }
    return cache;
  };

  const signalOf = (signal?: AbortSignal) =>
    signal && options.signal ? AbortSignal.any([signal, options.signal]) : (signal ?? options.signal);

  async function describe(idOrUrl: string, describeOptions: DescribeOptions = {}): Promise<Asset> {
    const { id, pageUrl } = assetPageUrl(origin, idOrUrl);
    // Keyed by the id asked for on the canonical site: the live site and its mirrors share it,
    // and no page can write another asset's description.
    const cacheKey = pageUrlOfId(CANONICAL_ORIGIN, id);
    const store = await openCache();
    if (describeOptions.offline ?? options.offline) {
      const cached = await store.readDescription(cacheKey);
      if (!cached) {
        throw new OgaError(
          "OGA_OFFLINE",
          `${idOrUrl}: not in the cache and working offline; run \`oga describe ${idOrUrl}\` once with the network to cache it`,
        );
      }
      return cached.asset;
    }
    // Loaded on first use: the HTML stack costs ~50 ms of CPU and ~10 MB, and a warm build or a
    // file download never parses a page. Started before the request, so that loading it fills
    // the round trip instead of following it.
    const parser = import("./site/parse-asset.js");
    parser.catch(() => undefined);
    const page = await http.getPage(pageUrl, { signal: signalOf(describeOptions.signal) }).catch((error: unknown) => {
      if (!isOgaError(error, "OGA_NOT_FOUND")) throw error;
      throw new OgaError(
        "OGA_NOT_FOUND",
        `no asset "${idOrUrl}" on ${origin} (${pageUrl} answered 404); the id is the last part of the asset's page URL, as in ${origin}/content/battle-theme-a`,
        { cause: error },
      );
    });
    const { parseAssetPage } = await parser;
    // The requested URL, not the final one: a redirect (or the page itself) never renames the asset.
    const asset = parseAssetPage(page.html, pageUrl);
    await store.writeDescription(cacheKey, asset);
    return asset;
  }

  async function fetchOne(file: { url: string; name: string }, fetchOptions: FetchFileOptions = {}): Promise<CachedFile> {
    const store = await openCache();
    const settled: FetchFileOptions = {
      ...(options.maxFileSize !== undefined && { maxSize: options.maxFileSize }),
      ...fetchOptions,
      offline: fetchOptions.offline ?? options.offline ?? false,
      signal: signalOf(fetchOptions.signal),
    };
    // A pinned file its stamp vouches for (every file of a warm build) costs a stat and a small
    // read: it need not queue behind downloads. Anything else, re-hashing included, is limited.
    return (await cachedPinnedFile(store, file, settled)) ?? limitFiles(() => fetchFileJoined(http, store, file, settled));
  }

  async function download(asset: Asset, downloadOptions: DownloadOptions = {}): Promise<CachedFile[]> {
    const wanted = selectFiles(asset, downloadOptions.files);
    const sizes = wanted.map((f) => f.size);
    const bytesTotal = sizes.every((s): s is number => s !== null) ? sizes.reduce((a, b) => a + b, 0) : null;
    const received = new Map<string, number>();
    let filesDone = 0;
    let bytesDone = 0;
    const report = (file: string, totalBytes: number | null) =>
      downloadOptions.onProgress?.({
        asset: asset.id,
        file,
        bytes: received.get(file) ?? 0,
        totalBytes,
        filesDone,
        filesTotal: wanted.length,
        bytesDone,
        bytesTotal,
      });
    return Promise.all(
      wanted.map(async (file) => {
        const result = await fetchOne(file, {
          ...(downloadOptions.offline !== undefined && { offline: downloadOptions.offline }),
          ...(downloadOptions.signal && { signal: downloadOptions.signal }),
          onBytes: (bytes) => {
            received.set(file.name, (received.get(file.name) ?? 0) + bytes);
            bytesDone += bytes;
            report(file.name, file.size);
          },
        });
        filesDone += 1;
        report(file.name, file.size);
        return result;
      }),
    );
  }

  return {
    origin,
    cacheDir,
    describe,
    search: async function* (filters = {}, searchOptions = {}) {
      const { searchAssets } = await import("./site/search.js");
      yield* searchAssets(http, filters, {
        signal: signalOf(searchOptions.signal),
        ...(searchOptions.onPage && { onPage: searchOptions.onPage }),
        ...(options.searchDelaySeconds !== undefined && { delaySeconds: options.searchDelaySeconds }),
      });
    },
    download,
    fetchFile: fetchOne,
    preload: () => http.preload(),
    close: () => http.close(),
  };
}

function selectFiles(asset: Asset, names: string[] | undefined) {
  if (asset.filesUnavailable && asset.files.length === 0) {
    throw new OgaError("OGA_NO_FILE", `${asset.id}: its files are withheld by the site (currently unavailable due to potential licensing issues, ${asset.pageUrl})`);
  }
  if (!names) return asset.files;
  return names.map((name) => {
    const file = findAssetFile(asset, name);
    if (!file) {
      const known = asset.files.map((f) => f.name).join(", ") || "none";
      // A shown name several files were uploaded as is ambiguous: say which stored names it could mean.
      const uploadedAs = asset.files.filter((f) => f.label === name).map((f) => `"${f.name}"`);
      const hint = uploadedAs.length > 1 ? `; files uploaded as "${name}": ${uploadedAs.join(", ")} (pick one by its name)` : "";
      throw new OgaError("OGA_NO_FILE", `${asset.id} has no file "${name}"${hint}; its files: ${known}`);
    }
    return file;
  });
}

function parseOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OgaError("OGA_BAD_INPUT", `url: "${url}" is not a URL; expected something like https://opengameart.org`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new OgaError("OGA_BAD_INPUT", `url: "${url}" must be an http(s) URL such as https://opengameart.org`);
  }
  return parsed.origin;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new OgaError("OGA_BAD_INPUT", `${name}: expected a positive integer, got ${String(value)}`);
  }
  return value;
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new OgaError("OGA_BAD_INPUT", `${name}: expected an integer >= 0, got ${String(value)}`);
  }
  return value;
}

function seconds(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new OgaError("OGA_BAD_INPUT", `${name}: expected a number of seconds >= 0, got ${String(value)}`);
  }
  return value;
}
