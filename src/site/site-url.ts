/**
 * The site's own URLs versus the origin we fetch them from.
 *
 * OpenGameArt links its files and pages absolutely on `https://opengameart.org`, also in the
 * copy a mirror serves. So what the site links is kept in its canonical form (lockfile, credits,
 * meta: valid against the live site and any mirror alike) and moved onto the configured origin
 * only when it is fetched.
 */

/** The live site. */
export const CANONICAL_ORIGIN = "https://opengameart.org";

const CANONICAL_HOSTNAMES: ReadonlySet<string> = new Set(["opengameart.org", "www.opengameart.org"]);

/** `http(s)://opengameart.org` or `www.opengameart.org` on its default port: the site itself. */
export function isCanonicalSiteUrl(url: URL): boolean {
  return (url.protocol === "https:" || url.protocol === "http:") && url.port === "" && CANONICAL_HOSTNAMES.has(url.hostname.toLowerCase());
}

/** The origin is the live site itself (any of its spellings), not a mirror. */
export function isCanonicalOrigin(origin: string): boolean {
  return isCanonicalSiteUrl(new URL(origin));
}

/** `url` with scheme, host and port replaced by those of `origin` (path, query and fragment kept). */
function onOrigin(url: URL, origin: string): URL {
  return new URL(`${url.pathname}${url.search}${url.hash}`, origin);
}

/**
 * Where to fetch a URL the site gave us: a link on the canonical site goes to the configured
 * origin (the live site or a mirror); any other URL is returned unchanged.
 */
export function fetchUrlOf(url: URL, origin: string): URL {
  return isCanonicalSiteUrl(url) ? onOrigin(url, origin) : url;
}

/**
 * Reads a link from a page served by `servedFrom` (an origin): resolved against `base`, kept only
 * when it is `http:` or `https:` (page text is written by uploaders: `javascript:` and `data:`
 * links never reach anything we output), and put in canonical form when it is the site's own,
 * i.e. on the canonical site or on the origin that served the page.
 *
 * @returns the absolute URL, or `null` for a missing, unparsable or non-http(s) link.
 */
export function siteLink(href: string | null | undefined, base: string, servedFrom: string): URL | null {
  const value = href?.trim();
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (isCanonicalSiteUrl(url) || url.origin === servedFrom) return onOrigin(url, CANONICAL_ORIGIN);
  return url;
}

/** `value` when it is an absolute `http:`/`https:` URL, else `null`: the check for URLs read back from files. */
export function httpUrlOrNull(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? value : null;
  } catch {
    return null;
  }
}
