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
 * What counts as such a reference is decided in project/source-references.ts, which
 * `oga prefetch` uses too.
 */
import path from "node:path";
import type MagicString from "magic-string";
import { parseUrlSpecifier, findCssUrls, findNewUrls, type SingleFileSpecifier } from "../project/source-references.js";
import { toVirtualId } from "./virtual-id.js";

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
