/**
 * The `allowHosts` option as exact origins. An entry names one scheme, host and port, never a
 * family of them: `"cdn.example.org"` allows `https://cdn.example.org` (port 443) only,
 * `"cdn.example.org:8443"` that port over https, and plain http must be written out
 * (`"http://mirror.local:8080"`). So trusting a host for files never also trusts its other
 * services, or an unencrypted connection an attacker on the network could answer.
 */
import { OgaError } from "../errors.js";

/** The origins `allowHosts` entries stand for. */
export class AllowedHosts {
  readonly #origins: ReadonlySet<string>;

  /** @throws OgaError `OGA_BAD_INPUT` naming an entry that is not a host, `host:port` or `http(s)://host[:port]`. */
  constructor(entries: readonly string[]) {
    this.#origins = new Set(entries.map(originOfEntry).filter((origin): origin is string => origin !== null));
  }

  /** Whether `url`'s scheme, host and port are exactly those of an entry. */
  allows(url: URL): boolean {
    return this.#origins.has(url.origin);
  }

  /** The entry that would allow `url`, for messages: `host[:port]` for https, the origin for http. */
  static entryFor(url: URL): string {
    return url.protocol === "https:" ? url.host : url.origin;
  }
}

/** The origin an entry allows, `null` for a blank entry. */
function originOfEntry(raw: string): string | null {
  const entry = raw.trim().toLowerCase();
  if (entry === "") return null;
  const refuse = (why: string): OgaError =>
    new OgaError(
      "OGA_BAD_INPUT",
      `allowHosts: ${JSON.stringify(raw)} ${why}; write a host ("cdn.example.org", https on port 443), a host and port ("cdn.example.org:8443", https), or an origin ("http://mirror.local:8080").`,
    );
  const explicit = /^[a-z][a-z0-9+.-]*:\/\//.test(entry);
  let url: URL;
  try {
    url = new URL(explicit ? entry : `https://${entry}`);
  } catch {
    throw refuse("is not a host");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw refuse("is neither https nor http");
  if (url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
    throw refuse("holds more than a host");
  }
  // The URL parser forgives `cdn.example.org/` or `*`: an entry must be the host and nothing else.
  const written = explicit ? entry.replace(/^[a-z]+:\/\//, "").replace(/\/$/, "") : entry;
  if (written.includes("*") || written.includes("/") || written !== written.replace(/[\s@?#\\]/g, "")) throw refuse("holds more than a host");
  return url.origin;
}
