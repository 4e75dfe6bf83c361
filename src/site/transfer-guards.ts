/**
 * Two undici interceptors that keep a transfer honest, and the test for the restart they ask for:
 *
 * - {@link resumeGuard}: undici's retry interceptor resumes a body cut midway with `Range`,
 *   adding `If-Match` only when the first answer carried a strong ETag. Without one, nothing
 *   stops the resumed part from coming from a file replaced in the meantime, and the two halves
 *   would be stitched into a file that never existed. The guard refuses such a resume before it
 *   is sent; the caller then downloads the file again, whole.
 * - {@link bodyDeadline}: `bodyTimeout` only bounds the gap between two chunks, so a server
 *   trickling a byte a second holds a build forever. Each attempt gets a deadline scaled to the
 *   bytes it announces.
 */
import type { Dispatcher } from "undici";
import { OgaError } from "../errors.js";

/** The average rate, in bytes per second, a body must keep up beyond the timeout (16 KiB/s, a very slow mobile link). */
export const MIN_BODY_BYTES_PER_SECOND = 16 * 1024;

/** Raised by {@link resumeGuard}: the cut body cannot be continued safely and must be fetched again whole. */
export class UnsafeResumeError extends Error {
  readonly code = "OGA_UNSAFE_RESUME";
  constructor(url: string) {
    super(`refusing to resume ${url} without a strong ETag to prove the rest is from the same version`);
    this.name = "UnsafeResumeError";
  }
}

/**
 * Whether a body failed in a way that a fresh, whole download may fix: a resume refused because
 * the server gave no strong validator, the server's 412 to the resume's `If-Match` (the file
 * changed), a resumed part with another ETag, or a server that ignored `Range` after a cut.
 * Looks through `cause` chains, since the store wraps the error it reports.
 */
export function needsWholeRestart(error: unknown): boolean {
  for (let e = error as { cause?: unknown; code?: unknown; statusCode?: unknown; message?: unknown } | null; e; e = e.cause as typeof e) {
    if (e instanceof UnsafeResumeError) return true;
    if (e.code !== "UND_ERR_REQ_RETRY") continue;
    if (e.statusCode === 412 || e.message === "ETag mismatch") return true;
    if (typeof e.message === "string" && e.message.startsWith("server does not support the range header")) return true;
  }
  return false;
}

/** A no-op controller for failing a dispatch that never reached a connection. */
export const REFUSED_CONTROLLER: Dispatcher.DispatchController = {
  aborted: false,
  paused: false,
  reason: null,
  abort() {},
  pause() {},
  resume() {},
};

function headerOf(headers: Dispatcher.DispatchOptions["headers"], name: string): string | undefined {
  if (!headers || typeof headers !== "object" || Array.isArray(headers) || Symbol.iterator in headers) return undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Fails a dispatch that resumes a body (`Range`) without `If-Match`: undici sends that after a cut
 * when the first answer had no ETag or a weak one (`W/"…"`). A strong ETag travels as `If-Match`,
 * and the server answers 412 when the file changed, which {@link needsWholeRestart} recognises.
 * Sits inside the retry interceptor, so it sees each resume before a connection is used.
 */
export function resumeGuard(): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    if (headerOf(opts.headers, "range") === undefined || headerOf(opts.headers, "if-match") !== undefined) return dispatch(opts, handler);
    const error = new UnsafeResumeError(new URL(opts.path, opts.origin).href);
    // Asynchronously, as a connection error would arrive: the retry handler dispatches from its callbacks.
    queueMicrotask(() => handler.onResponseError?.(REFUSED_CONTROLLER, error));
    return true;
  };
}

/** Seconds with one decimal, for messages. */
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Gives each attempt's body a deadline: the timeout plus the announced size (Content-Length) at
 * {@link MIN_BODY_BYTES_PER_SECOND}; without a Content-Length, the timeout plus what arrived so
 * far at that rate. Time the body spends paused by its reader (a slow disk, a retry's wait) is
 * ours, not the server's, and does not count. Checked as chunks arrive (a silent server is
 * `bodyTimeout`'s job); past it the attempt is aborted with `OGA_UNREACHABLE` saying which URL,
 * how many bytes in how long, and what to do. Only 2xx bodies are timed (error pages are
 * discarded). Sits inside the retry interceptor: a resumed attempt gets its own deadline for the
 * bytes it still has to send, and the retry policy does not retry a deadline.
 */
export function bodyDeadline(timeoutMs: number): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const url = new URL(opts.path, opts.origin).href;
    const clock = new PausableClock();
    let timed = false;
    let announced: number | null = null;
    let received = 0;
    let expired = false;
    const guarded: Dispatcher.DispatchHandler = {
      onRequestStart: (controller, context) => handler.onRequestStart?.(clock.controller(controller), context),
      onRequestUpgrade: (controller, statusCode, headers, socket) => handler.onRequestUpgrade?.(clock.controller(controller), statusCode, headers, socket),
      onResponseStart(controller, statusCode, headers, statusMessage) {
        timed = statusCode >= 200 && statusCode < 300;
        clock.start();
        const length = headers["content-length"];
        const text = Array.isArray(length) ? length[0] : length;
        announced = text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
        return handler.onResponseStart?.(clock.controller(controller), statusCode, headers, statusMessage);
      },
      onResponseData(controller, chunk) {
        if (expired) return;
        received += chunk.length;
        const allowedMs = timeoutMs + ((announced ?? received) / MIN_BODY_BYTES_PER_SECOND) * 1000;
        const elapsed = clock.elapsed();
        if (timed && elapsed > allowedMs) {
          expired = true;
          const of = announced === null ? "" : ` of ${announced}`;
          controller.abort(
            new OgaError(
              "OGA_UNREACHABLE",
              `${url} is too slow: ${received}${of} bytes in ${seconds(elapsed)}, past its deadline of ${seconds(allowedMs)} (the timeout plus ${MIN_BODY_BYTES_PER_SECOND / 1024} KiB/s). The server or the network is struggling: try again later, or raise timeoutSeconds.`,
            ),
          );
          return;
        }
        handler.onResponseData?.(clock.controller(controller), chunk);
      },
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(clock.controller(controller), trailers),
      onResponseError: (controller, error) => handler.onResponseError?.(clock.controller(controller), error),
    };
    return dispatch(opts, guarded);
  };
}

/** Time since {@link start}, less the time the reader kept the response paused through {@link controller}. */
class PausableClock {
  #started = 0;
  #pausedSince: number | null = null;
  #pausedMs = 0;
  #wrapped = new WeakMap<Dispatcher.DispatchController, Dispatcher.DispatchController>();

  start(): void {
    this.#started = performance.now();
    this.#pausedMs = 0;
    this.#pausedSince = null;
  }

  elapsed(): number {
    const now = performance.now();
    return now - this.#started - this.#pausedMs - (this.#pausedSince === null ? 0 : now - this.#pausedSince);
  }

  /** `controller` as handed downstream: the same, but its pauses are timed. */
  controller(controller: Dispatcher.DispatchController): Dispatcher.DispatchController {
    // undici passes no controller with an error raised before the request had one (a refused connection).
    if (typeof controller !== "object" || controller === null) return controller;
    let wrapped = this.#wrapped.get(controller);
    if (!wrapped) {
      const clock = this;
      wrapped = {
        get aborted() {
          return controller.aborted;
        },
        get paused() {
          return controller.paused;
        },
        get reason() {
          return controller.reason;
        },
        abort: (reason) => controller.abort(reason),
        pause() {
          clock.#pausedSince ??= performance.now();
          controller.pause();
        },
        resume() {
          if (clock.#pausedSince !== null) clock.#pausedMs += performance.now() - clock.#pausedSince;
          clock.#pausedSince = null;
          controller.resume();
        },
      };
      this.#wrapped.set(controller, wrapped);
    }
    return wrapped;
  }
}
