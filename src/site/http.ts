/**
 * The one way this package talks to the site: a private undici Agent with retry and redirect
 * interceptors, an origin policy, and errors translated into `OgaError`s a user can act on.
 */
import { Readable } from "node:stream";
import type { Agent, Dispatcher } from "undici";
import { OgaError } from "../errors.js";
import { AllowedHosts } from "./allow-hosts.js";
import type { UndiciParts } from "./undici-parts.js";
import { createRetryCallback, RETRY_ERROR_CODES, RETRY_STATUS_CODES } from "./retry-policy.js";
import { bodyDeadline, REFUSED_CONTROLLER, resumeGuard } from "./transfer-guards.js";
import { LARGE_BODY_BYTES, retainFreedHeapForLargeBodies } from "./heap-retention.js";
import { dispatchStreamed, type StreamedBody, type StreamedHead } from "./streamed-response.js";
import { fetchUrlOf, isCanonicalOrigin, isCanonicalSiteUrl } from "./site-url.js";

export interface SiteHttpOptions {
  /**
   * The site, e.g. `"https://opengameart.org"`, or a mirror of it: links on the canonical site
   * (`opengameart.org`, `www.opengameart.org`) are fetched from this origin.
   */
  origin: string;
  /** Sent with every request; names the tool (`vite-plugin-oga/<version> (+https://…)`). */
  userAgent: string;
  /** Agent connections per origin (= client concurrency). */
  connections: number;
  /**
   * Other (foreign) origins files may come from: `"cdn.example.org"` (https, port 443),
   * `"host:port"` (https on that port) or `"http://host:port"` (plain http only when written
   * out); see allow-hosts.ts.
   */
  allowHosts?: string[];
  /** Connect, headers and body timeouts in seconds (fractions allowed). Default 30. */
  timeoutSeconds?: number;
  /** Retries after the first attempt, with exponential backoff; honours Retry-After. Default 4. */
  retries?: number;
  /** First backoff delay in ms, doubling per retry. Default 500. */
  retryMinDelayMs?: number;
  /** Largest backoff delay in ms. Default 10 000. */
  retryMaxDelayMs?: number;
  /** Largest wait in ms a Retry-After header may impose. Default 60 000. */
  retryAfterMaxMs?: number;
  /** Redirects followed per request. Default 5. */
  maxRedirections?: number;
}

export interface FileResponse {
  status: 200 | 304;
  /** Final URL after redirects. */
  url: string;
  etag: string | null;
  lastModified: string | null;
  /** Content-Length, or `null` when the server does not say. */
  size: number | null;
  /**
   * Empty for 304. For 200 the caller must consume it (e.g. `stream/promises.pipeline`) or
   * destroy it; destroying emits an `error` event, so have a listener or use `pipeline`.
   */
  body: Readable;
}

/** A {@link FileResponse} whose body is handed to a sink ({@link SiteHttp.streamFile}). */
export interface StreamedFileResponse extends Omit<FileResponse, "body"> {
  /** Empty for 304. For 200 the caller must receive or discard it, or the connection stays held. */
  body: StreamedBody;
}

type ResponseData = Dispatcher.ResponseData;

interface Stack {
  agent: Agent;
  dispatcher: Dispatcher;
  request: UndiciParts["request"];
}

const DEFAULT_TIMEOUT_SECONDS = 30;
/**
 * GETs sent ahead on one connection (HTTP/1.1 pipelining). Over a real link a request sent behind
 * another travels with it and its answer follows at once, so a build of many small files pays
 * half the round trips on the same number of connections; the server still answers one at a time
 * per connection. Two, so a large body holds up at most one request queued behind it.
 */
export const PIPELINING = 2;
const HTML_TYPE = /^\s*(text\/html|application\/xhtml\+xml)\b/i;
const HTML_NAME = /\.x?html?$/i;

type Headers = ResponseData["headers"];

function header(headers: Headers, name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** The last URL the redirect interceptor visited (its `context.history`), or the request URL. */
function finalUrl(context: unknown, requested: URL): string {
  const history = (context as { history?: readonly URL[] } | undefined)?.history;
  const last = history?.[history.length - 1];
  return last ? last.href : requested.href;
}

/** Discards a body we will not read, so the connection goes back to the pool. */
async function discard(response: ResponseData): Promise<void> {
  await response.body.dump().catch(() => undefined);
}

export class SiteHttp {
  readonly origin: string;
  /** The origin is the live site, so its other spellings (`www.`, `http:`) are its own too. */
  readonly #isLiveSite: boolean;
  readonly #allowHosts: AllowedHosts;
  readonly #options: SiteHttpOptions;
  /**
   * The undici stack, loaded and built on the first request: undici costs ~100 ms of CPU and
   * ~20 MB to load, and a warm build or dev server (lockfile + cache) never sends a request.
   */
  #stack: Promise<Stack> | undefined;
  readonly #userAgent: string;
  readonly #timeoutSeconds: number;

  constructor(options: SiteHttpOptions) {
    let site: URL;
    try {
      site = new URL(options.origin);
    } catch (cause) {
      throw new OgaError("OGA_BAD_INPUT", `invalid site URL ${JSON.stringify(options.origin)}; expected e.g. "https://opengameart.org"`, { cause });
    }
    if (site.protocol !== "http:" && site.protocol !== "https:") {
      throw new OgaError("OGA_BAD_INPUT", `invalid site URL ${JSON.stringify(options.origin)}: only http and https are supported`);
    }
    this.origin = site.origin;
    this.#isLiveSite = isCanonicalOrigin(site.origin);
    this.#allowHosts = new AllowedHosts(options.allowHosts ?? []);
    this.#userAgent = options.userAgent;
    this.#timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    this.#options = options;
  }

  #loadStack(): Promise<Stack> {
    return (this.#stack ??= this.#buildStack());
  }

  async #buildStack(): Promise<Stack> {
    const [{ Agent, buildConnector, interceptors, request }, { guardedConnector }] = await Promise.all([
      import("./undici-parts.js").then((m) => m.loadUndiciParts()),
      import("./paused-parser-guard.js"),
    ]);
    const options = this.#options;
    const timeoutMs = Math.max(1, Math.round(this.#timeoutSeconds * 1000));
    const agent = new Agent({
      connections: options.connections,
      pipelining: PIPELINING,
      // undici's connector plus a guard against its crash on a body cut while paused (see there).
      connect: guardedConnector(buildConnector, { timeout: timeoutMs }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const retry = createRetryCallback({
      retries: options.retries ?? 4,
      minDelayMs: options.retryMinDelayMs ?? 500,
      maxDelayMs: options.retryMaxDelayMs ?? 10_000,
      maxRetryAfterMs: options.retryAfterMaxMs ?? 60_000,
      statusCodes: RETRY_STATUS_CODES,
      errorCodes: RETRY_ERROR_CODES,
    });
    // compose() wraps inside-out: the host guard sees every dispatch, including each retry and
    // each redirect hop, before a connection is opened; the resume guard sees each resume; the
    // deadline applies to each attempt; the redirect interceptor is outermost.
    const dispatcher = agent.compose(
      hostGuard((url) => this.#isAllowed(url)),
      resumeGuard(),
      bodyDeadline(timeoutMs),
      interceptors.retry({
        retry,
        // false: a final 5xx reaches us as a response (with its status) instead of a bare error.
        throwOnError: false,
        statusCodes: [...RETRY_STATUS_CODES],
        errorCodes: [...RETRY_ERROR_CODES],
        maxRetries: options.retries ?? 4,
      }),
      interceptors.redirect({ maxRedirections: options.maxRedirections ?? 5 }),
    );
    return { agent, dispatcher, request };
  }

  #isAllowed(url: URL): boolean {
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    if (url.origin === this.origin || (this.#isLiveSite && isCanonicalSiteUrl(url))) return true;
    return this.#allowHosts.allows(url);
  }

  /**
   * The URL to request for `url`, checked: a link on the canonical site (`https://opengameart.org`
   * and its other spellings) is the site's own and goes to the configured origin, so a mirror
   * serves the files its pages link absolutely; any other URL must be on the origin or on a host
   * listed in `allowHosts`. Relative URLs resolve against the origin.
   *
   * @param what what the URL is for, named in the error ("file", "page").
   * @throws OgaError `OGA_OFF_ORIGIN` naming the URL and the `allowHosts` option.
   */
  assertAllowed(url: string, what: string): URL {
    let parsed: URL;
    try {
      parsed = fetchUrlOf(new URL(url, this.origin), this.origin);
    } catch (cause) {
      throw new OgaError("OGA_BAD_INPUT", `invalid ${what} URL ${JSON.stringify(url)}`, { cause });
    }
    if (!this.#isAllowed(parsed)) throw offOrigin(what, parsed, this.origin);
    return parsed;
  }

  /**
   * GETs an HTML page.
   *
   * @returns the final URL (after redirects) and the page's HTML.
   * @throws OgaError `OGA_NOT_FOUND` (404/410), `OGA_PARSE` (not HTML), `OGA_HTTP` (other status
   *   after retries), `OGA_UNREACHABLE` (network failure after retries), `OGA_OFF_ORIGIN`.
   *   An aborted signal rejects with the signal's reason.
   */
  async getPage(url: string, options: { signal?: AbortSignal } = {}): Promise<{ url: string; html: string }> {
    const target = this.assertAllowed(url, "page");
    const response = await this.#send(target, { accept: "text/html,application/xhtml+xml" }, options.signal);
    await refuseEncoded(response.headers, response.statusCode, target, () => discard(response));
    const status = response.statusCode;
    if (status !== 200) {
      await discard(response);
      if (status === 404 || status === 410) throw new OgaError("OGA_NOT_FOUND", `no such page: ${target.href} (HTTP ${status})`);
      throw unexpectedStatus(status, target);
    }
    const type = header(response.headers, "content-type");
    if (!type || !HTML_TYPE.test(type)) {
      await discard(response);
      throw new OgaError("OGA_PARSE", `expected an HTML page at ${target.href} but got ${type ?? "no content-type"}`);
    }
    try {
      return { url: finalUrl(response.context, target), html: await response.body.text() };
    } catch (error) {
      throw this.#translate(error, target, options.signal);
    }
  }

  /**
   * GETs a file, conditional on `etag` (If-None-Match) when given. Redirects to hosts outside the
   * policy are refused before they are followed.
   *
   * @throws OgaError `OGA_NOT_FOUND` (404/410), `OGA_HTTP` (other status, or an HTML page served
   *   with 200 in place of a non-HTML file), `OGA_UNREACHABLE`, `OGA_OFF_ORIGIN`.
   */
  async openFile(url: string, options: { etag?: string | null; signal?: AbortSignal } = {}): Promise<FileResponse> {
    const target = this.assertAllowed(url, "file");
    const response = await this.#send(target, conditional(options.etag), options.signal);
    const head = await checkFileHead(target, response.statusCode, response.headers, response.context, options.etag, () => discard(response));
    // Drain the (empty) 304 body here so the connection is reusable and a caller that simply
    // drops the stream leaks nothing.
    if (head.status === 304) await discard(response);
    return { ...head, body: head.status === 304 ? Readable.from([]) : response.body };
  }

  /**
   * {@link openFile} for a caller that consumes the body synchronously, chunk by chunk (the
   * store: hash and write each chunk as it arrives): the body is handed to a sink instead of a
   * stream, which costs less per chunk (see streamed-response.ts). Same checks, same errors.
   */
  async streamFile(url: string, options: { etag?: string | null; signal?: AbortSignal } = {}): Promise<StreamedFileResponse> {
    const target = this.assertAllowed(url, "file");
    const { signal } = options;
    signal?.throwIfAborted();
    let response: { head: StreamedHead; body: StreamedBody };
    try {
      const { dispatcher } = await this.#loadStack();
      response = await dispatchStreamed(dispatcher, this.#requestOptions(target, conditional(options.etag)), signal);
    } catch (error) {
      throw this.#translate(error, target, signal);
    }
    const { head, body } = response;
    const checked = await checkFileHead(target, head.statusCode, head.headers, head.context, options.etag, async () => body.discard());
    if (checked.status === 200 && checked.size !== null && checked.size >= LARGE_BODY_BYTES) retainFreedHeapForLargeBodies();
    return { ...checked, body };
  }

  /**
   * Loads the undici stack now instead of with the first request, for a caller that knows
   * requests will follow: loading it overlaps with the caller's own waiting. A failure surfaces
   * with the first request, as it would have without this call.
   */
  preload(): void {
    this.#loadStack().catch(() => undefined);
  }

  /** Closes the connections once in-flight requests finish. */
  async close(): Promise<void> {
    // Never loaded means no connection to close (and no reason to load undici now).
    if (this.#stack) await (await this.#stack).agent.close();
  }

  async #send(url: URL, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<ResponseData> {
    signal?.throwIfAborted();
    try {
      const { dispatcher, request } = await this.#loadStack();
      return await request(dispatcher, { ...this.#requestOptions(url, headers), signal });
    } catch (error) {
      throw this.#translate(error, url, signal);
    }
  }

  #requestOptions(url: URL, headers: Record<string, string>): Dispatcher.DispatchOptions {
    return {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: "GET",
      // Bodies are hashed and stored byte for byte: a gzip transfer coding would be stored
      // compressed (undici does not decode), so only the identity is accepted.
      headers: { "user-agent": this.#userAgent, "accept-encoding": "identity", ...headers },
      // undici would not send the next request on this connection before these headers came
      // back (its default for any GET); GETs are idempotent, and a failed pipeline is retried.
      blocking: false,
    };
  }

  /** Turns an undici error into the error a caller should see. */
  #translate(error: unknown, url: URL, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return signal.reason;
    if (error instanceof OgaError) return error;
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "UND_ERR_INVALID_ARG") {
      // e.g. the redirect interceptor's loop detection
      return new OgaError("OGA_HTTP", `request for ${url.href} failed: ${(error as Error).message}`, { cause: error });
    }
    return new OgaError("OGA_UNREACHABLE", `could not reach ${url.origin}: ${describeNetworkError(error, this.#timeoutSeconds)}`, { cause: error });
  }
}

/**
 * Refuses a body sent with a Content-Encoding although only `identity` was accepted (a proxy or
 * a misconfigured server compressing on the fly): stored as is, it would not be the file.
 * @throws OgaError OGA_HTTP naming the URL and the encoding.
 */
async function refuseEncoded(headers: Headers, status: number, url: URL, drop: () => Promise<void>): Promise<void> {
  const encoding = header(headers, "content-encoding")?.trim().toLowerCase();
  if (!encoding || encoding === "identity" || status === 304) return;
  await drop();
  throw new OgaError(
    "OGA_HTTP",
    `${url.href} was sent with Content-Encoding: ${encoding} although only the identity encoding was asked for; refusing to store an encoded body. A proxy between you and the site may be re-encoding files: try another network, or try again later.`,
  );
}

/** If-None-Match for a conditional GET. */
function conditional(etag: string | null | undefined): Record<string, string> {
  return etag ? { "if-none-match": etag } : {};
}

/**
 * What {@link SiteHttp.openFile} and {@link SiteHttp.streamFile} tell about a file response, once
 * its status, encoding and type are acceptable; `drop` discards the body of a refused one.
 */
async function checkFileHead(
  target: URL,
  status: number,
  headers: Headers,
  context: unknown,
  etag: string | null | undefined,
  drop: () => Promise<void>,
): Promise<Omit<FileResponse, "body">> {
  await refuseEncoded(headers, status, target, drop);
  const common = { url: finalUrl(context, target), etag: header(headers, "etag"), lastModified: header(headers, "last-modified") };
  if (status === 304) return { status, ...common, etag: common.etag ?? etag ?? null, size: null };
  if (status !== 200) {
    await drop();
    if (status === 404 || status === 410) throw new OgaError("OGA_NOT_FOUND", `file not found: ${target.href} (HTTP ${status})`);
    throw unexpectedStatus(status, target);
  }
  const type = header(headers, "content-type");
  const name = new URL(common.url).pathname.split("/").pop() ?? "";
  if (type && HTML_TYPE.test(type) && !HTML_NAME.test(name)) {
    await drop();
    throw new OgaError(
      "OGA_HTTP",
      `${target.href} answered with an HTML page (${type}) instead of the file; the site may be serving an error or maintenance page`,
    );
  }
  const length = header(headers, "content-length");
  const size = length !== null && /^\d+$/.test(length) ? Number(length) : null;
  return { status, ...common, size };
}

function offOrigin(what: string, url: URL, origin: string): OgaError {
  return new OgaError(
    "OGA_OFF_ORIGIN",
    `refusing to fetch ${what} ${url.href}: it is not on ${origin}; add "${AllowedHosts.entryFor(url)}" to the allowHosts option if you trust it`,
  );
}

function unexpectedStatus(status: number, url: URL): OgaError {
  const retried = (RETRY_STATUS_CODES as readonly number[]).includes(status) ? " after retries" : "";
  const redirect = status >= 300 && status < 400 ? " (too many redirects or no Location)" : "";
  return new OgaError("OGA_HTTP", `unexpected HTTP ${status}${redirect} from ${url.href}${retried}`);
}

function describeNetworkError(error: unknown, timeoutSeconds: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return `connection timed out after ${timeoutSeconds} s`;
    case "UND_ERR_HEADERS_TIMEOUT":
      return `no response within ${timeoutSeconds} s`;
    case "UND_ERR_BODY_TIMEOUT":
      return `the download stalled for ${timeoutSeconds} s`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
    }
  }
}

/**
 * An interceptor that fails any dispatch to a URL outside the origin policy. It sits inside the
 * redirect interceptor, so it checks every hop *before* connecting, rather than inspecting the
 * final URL after a request to a foreign host was already made.
 */
function hostGuard(isAllowed: (url: URL) => boolean): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const url = new URL(opts.path, opts.origin);
    if (isAllowed(url)) return dispatch(opts, handler);
    // A mirror that sends a request on to the live site defeats the point of the mirror.
    const why = isCanonicalSiteUrl(url) ? "the configured mirror sends it on to the live site" : "it is not on the configured site";
    const error = new OgaError("OGA_OFF_ORIGIN", `refusing redirect to ${url.href}: ${why}; add "${AllowedHosts.entryFor(url)}" to the allowHosts option if you trust it`);
    // Fail asynchronously, as a real connection error would: the redirect handler calls
    // dispatch from inside its own response callbacks.
    queueMicrotask(() => handler.onResponseError?.(REFUSED_CONTROLLER, error));
    return true;
  };
}
