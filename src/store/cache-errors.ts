/**
 * File system failures inside the cache, told apart from everything else: a disk that is full or
 * read-only is not a broken download (`OGA_INTEGRITY`) nor a damaged zip (`OGA_ARCHIVE`), and
 * the user needs the path and the system's reason to fix it.
 */
import { OgaError } from "../errors.js";

/** Codes that mean "this process may not write here": a restored CI cache, a shared team cache, a read-only mount. */
const READ_ONLY_CODES = new Set(["EACCES", "EPERM", "EROFS"]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Whether `error` (or the file system error an `OGA_CACHE` error wraps) says the cache may not be written. */
export function isReadOnlyError(error: unknown): boolean {
  const code = codeOf(error);
  if (code === "OGA_CACHE") return isReadOnlyError((error as Error).cause);
  return code !== undefined && READ_ONLY_CODES.has(code);
}

/** Swallows the failure of an optional write to a cache this process may not write; rethrows the rest. */
export function ignoreReadOnly(error: unknown): void {
  if (!isReadOnlyError(error)) throw error;
}

/** Whether `error` is a Node file system error (it carries an errno code such as `ENOSPC`). */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).errno === "number" && /^E[A-Z0-9]+$/.test(codeOf(error) ?? "");
}

/** What to do about a failed file operation, by its errno code. */
function advice(code: string | undefined, cacheDir: string | undefined): string {
  const cache = cacheDir ? `the cache ${cacheDir}` : "the cache";
  switch (code) {
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return `This process may not write ${cache}: builds that need no download work from it as it is; to download, make it writable or point cacheDir / OGA_CACHE_DIR at a writable directory.`;
    case "ENOSPC":
    case "EDQUOT":
    case "EFBIG":
      return `The disk holding ${cache} is full (or this file is over a size limit): free some space, or point cacheDir / OGA_CACHE_DIR elsewhere, and run again.`;
    case "EMFILE":
    case "ENFILE":
      return "Too many files are open: raise the limit (`ulimit -n`) or lower the concurrency option, and run again.";
    case "ENOENT":
      return `Part of ${cache} was removed while in use: run again (the cache recreates its layout).`;
    case "ENOTDIR":
    case "EEXIST":
      return `A file sits where ${cache} needs a directory: remove it (or the whole cache) and run again.`;
    case "EISDIR":
    case "ENOTEMPTY":
    case "ELOOP":
      return `A directory or a link sits where ${cache} needs a file: remove it (or the whole cache) and run again.`;
    default:
      return `Check the disk and ${cache}.`;
  }
}

/**
 * An `OGA_CACHE` error for a failed file operation on `file`, naming the path, the errno code and
 * what to do. `OgaError`s pass through unchanged.
 *
 * @param doing what was attempted, as a verb phrase: "write", "create", "read", "move into place".
 * @param cacheDir the cache directory, named in the advice when known.
 */
export function cacheIoError(error: unknown, file: string, doing: string, cacheDir?: string): OgaError {
  if (error instanceof OgaError) return error;
  const code = codeOf(error);
  const text = error instanceof Error ? error.message : String(error);
  // Node's messages read "ENOSPC: no space left on device, write": keep the reason, drop the repetition.
  const reason = /^E[A-Z0-9]+: ([^,]+)/.exec(text)?.[1] ?? text;
  const what = code ? `${code}: ${reason}` : reason;
  return new OgaError("OGA_CACHE", `Could not ${doing} ${file} (${what}). ${advice(code, cacheDir)}`, { cause: error });
}
