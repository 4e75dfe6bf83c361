/**
 * Where a source file names an `oga:` file outside an import: `new URL("oga:…", import.meta.url)`
 * in scripts and `url(oga:…)` in stylesheets. Found by regexes over the source as written (before
 * TypeScript or a preprocessor), skipping comments. The plugin rewrites what these find
 * (plugin/url-references.ts) and `oga prefetch` collects it (find-specifiers.ts), so both see the same.
 */
import { OgaError } from "../errors.js";
import { inRanges, scanSource, type Range } from "./source-scan.js";
import { parseSpecifier, type ParsedSpecifier } from "./specifier.js";

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
