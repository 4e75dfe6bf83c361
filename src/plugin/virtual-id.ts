/**
 * Resolved ids of `oga:` modules: `"\0oga:" + escape(body) + ".js"`.
 *
 * - `\0` keeps other plugins away (Rollup convention).
 * - The `.js` tail stops Vite's own plugins from claiming the id by extension
 *   (`…/data.json` would go to the JSON plugin, `.css` to the CSS plugin).
 * - Everything outside a small safe set is escaped as `~HH` per UTF-8 byte, because a raw `#`
 *   truncates the dev URL `/@id/__x00__oga:…`, a raw `%` 404s, and percent-encoding does not
 *   survive Vite's decoding.
 * - `load` decodes the id by itself: a restarted dev server asks for `/@id/…` without calling
 *   `resolveId` first, so no side table can be trusted.
 */

const PREFIX = "\0oga:";
const SUFFIX = ".js";
/** Marks the lean view of an asset module (default + meta, no `files` record). `~` never appears unescaped otherwise. */
const MAIN_VIEW = "~main";
const SAFE = /[A-Za-z0-9._\-/*{},]/;
const ALL_SAFE = /^[A-Za-z0-9._\-/*{},]*$/;

/** Which module of a specifier: the full one, or the lean asset module used for default-only imports. */
export type ModuleView = "full" | "main";

/** Escapes a specifier body (the text after `oga:`) into the id-safe alphabet. */
export function escapeBody(body: string): string {
  let out = "";
  for (const ch of body) {
    if (SAFE.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, "utf8")) out += "~" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Inverse of {@link escapeBody}. Returns `undefined` for malformed input. */
export function unescapeBody(escaped: string): string | undefined {
  // Most ids escape nothing: each of their characters stands for itself.
  if (ALL_SAFE.test(escaped)) return escaped;
  const bytes: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    const ch = escaped[i]!;
    if (ch === "~") {
      const hex = escaped.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(ch.charCodeAt(0));
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/** The resolved id for `oga:<body>` (`specifier` includes the `oga:` prefix). */
export function toVirtualId(specifier: string, view: ModuleView = "full"): string {
  const body = specifier.slice("oga:".length);
  return PREFIX + escapeBody(body) + (view === "main" ? MAIN_VIEW : "") + SUFFIX;
}

/** True for ids produced by {@link toVirtualId} (also with a query Vite may append). */
export function isVirtualId(id: string): boolean {
  return id.startsWith(PREFIX);
}

/**
 * Decodes a resolved id back into the user's specifier and the view.
 * Tolerates a trailing `?query` (Vite adds `?v=`/`?t=` in dev) because escaped ids never contain `?`.
 */
export function fromVirtualId(id: string): { specifier: string; view: ModuleView } | undefined {
  if (!isVirtualId(id)) return undefined;
  const query = id.indexOf("?");
  let rest = query === -1 ? id : id.slice(0, query);
  if (!rest.endsWith(SUFFIX)) return undefined;
  rest = rest.slice(PREFIX.length, -SUFFIX.length);
  let view: ModuleView = "full";
  if (rest.endsWith(MAIN_VIEW)) {
    view = "main";
    rest = rest.slice(0, -MAIN_VIEW.length);
  }
  const body = unescapeBody(rest);
  return body === undefined ? undefined : { specifier: "oga:" + body, view };
}
