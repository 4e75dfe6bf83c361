import picomatch from "picomatch";
import { OgaError } from "../errors.js";
import type { LockedAsset } from "../store/lockfile.js";

/** The prefix every import handled by this plugin starts with. */
export const SPECIFIER_PREFIX = "oga:";

/** The credits of every asset in the bundle (`credits.ts`); never an asset id. */
export const CREDITS_SPECIFIER = "oga:credits";

/** An `oga:` import, parsed. `specifier` is always the user's text, for error messages. */
export type ParsedSpecifier =
  | { kind: "asset"; specifier: string; id: string }
  | { kind: "file"; specifier: string; id: string; file: string }
  | { kind: "glob"; specifier: string; id: string; pattern: string }
  | { kind: "credits"; specifier: string };

const EXAMPLE = `valid forms: "oga:battle-theme-a", "oga:battle-theme-a/battleThemeA.mp3", "oga:imminent-threat/*.ogg"`;

/** True when `source` is meant for this plugin (cheap; no validation). */
export function isOgaSpecifier(source: string): boolean {
  return source.startsWith(SPECIFIER_PREFIX);
}

/**
 * Parses `oga:<id>`, `oga:<id>/<file>` or `oga:<id>/<glob>`. Pure: no IO, so it is safe inside
 * `resolveId`, which Vite's dependency scanner calls too.
 *
 * @throws OgaError `OGA_BAD_INPUT` naming the specifier and showing a valid one.
 */
export function parseSpecifier(specifier: string): ParsedSpecifier {
  if (!isOgaSpecifier(specifier)) fail(specifier, `it does not start with "${SPECIFIER_PREFIX}"`);
  if (specifier === CREDITS_SPECIFIER) return { kind: "credits", specifier };
  const body = specifier.slice(SPECIFIER_PREFIX.length);
  // A pasted page URL (`oga:https://opengameart.org/content/x`, `oga:/content/x`): name the slug to use.
  const slug = pageUrlSlug(body);
  if (slug !== undefined) {
    fail(specifier, slug ? `it is a page URL, not an asset id; use the slug (the last part of the page URL): "${SPECIFIER_PREFIX}${slug}"` : "it is a URL, not an asset id; use the slug (the last part of the asset's page URL)");
  }
  // Vite appends queries (`?url`, `?raw`) to imports it owns; on ours they would silently mean
  // nothing, and `#` truncates dev URLs, so both are refused rather than guessed at.
  if (/[?#]/.test(body)) fail(specifier, "query strings and fragments are not supported");
  if (body.includes("\\")) fail(specifier, "use forward slashes");
  if (body.startsWith("/")) fail(specifier, "it must not be an absolute path");
  const slash = body.indexOf("/");
  const id = slash === -1 ? body : body.slice(0, slash);
  if (id === "") fail(specifier, "the asset id is empty");
  // Slugs may be Unicode; they never hold whitespace, control characters or percent signs.
  if (/[\s\u0000-\u001f\u007f%]/.test(id) || id === "." || id === "..") {
    fail(specifier, `"${id}" is not an OpenGameArt asset id (the last part of its page URL)`);
  }
  if (slash === -1) return { kind: "asset", specifier, id };
  const rest = body.slice(slash + 1);
  if (rest === "") fail(specifier, "the file name after the slash is empty");
  const segments = rest.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) {
    fail(specifier, "it must not contain empty, '.' or '..' path segments");
  }
  // Only `*` and `{…}` make a glob: real file names often hold `(1)` or `[v2]`, which picomatch
  // would read as extglobs or classes, and `?` is refused above as a query.
  if (/[*{]/.test(rest)) return { kind: "glob", specifier, id, pattern: rest };
  return { kind: "file", specifier, id, file: rest };
}

/**
 * For a body that is an OpenGameArt page URL or path (with a scheme, `//`, a leading `/content/`
 * or the site's host name): the asset slug in it, or "" when it names none. `undefined` otherwise.
 */
function pageUrlSlug(body: string): string | undefined {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(body) || body.startsWith("//") || /^\/content\//i.test(body) || /^(?:www\.)?opengameart\.org(?:[/:?#]|$)/i.test(body);
  if (!isUrl) return undefined;
  const match = /(?:^|\/)content\/([^/?#]+)/i.exec(body.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ""));
  if (!match) return "";
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1]!;
  }
}

function fail(specifier: string, why: string): never {
  throw new OgaError("OGA_BAD_INPUT", `Invalid import "${specifier}": ${why}; ${EXAMPLE}.`);
}

/** The specifier of one file of an asset, as a user would write it. */
export function fileSpecifier(id: string, file: string): string {
  return `${SPECIFIER_PREFIX}${id}/${file}`;
}

/** A matcher for a glob specifier's pattern against an asset's file names. */
export function globMatcher(pattern: string): (name: string) => boolean {
  const isMatch = picomatch(pattern, { dot: true });
  // Wrapped so it is safe to pass to `Array#filter`: picomatch's second parameter returns an object.
  return (name) => isMatch(name);
}

/** An asset's file names for an `OGA_NO_FILE` message. */
export function fileListing(names: readonly string[]): string {
  return names.length ? names.join(", ") : "(none: the site lists no files for it)";
}

/**
 * `OGA_NO_FILE` for an import of a file the asset does not have. When the name is what a file was
 * uploaded as (the page's link, its `download` name) while the site stored it under another
 * (`Cliff_tileset_0.png` for a second `Cliff_tileset.png`), the message names the file to import.
 */
export function noSuchFileError(specifier: string, id: string, name: string, asset: Pick<LockedAsset, "files">): OgaError {
  const names = Object.keys(asset.files).sort();
  const uploadedAs = names.filter((candidate) => asset.files[candidate]!.label === name);
  const quoted = uploadedAs.map((candidate) => JSON.stringify(candidate));
  const hint =
    uploadedAs.length === 0
      ? ""
      : ` Did you mean ${quoted.length === 1 ? quoted[0] : `one of ${quoted.join(", ")}`}? The site shows ${uploadedAs.length === 1 ? "it" : "each"} as "${name}", the name it was uploaded as, but stores it under another because that name was taken; import the stored name.`;
  return new OgaError("OGA_NO_FILE", `"${specifier}": asset "${id}" has no file "${name}".${hint} Its files: ${fileListing(names)}.`);
}
