import path from "node:path";
import { existsSync } from "node:fs";
import { DEFAULT_CONCURRENCY, DEFAULT_SITE_URL } from "../client.js";
import { OgaError } from "../errors.js";
import { defaultCacheDir } from "../store/cache-dir.js";
import { AllowedHosts } from "../site/allow-hosts.js";
import { DEFAULT_MAX_ENTRY_SIZE, DEFAULT_MAX_RATIO, DEFAULT_MAX_TOTAL_SIZE } from "../store/archive-limits.js";
import { creditsFileNames, type CreditsOption } from "./credits.js";
import { createLicensePolicy, type LicensePolicy } from "./license-policy.js";

/** Defaults, in one place. */
export const DEFAULT_LOCKFILE = "oga.lock.json";
export const DEFAULT_DTS_NAME = "oga-env.d.ts";

/** Options of the `oga()` plugin. Every field is optional. */
export interface OgaPluginOptions {
  /** Site origin. Default `"https://opengameart.org"`; env `OGA_URL` overrides. */
  url?: string;
  /** Cache directory. Default `$XDG_CACHE_HOME/oga` or `~/.cache/oga`; env `OGA_CACHE_DIR` overrides. */
  cacheDir?: string;
  /** Parallel downloads (and connections to the site). Default `5`, like the Python `oga`: the site is run by volunteers. */
  concurrency?: number;
  /** Never touch the network; serve from the cache alone. Default `false`; env `OGA_OFFLINE=1` overrides. */
  offline?: boolean;
  /** Lockfile path, relative to the project root. Default `"oga.lock.json"`. */
  lockfile?: string;
  /**
   * Fail instead of changing the lockfile (an import missing from it, a hash that differs).
   * Default `true` when the `CI` environment variable is set, else `false`; env `OGA_FROZEN=1|0` overrides.
   */
  frozen?: boolean;
  /**
   * Path of the generated declarations, relative to the project root, or `false` for none.
   * Default `"src/oga-env.d.ts"` when `src/` exists (create-vite's tsconfig includes only `src`),
   * else `"oga-env.d.ts"`.
   */
  dts?: string | false;
  /**
   * Other origins files may be downloaded from (mirrors, CDNs), each exactly: `"cdn.example.org"`
   * is https on port 443, `"cdn.example.org:8443"` https on that port, `"http://mirror.local:8080"`
   * plain http. Default `[]`.
   */
  allowHosts?: string[];
  /** Connect/headers/body timeout in seconds. Default: the client's (30). */
  timeoutSeconds?: number;
  /** Refuse files larger than this many bytes (`OGA_TOO_LARGE`). Default: no limit. */
  maxFileSize?: number;
  /**
   * Zip packs (`oga:<id>/<pack>.zip/<entry>`): `maxEntrySize` refuses an entry that declares or
   * inflates to more bytes (zip bombs; default 1 GiB); `maxTotalSize` refuses a zip whose entries
   * declare more bytes together (default 4 GiB); `maxRatio` refuses a zip that unpacks to more
   * than that many times its own size, once past 16 MiB unpacked (default 100); `includeJunk`
   * keeps `__MACOSX/`, `.DS_Store` and `Thumbs.db` entries (default `false`).
   */
  archives?: { maxEntrySize?: number; maxTotalSize?: number; maxRatio?: number; includeJunk?: boolean };
  /** Retries of a failed request (network error, cut-off body, 429/5xx). Default: the client's (4). */
  retries?: number;
  /** First wait before a retry in seconds, doubling each time. Default: the client's (0.5). */
  retryDelaySeconds?: number;
  /**
   * Allowed licenses in preference order, as the site names them or as CLI slugs
   * (`["CC0", "OGA-BY 4.0", "CC-BY 4.0"]`). An asset gets the first allowed license it is offered
   * under; an asset with none fails the build (`OGA_LICENSE`). Default: every license, the most
   * permissive first (no attribution, then attribution only, then share-alike).
   */
  licenses?: string[];
  /**
   * Credits files written next to the bundle, shaped like Vite's `build.license`: `true` writes
   * `CREDITS.md` and `credits.json`, `false` none, `{ fileName }` the named file(s) (`.json` → JSON,
   * `.txt` → plain text, `.csv` → the LPC `CREDITS.csv` columns, else Markdown). Default `true`. `oga:credits` works either way.
   */
  credits?: CreditsOption;
}

/**
 * Options after defaults and environment overrides, validated once: every module reads this
 * object, never the user's. Paths are absolute.
 */
export interface ResolvedOgaOptions {
  root: string;
  url: string;
  cacheDir: string;
  concurrency: number;
  offline: boolean;
  lockfile: string;
  frozen: boolean;
  dts: string | false;
  allowHosts: string[];
  timeoutSeconds: number | undefined;
  maxFileSize: number | undefined;
  archives: { maxEntrySize: number; maxTotalSize: number; maxRatio: number; includeJunk: boolean };
  retries: number | undefined;
  retryDelaySeconds: number | undefined;
  /** The `licenses` allow-list as a policy that picks each asset's license. */
  licenses: LicensePolicy;
  /** Credits files to write beside the bundle (from the `credits` option; empty for none). */
  creditsFiles: string[];
  /** `OGA_DEBUG=1`: errors keep their stack traces and causes. */
  debug: boolean;
  /**
   * Seconds between search result pages (the dev asset page's search), from `OGA_SEARCH_DELAY`
   * as for `oga search`; `undefined` is the client's default (1).
   */
  searchDelaySeconds: number | undefined;
}

/**
 * Applies defaults and `OGA_*` environment overrides for a project `root`, and checks every
 * value, so a typo in `vite.config.ts` fails when the plugin is created, naming the option,
 * instead of being replaced by a default or failing on the first import.
 * @throws OgaError `OGA_BAD_INPUT`
 */
export function resolveOptions(
  options: OgaPluginOptions = {},
  root: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOgaOptions {
  positiveInt(options.maxFileSize, 0, "maxFileSize");
  nonNegative(options.timeoutSeconds, "timeoutSeconds");
  nonNegative(options.retries, "retries");
  nonNegative(options.retryDelaySeconds, "retryDelaySeconds");
  const absRoot = path.resolve(root);
  const cacheDir = env.OGA_CACHE_DIR || options.cacheDir;
  return {
    root: absRoot,
    url: (env.OGA_URL || options.url || DEFAULT_SITE_URL).replace(/\/+$/, ""),
    cacheDir: cacheDir ? path.resolve(absRoot, cacheDir) : defaultCacheDir(env),
    concurrency: positiveInt(options.concurrency, DEFAULT_CONCURRENCY, "concurrency"),
    offline: envFlag(env.OGA_OFFLINE) ?? options.offline ?? false,
    lockfile: path.resolve(absRoot, options.lockfile ?? DEFAULT_LOCKFILE),
    // CI is where a lockfile change would go unnoticed, so it is frozen there unless asked otherwise.
    frozen: envFlag(env.OGA_FROZEN) ?? options.frozen ?? envFlag(env.CI) ?? false,
    dts: options.dts === false ? false : path.resolve(absRoot, options.dts ?? defaultDtsPath(absRoot)),
    allowHosts: allowHosts(options.allowHosts),
    timeoutSeconds: options.timeoutSeconds,
    maxFileSize: options.maxFileSize,
    archives: {
      maxEntrySize: positiveInt(options.archives?.maxEntrySize, DEFAULT_MAX_ENTRY_SIZE, "archives.maxEntrySize"),
      maxTotalSize: positiveInt(options.archives?.maxTotalSize, DEFAULT_MAX_TOTAL_SIZE, "archives.maxTotalSize"),
      maxRatio: positiveNumber(options.archives?.maxRatio, DEFAULT_MAX_RATIO, "archives.maxRatio"),
      includeJunk: options.archives?.includeJunk ?? false,
    },
    retries: options.retries,
    retryDelaySeconds: options.retryDelaySeconds,
    licenses: createLicensePolicy(options.licenses),
    creditsFiles: creditsFileNames(options.credits),
    debug: envFlag(env.OGA_DEBUG) ?? false,
    searchDelaySeconds: seconds(env.OGA_SEARCH_DELAY, "OGA_SEARCH_DELAY"),
  };
}

/** `src/oga-env.d.ts` when `src/` exists, else `oga-env.d.ts` (relative to root). */
export function defaultDtsPath(root: string): string {
  return existsSync(path.join(root, "src")) ? path.join("src", DEFAULT_DTS_NAME) : DEFAULT_DTS_NAME;
}

/**
 * How every `OGA_*` switch (and `CI`) is read, by the plugin and the CLI alike: `"0"`, `"false"`,
 * `"no"`, `"off"` → false, unset or empty → undefined, anything else set → true.
 */
export function envFlag(value: string | undefined): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  return !/^(0|false|no|off)$/i.test(value.trim());
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value > 0) return value;
  throw new OgaError("OGA_BAD_INPUT", `vite-plugin-oga option ${name}: expected a positive integer, got ${JSON.stringify(value)}`);
}

function positiveNumber(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  throw new OgaError("OGA_BAD_INPUT", `vite-plugin-oga option ${name}: expected a number > 0, got ${JSON.stringify(value)}`);
}

/** The `allowHosts` entries, checked now so a malformed one fails when the config loads (`OGA_BAD_INPUT`). */
function allowHosts(entries: string[] | undefined): string[] {
  new AllowedHosts(entries ?? []);
  return entries ?? [];
}

/** A number of seconds >= 0 from an environment variable; unset or blank is `undefined`. */
function seconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const parsed = Number(value.trim());
  if (Number.isFinite(parsed) && parsed >= 0) return parsed;
  throw new OgaError("OGA_BAD_INPUT", `${name}: expected a number of seconds >= 0, got ${JSON.stringify(value)}`);
}

function nonNegative(value: number | undefined, name: string): void {
  if (value !== undefined && !(typeof value === "number" && Number.isFinite(value) && value >= 0)) {
    throw new OgaError("OGA_BAD_INPUT", `vite-plugin-oga option ${name}: expected a number >= 0, got ${JSON.stringify(value)}`);
  }
}
