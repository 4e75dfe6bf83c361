/**
 * Injected failures, for the retry, timeout and integrity paths of the client. A rule matches
 * requests by path and method and fires `times` times (default: until removed). The first
 * matching rule, in the order added, decides what one request gets.
 */

export type FaultAction =
  /** Answer with this status (and the nginx error page); `retryAfter` in seconds or an HTTP date. */
  | { kind: "status"; status: number; retryAfter?: number | string }
  /** Send the headers and `afterBytes` bytes of the body, then reset the connection. */
  | { kind: "reset"; afterBytes: number }
  /** Send the headers and `afterBytes` bytes of a longer Content-Length, then close cleanly. */
  | { kind: "truncate"; afterBytes: number }
  /** Wait before anything else, then answer normally. */
  | { kind: "delay"; ms: number }
  /** Hold the answer until `until` settles (a test's positive signal), then answer normally. */
  | { kind: "wait"; until: Promise<unknown> }
  /** Never answer (until the replica closes). */
  | { kind: "hang" }
  /** Answer 200 with a Drupal HTML error page instead of the file or page. */
  | { kind: "html200" }
  /** Redirect (302 by default) to `location`. */
  | { kind: "redirect"; location: string; status?: 301 | 302 | 303 | 307 | 308 }
  /** Serve the normal HTML page with `edit` applied: markup the parser has never seen. */
  | { kind: "markup"; edit: (html: string) => string }
  /** Send the body `bytes` bytes at a time, one write every `everyMs` (a server crawling along). */
  | { kind: "trickle"; bytes: number; everyMs: number }
  /** Send the body gzip-compressed with `Content-Encoding: gzip`, whatever the request accepted. */
  | { kind: "gzip" };

export interface FaultMatch {
  /** A prefix of the request path, raw (`/sites/default/files/Hit%20Sound%21.wav`) or decoded, or a RegExp tested on both. */
  path: string | RegExp;
  /** Only this method (`GET`, `HEAD`); default any. */
  method?: string;
  /** How many requests it fires for; default Infinity. */
  times?: number;
}

export type FaultRule = FaultMatch & FaultAction;

export interface FaultHandle {
  readonly rule: FaultRule;
  /** Requests it fired for so far. */
  readonly hits: number;
  remove(): void;
}

interface ActiveRule {
  rule: FaultRule;
  hits: number;
}

export class Faults {
  #rules: ActiveRule[] = [];

  add(rule: FaultRule): FaultHandle {
    const active: ActiveRule = { rule, hits: 0 };
    this.#rules.push(active);
    const rules = (): ActiveRule[] => this.#rules;
    const setRules = (next: ActiveRule[]): void => {
      this.#rules = next;
    };
    return {
      rule,
      get hits() {
        return active.hits;
      },
      remove() {
        setRules(rules().filter((r) => r !== active));
      },
    };
  }

  clear(): void {
    this.#rules = [];
  }

  get size(): number {
    return this.#rules.length;
  }

  /** The fault for one request, counting it against the rule's `times`. */
  take(method: string, rawPath: string, decodedPath: string): FaultRule | undefined {
    for (const active of this.#rules) {
      const { rule } = active;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (active.hits >= (rule.times ?? Infinity)) continue;
      const matches =
        typeof rule.path === "string"
          ? rawPath.startsWith(rule.path) || decodedPath.startsWith(rule.path)
          : rule.path.test(rawPath) || rule.path.test(decodedPath);
      if (!matches) continue;
      active.hits++;
      return rule;
    }
    return undefined;
  }
}
