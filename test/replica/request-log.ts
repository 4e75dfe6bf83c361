/** Every request the replica saw, so tests can prove what a client did or did not fetch. */
import type { IncomingHttpHeaders } from "node:http";

export interface LoggedRequest {
  method: string;
  /** The raw request target, query included (`/art-search-advanced?keys=x&page=1`). */
  path: string;
  /** The path without query, percent-decoded (`/sites/default/files/Hit Sound!.wav`). */
  pathname: string;
  /** Response status; 0 while no answer was sent (a `hang` fault, or still in progress). */
  status: number;
  /** Request headers. */
  headers: IncomingHttpHeaders;
  /** The fault that fired for it, if any. */
  fault: string | null;
  /** When it arrived (`performance.now()` of the replica's process), to measure waits between retries. */
  at: number;
  /** When its response ended or its connection closed (`performance.now()`); null while it is open. */
  endedAt: number | null;
  /** The client's port: requests with the same one came on the same connection. */
  remotePort: number;
}

/**
 * A string filter is a prefix of the raw or decoded path, optionally led by a method
 * (`"HEAD /sites/default/files/"`); a RegExp is tested on both; a function gets the entry.
 */
export type RequestFilter = string | RegExp | ((request: LoggedRequest) => boolean);

function toPredicate(filter: RequestFilter | undefined): (r: LoggedRequest) => boolean {
  if (filter === undefined) return () => true;
  if (typeof filter === "function") return filter;
  if (filter instanceof RegExp) return (r) => filter.test(r.path) || filter.test(r.pathname);
  const withMethod = /^([A-Z]+) (\/.*)$/.exec(filter);
  const method = withMethod?.[1];
  const prefix = withMethod?.[2] ?? filter;
  return (r) => (method === undefined || r.method === method) && (r.path.startsWith(prefix) || r.pathname.startsWith(prefix));
}

export class RequestLog implements Iterable<LoggedRequest> {
  #entries: LoggedRequest[] = [];

  /** Called by the server as each request arrives; the entry's status is filled in later. */
  record(entry: LoggedRequest): LoggedRequest {
    this.#entries.push(entry);
    return entry;
  }

  get entries(): readonly LoggedRequest[] {
    return this.#entries;
  }

  get length(): number {
    return this.#entries.length;
  }

  [Symbol.iterator](): Iterator<LoggedRequest> {
    return this.#entries[Symbol.iterator]();
  }

  filter(filter?: RequestFilter): LoggedRequest[] {
    return this.#entries.filter(toPredicate(filter));
  }

  count(filter?: RequestFilter): number {
    return this.filter(filter).length;
  }

  last(filter?: RequestFilter): LoggedRequest | undefined {
    return this.filter(filter).at(-1);
  }

  /**
   * The most matching requests the replica was answering at one moment: the concurrency gauge
   * that proves a client's limit (`--concurrency`) held. A request counts from arrival until its
   * response ended or its connection closed.
   */
  maxConcurrent(filter?: RequestFilter): number {
    const events = this.filter(filter).flatMap((r) => [
      { at: r.at, step: 1 },
      { at: r.endedAt ?? Number.POSITIVE_INFINITY, step: -1 },
    ]);
    // At equal times an end comes before an arrival: a connection reused back to back is not two at once.
    events.sort((a, b) => a.at - b.at || a.step - b.step);
    let open = 0;
    let peak = 0;
    for (const { step } of events) peak = Math.max(peak, (open += step));
    return peak;
  }

  /**
   * The most connections that had a request open at once (requests on one client port share a
   * connection: pipelined ones overlap on it without adding one).
   */
  maxConcurrentConnections(filter?: RequestFilter): number {
    const events = this.filter(filter).flatMap((r) => [
      { at: r.at, step: 1, port: r.remotePort },
      { at: r.endedAt ?? Number.POSITIVE_INFINITY, step: -1, port: r.remotePort },
    ]);
    events.sort((a, b) => a.at - b.at || a.step - b.step);
    const open = new Map<number, number>();
    let peak = 0;
    for (const { step, port } of events) {
      const now = (open.get(port) ?? 0) + step;
      if (now === 0) open.delete(port);
      else open.set(port, now);
      peak = Math.max(peak, open.size);
    }
    return peak;
  }

  reset(): void {
    this.#entries = [];
  }
}
