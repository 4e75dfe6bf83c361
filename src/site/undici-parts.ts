/**
 * The parts of undici the client uses, loaded without its index. The index also loads fetch,
 * WebSocket, EventSource, the caches and the mock agents: about twice the time, paid by every
 * cold build before its first request (50–60 ms against 110–160 ms on a busy 2-core machine).
 */
import { createRequire } from "node:module";
import type * as Undici from "undici";

export interface UndiciParts {
  Agent: typeof Undici.Agent;
  /** `dispatcher.request(options)` as a function: the index is what adds it to every dispatcher. */
  request(dispatcher: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions): Promise<Undici.Dispatcher.ResponseData>;
  buildConnector: typeof Undici.buildConnector;
  interceptors: Pick<typeof Undici.interceptors, "retry" | "redirect">;
}

const require = createRequire(import.meta.url);

/**
 * undici's own modules by path (the package has no `exports` map, so the paths are reachable);
 * the whole package if a release moved them, so an upgrade can cost time but never break a request.
 */
export async function loadUndiciParts(): Promise<UndiciParts> {
  try {
    const request = require("undici/lib/api/api-request.js") as (this: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;
    return {
      Agent: require("undici/lib/dispatcher/agent.js") as typeof Undici.Agent,
      request: (dispatcher, options) => request.call(dispatcher, options),
      buildConnector: require("undici/lib/core/connect.js") as typeof Undici.buildConnector,
      interceptors: {
        retry: require("undici/lib/interceptor/retry.js") as typeof Undici.interceptors.retry,
        redirect: require("undici/lib/interceptor/redirect.js") as typeof Undici.interceptors.redirect,
      },
    };
  } catch (error) {
    if ((error as { code?: unknown }).code !== "MODULE_NOT_FOUND") throw error;
    const undici = await import("undici");
    return { ...undici, request: (dispatcher, options) => dispatcher.request(options) };
  }
}
