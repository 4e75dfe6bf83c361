import { escapeControls } from "./untrusted-text.js";

/** Machine-readable error codes; stable, documented in the README. */
export type OgaErrorCode =
  | "OGA_NOT_FOUND" // the asset page or a file does not exist (404)
  | "OGA_UNREACHABLE" // network error or timeout after retries
  | "OGA_HTTP" // unexpected HTTP status after retries
  | "OGA_PARSE" // a page did not have the expected markup
  | "OGA_BAD_INPUT" // invalid argument: filter value, asset id, specifier
  | "OGA_OFF_ORIGIN" // a URL outside the configured site and allowHosts
  | "OGA_OFFLINE" // offline and the cache does not have it
  | "OGA_INTEGRITY" // a body or blob does not match its expected size or sha256
  | "OGA_TOO_LARGE" // a file over the configured maximum size
  | "OGA_NO_FILE" // a file name or glob that the asset does not have
  | "OGA_FROZEN" // frozen lockfile would have to change
  | "OGA_LICENSE" // no allowed license
  | "OGA_ARCHIVE" // a corrupt or hostile archive
  | "OGA_CACHE"; // the local cache could not be read or written (a file system error: EACCES, ENOSPC, EMFILE …)

/**
 * Every error this package throws on purpose. `message` is one line a user can act on; page text
 * in it (file names, titles) reaches terminals and logs, so its control characters are escaped.
 * `lines: true` is for a message laid out in lines (a list of imports): its line breaks pass, and
 * the caller has escaped each line's text itself.
 */
export class OgaError extends Error {
  readonly code: OgaErrorCode;
  constructor(code: OgaErrorCode, message: string, options?: { cause?: unknown; lines?: boolean }) {
    super(escapeControls(message, options?.lines ? "\n" : ""), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OgaError";
    this.code = code;
  }
}

export function isOgaError(error: unknown, code?: OgaErrorCode): error is OgaError {
  return error instanceof OgaError && (code === undefined || error.code === code);
}
