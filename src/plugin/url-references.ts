/**
 * `new URL("oga:…", import.meta.url)` in scripts and `url(oga:…)` in stylesheets. Vite never asks
 * plugins about either (it warns and leaves them), so the plugin's `pre` transform rewrites them
 * in the user's code, with magic-string so source maps stay right:
 *
 * - a script gets an import of the `oga:` module (`import __oga_url_0 from "oga:x/a.png"`) and
 *   `new URL(__oga_url_0, import.meta.url)`: the module's default export is the file's URL, so the
 *   file is emitted, locked and credited exactly like an import of it;
 * - a stylesheet gets the path of the cached blob relative to the stylesheet, which Vite then
 *   hashes, emits and serves like a local file.
 *
 * Both scans skip comments and are regexes over the source (it is not parsed: this runs before
 * TypeScript or a preprocessor), strict about the shape they accept.
 */
import path from "node:path";
import type MagicString from "magic-string";
import { OgaError } from "../errors.js";
import { inRanges, scanSource, type Range } from "./source-scan.js";
import { parseSpecifier, type ParsedSpecifier } from "./specifier.js";
import { toVirtualId } from "./virtual-id.js";

/** What a `new URL` or CSS `url()` may name: one file, or an asset's main file. */
export type SingleFileSpecifier = Extract<ParsedSpecifier, { kind: "asset" | "file" }>;

/**
 * Every file the plugin's `pre` transform reads (scripts and single-file components; stylesheets
 * are {@link STYLESHEET}); also what `oga prefetch` scans for imports.
 */
export const SCRIPT = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/;
/** Scripts whose source is JS/TS as written, so an `import` line can go at the top. */
export const URL_SCRIPT = /\.(?:[cm]?[jt]sx?)$/;
/** Stylesheets Vite compiles; `url()` in them is plain CSS syntax before and after. */
export const STYLESHEET = /\.(?:css|pcss|postcss|scss|sass|less|styl|stylus)$/;

/** `new URL("oga:…", import.meta.url)` with a plain string (or a template without `${`). */
const NEW_URL = /\bnew\s+URL\s*\(\s*(["'`])(oga:[^"'`\\\r\n$]*)\1(\s*,\s*import\.meta\.url\s*(?:,\s*)?\))/g;
/** CSS `url(oga:…)`, `url("oga:…")`, `url('oga:…')`. */
const CSS_URL = /\burl\(\s*(?:(["'])(oga:[^"'\\\r\n]*)\1|(oga:[^\s"'()\\]*))\s*\)/gi;

/**
 * Parses a specifier used as a URL: one file or an asset (its main file). Globs and
 * `oga:credits` name no single file.
 * @throws OgaError `OGA_BAD_INPUT` with what to write instead.
 */
export function parseUrlSpecifier(specifier: string, form: string): SingleFileSpecifier {
  const parsed = parseSpecifier(specifier);
  if (parsed.kind === "glob") {
    throw new OgaError("OGA_BAD_INPUT", `"${specifier}": ${form} names one file, not a glob. Name one file ("oga:${parsed.id}/<file>"), or import the glob to get a { name: url } record.`);
  }
  if (parsed.kind === "credits") throw new OgaError("OGA_BAD_INPUT", `"${specifier}": ${form} names a file; import "oga:credits" instead.`);
  return parsed;
}

/**
 * Rewrites `new URL("oga:…", import.meta.url)` in a script: adds one default import per
 * specifier at the top (after a hashbang) and passes its binding to `new URL`. The asset form
 * imports the asset's lean module, so only its main file is emitted.
 * @returns whether anything changed.
 * @throws UrlReferenceError (an `OGA_BAD_INPUT` cause) for a glob or a malformed specifier.
 */
export function rewriteNewUrls(code: string, s: MagicString): boolean {
  const found = findNewUrls(code);
  if (found.length === 0) return false;
  const bindings = new Map<string, string>();
  // A prefix the file does not use yet, so the added names never clash with the user's.
  let prefix = "__oga_url_";
  while (code.includes(prefix)) prefix = "_" + prefix;
  for (const { specifier, quoteAt } of found) {
    let parsed: SingleFileSpecifier;
    try {
      parsed = parseUrlSpecifier(specifier, "new URL()");
    } catch (error) {
      throw new UrlReferenceError(specifier, error);
    }
    let binding = bindings.get(specifier);
    if (!binding) {
      binding = prefix + bindings.size;
      bindings.set(specifier, binding);
      const source = parsed.kind === "asset" ? toVirtualId(specifier, "main") : specifier;
      s.appendLeft(code.startsWith("#!") ? code.indexOf("\n") + 1 : 0, `import ${binding} from ${JSON.stringify(source)};\n`);
    }
    s.overwrite(quoteAt, quoteAt + specifier.length + 2, binding);
  }
  return bindings.size > 0;
}

/** A `new URL("oga:…", import.meta.url)` outside comments: its specifier and its opening quote. */
export interface NewUrl {
  specifier: string;
  quoteAt: number;
}

/** Every `new URL("oga:…", import.meta.url)` in a script outside comments, in order. */
export function findNewUrls(code: string): NewUrl[] {
  if (!code.includes("new") || !code.includes("oga:")) return [];
  let comments: Range[] | undefined;
  const found: NewUrl[] = [];
  for (const match of code.matchAll(NEW_URL)) {
    comments ??= scanSource(code, true).comments;
    if (inRanges(comments, match.index!)) continue;
    found.push({ specifier: match[2]!, quoteAt: match.index! + match[0].indexOf(match[1]!) });
  }
  return found;
}

/** A CSS `url()` specifier found in a stylesheet, with where its `url(…)` sits. */
export interface CssUrl {
  specifier: string;
  start: number;
  end: number;
}

/** Every `url(oga:…)` outside comments, in order. */
export function findCssUrls(code: string): CssUrl[] {
  if (!code.includes("oga:")) return [];
  let comments: Range[] | undefined;
  const found: CssUrl[] = [];
  for (const match of code.matchAll(CSS_URL)) {
    comments ??= scanSource(code, false).comments;
    if (inRanges(comments, match.index!)) continue;
    found.push({ specifier: (match[2] ?? match[3])!, start: match.index!, end: match.index! + match[0].length });
  }
  return found;
}

/** A CSS `url("…")` of `target` (an absolute path) as written in the stylesheet at `cssFile`. */
export function cssRelativeUrl(cssFile: string, target: string): string {
  let relative = path.relative(path.dirname(cssFile), target).split(path.sep).join("/");
  if (!relative.startsWith(".")) relative = "./" + relative;
  return `url("${relative.replace(/[\\"]/g, "\\$&").replace(/\n/g, "\\a ")}")`;
}

/**
 * Rewrites `url(oga:…)` in a stylesheet to the relative path of each cached blob, which
 * `blobPath` resolves (and locks, and credits) the way the plugin resolves imports.
 * @returns whether anything changed.
 * @throws UrlReferenceError: the first failure, with its specifier.
 */
export async function rewriteCssUrls(code: string, cssFile: string, s: MagicString, blobPath: (parsed: SingleFileSpecifier) => Promise<string>): Promise<boolean> {
  const urls = findCssUrls(code);
  const paths = await Promise.all(
    urls.map(async ({ specifier }) => {
      try {
        return await blobPath(parseUrlSpecifier(specifier, "url()"));
      } catch (error) {
        throw new UrlReferenceError(specifier, error);
      }
    }),
  );
  urls.forEach(({ start, end }, i) => s.overwrite(start, end, cssRelativeUrl(cssFile, paths[i]!)));
  return urls.length > 0;
}

/** A failure to resolve one `url()`: carries the specifier so the plugin can name it. */
export class UrlReferenceError extends Error {
  constructor(
    readonly specifier: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}
