/**
 * Imports a build could not fetch because the cache lacks them (offline, or the site out of
 * reach), gathered into one error: each import where it is written, then the one command that
 * fetches them all. Twenty missing imports are one cause, not twenty errors with a stack each.
 */
import { OgaError, isOgaError, type OgaErrorCode } from "../errors.js";
import { plural } from "./human-units.js";
import { escapeControls } from "../untrusted-text.js";

/** The codes that mean "not in the cache and not fetchable now". */
const MISSING: ReadonlySet<OgaErrorCode> = new Set<OgaErrorCode>(["OGA_OFFLINE", "OGA_UNREACHABLE", "OGA_HTTP"]);

export interface MissingImport {
  /** Where the import is written (shown as is), or "" when unknown. */
  where: string;
  specifier: string;
  error: OgaError;
}

/** Whether `error` is one a build should gather rather than fail on at once. */
export function isMissingFromCache(error: unknown): error is OgaError {
  return isOgaError(error) && MISSING.has(error.code);
}

/**
 * One `OgaError` for all of `missing` (in the order given, each import once). Offline wins the
 * code: with offline mode on, the network never was the problem.
 */
export function missingImportsError(missing: readonly MissingImport[], { debug = false }: { debug?: boolean } = {}): OgaError {
  const seen = new Set<string>();
  const unique = missing.filter((m) => {
    const key = JSON.stringify([m.where, m.specifier]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const offline = unique.some((m) => m.error.code === "OGA_OFFLINE");
  const code: OgaErrorCode = offline ? "OGA_OFFLINE" : unique.some((m) => m.error.code === "OGA_UNREACHABLE") ? "OGA_UNREACHABLE" : "OGA_HTTP";
  // Escaped line by line: the list's own line breaks must pass, and a path or specifier never adds one.
  const list = unique.map((m) => escapeControls(`  ${m.where ? `${m.where}: ` : ""}"${m.specifier}"`)).join("\n");
  const count = plural(unique.length, "import");
  const message = offline
    ? `${count} not in the cache, and offline mode is on:\n${list}\nRun \`oga prefetch\` once while online: it fetches and locks every one of them. Or build without OGA_OFFLINE / offline: true.`
    : `${count} not in the cache, and the site cannot be reached (${firstReason(unique)}):\n${list}\nCheck the network or OGA_URL, then build again or run \`oga prefetch\`, which fetches and locks every one of them.`;
  const cause = debug ? new AggregateError(unique.map((m) => m.error), "the errors gathered") : undefined;
  return new OgaError(code, message, { cause, lines: true });
}

/** The underlying reason of the first network failure (what the client said, without our advice). */
function firstReason(missing: readonly MissingImport[]): string {
  let error: unknown = missing.find((m) => m.error.code !== "OGA_OFFLINE")?.error;
  while (isOgaError(error) && isOgaError(error.cause)) error = error.cause;
  return error instanceof Error ? error.message.replace(/[.\s]+$/, "") : "unknown";
}
