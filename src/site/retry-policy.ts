/**
 * When and how long to wait before retrying a request: the `retry` callback of undici's retry
 * interceptor. Replacing undici's default lets a backoff wait end at once when the caller's
 * abort signal fires, and keeps Retry-After under its own (larger) cap than the backoff.
 */
import type { RetryHandler } from "undici";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff delay; doubles on each retry. */
  minDelayMs: number;
  /** Largest backoff delay. */
  maxDelayMs: number;
  /** Largest wait a `Retry-After` header may ask for; longer asks are cut to this. */
  maxRetryAfterMs: number;
  statusCodes: readonly number[];
  errorCodes: readonly string[];
}

/** Statuses worth another try: rate limiting, and the nginx front's passing 5xx answers. */
export const RETRY_STATUS_CODES = [429, 500, 502, 503, 504] as const;

/**
 * Network errors worth another try; the two timeouts are not retried by undici by default.
 * `UND_ERR_RES_CONTENT_LENGTH_MISMATCH` is how undici reports a connection that closed or was
 * reset in the middle of a body (fewer bytes than Content-Length): the retry interceptor then
 * resumes from the last byte with `Range` + `If-Match` when the file has a strong ETag (the
 * server answers 412 once it changed), and the resume guard (transfer-guards.ts) refuses any
 * other resume, so a file is never stitched together from two versions.
 */
export const RETRY_ERROR_CODES = [
  "ECONNRESET", "ECONNREFUSED", "ENOTFOUND", "ENETDOWN", "ENETUNREACH", "EHOSTDOWN", "EHOSTUNREACH", "EPIPE", "ETIMEDOUT",
  "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
] as const;

/** Milliseconds a `Retry-After` value asks for (seconds or an HTTP date), or `null`. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === "") return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

interface RetryableError extends Error {
  statusCode?: number;
  code?: string;
  headers?: Record<string, string | string[] | undefined>;
}

/** The retry callback for `interceptors.retry({ retry })`. */
export function createRetryCallback(policy: RetryPolicy): RetryHandler.RetryCallback {
  return (error, { state, opts }, callback) => {
    const { statusCode, code, headers } = error as RetryableError;
    // request() passes its signal down in the dispatch options; the typings leave it out.
    const signal = (opts as { signal?: AbortSignal }).signal;
    const retryable =
      statusCode !== undefined ? policy.statusCodes.includes(statusCode) : code !== undefined && policy.errorCodes.includes(code);
    if (!retryable || signal?.aborted || state.counter > policy.retries) {
      callback(error);
      return;
    }
    const asked = statusCode !== undefined ? retryAfterMs(headers?.["retry-after"]) : null;
    const delay =
      asked !== null
        ? Math.min(asked, policy.maxRetryAfterMs)
        : Math.min(policy.minDelayMs * 2 ** (state.counter - 1), policy.maxDelayMs);
    const onAbort = (): void => {
      clearTimeout(timer);
      callback((signal?.reason as Error | undefined) ?? error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      callback(null);
    }, delay);
    signal?.addEventListener("abort", onAbort, { once: true });
  };
}
