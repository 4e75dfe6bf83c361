/**
 * Global options shared by every command, and the small readers that turn cac's loosely typed
 * option bag into checked values. Usage errors are `CliUsageError`s so the runner can exit 2.
 */
import type { CAC } from "cac";
import { DEFAULT_SITE_URL, type ClientOptions } from "../client.js";
import { envFlag } from "../project/options.js";

/** A mistake in how the command was typed (bad flag value, unknown flag): exit code 2. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** The parsed option bag cac hands to an action (camelCased flag names). */
export type OptionBag = Record<string, unknown>;

/** Global options, resolved against the environment. */
export interface GlobalOptions {
  url: string;
  cacheDir: string | undefined;
  concurrency: number | undefined;
  offline: boolean;
  /** Refuse files over this many bytes (OGA_TOO_LARGE). */
  maxFileSize: number | undefined;
}

export function addGlobalOptions(cli: CAC): void {
  cli.option("--url <url>", `Site to talk to (env OGA_URL, default ${DEFAULT_SITE_URL})`);
  cli.option("--cache-dir <dir>", "Cache directory (env OGA_CACHE_DIR, default ~/.cache/oga)");
  cli.option("--concurrency <n>", "Most files downloaded at once (default 5)");
  cli.option("--offline", "Never touch the network; answer from the cache (env OGA_OFFLINE=1)");
  cli.option("--max-file-size <bytes>", "Refuse to download a file larger than this (default no limit)");
}

export function readGlobalOptions(options: OptionBag, env: NodeJS.ProcessEnv): GlobalOptions {
  return {
    url: optionalString(options, "url", "--url") ?? nonEmpty(env.OGA_URL) ?? DEFAULT_SITE_URL,
    // An explicit flag wins; otherwise the library's defaultCacheDir reads OGA_CACHE_DIR itself.
    cacheDir: optionalString(options, "cacheDir", "--cache-dir"),
    concurrency: optionalPositiveInteger(options, "concurrency", "--concurrency"),
    offline: options.offline === true || (envFlag(env.OGA_OFFLINE) ?? false),
    maxFileSize: optionalPositiveInteger(options, "maxFileSize", "--max-file-size"),
  };
}

/** Client options from the global options; commands add their own (e.g. the search delay). */
export function clientOptions(global: GlobalOptions, signal: AbortSignal): ClientOptions {
  return {
    url: global.url,
    signal,
    offline: global.offline,
    ...(global.cacheDir !== undefined && { cacheDir: global.cacheDir }),
    ...(global.concurrency !== undefined && { concurrency: global.concurrency }),
    ...(global.maxFileSize !== undefined && { maxFileSize: global.maxFileSize }),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * A single string flag. cac turns repeated flags into arrays: a repeated single-valued flag is
 * refused rather than silently taking one of them. (Number-like values stay text: see
 * `keepText` in index.ts.)
 */
export function optionalString(options: OptionBag, key: string, flag: string): string | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new CliUsageError(`${flag} was given ${value.length} times; give it once`);
  if (value === true || value === "") throw new CliUsageError(`${flag} needs a value`);
  return String(value);
}

/** A repeatable flag (`--tag a --tag b`), also accepting comma-free single use. */
export function stringList(options: OptionBag, key: string, flag: string): string[] {
  const value = options[key];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => {
    if (item === true || item === "") throw new CliUsageError(`${flag} needs a value`);
    return String(item);
  });
}

export function optionalPositiveInteger(options: OptionBag, key: string, flag: string): number | undefined {
  const text = optionalString(options, key, flag);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new CliUsageError(`${flag}: expected a positive integer, got "${text}"`);
  return value;
}

export function optionalNonNegativeNumber(options: OptionBag, key: string, flag: string): number | undefined {
  const text = optionalString(options, key, flag);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new CliUsageError(`${flag}: expected a number of seconds >= 0, got "${text}"`);
  return value;
}

/** One of a fixed set of values; the error lists them all, as the Python CLI's choices did. */
export function choice<T extends string>(value: string, flag: string, allowed: readonly T[]): T {
  const key = value.trim().toLowerCase();
  const found = allowed.find((option) => option === key);
  if (found === undefined) throw new CliUsageError(`${flag}: "${value}" is not allowed; allowed: ${allowed.join(", ")}`);
  return found;
}
