import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { inRanges, scanSource, type Range } from "./source-scan.js";
import { SCRIPT, STYLESHEET, URL_SCRIPT, findCssUrls, findNewUrls } from "./source-references.js";

/** Folders never searched: dependencies, build output, VCS and caches. */
const SKIP_DIRS = new Set(["node_modules", "dist", "build", "coverage", ".git", ".hg", ".svn", ".vite", ".oga-cache"]);
/**
 * Pages: Vite resolves the imports of an `.html` file's inline `<script type="module">` through
 * the plugin (it does not run the plugin's transform on them, so `new URL` there is not rewritten).
 */
const PAGE = /\.html?$/;
/** Files whose imports sit in `<script>` blocks (`.astro` also in its `---` frontmatter). */
const COMPONENT = /\.(?:vue|svelte|astro)$/;
const SCRIPT_BLOCK = /<script\b[^>]*>([\s\S]*?)<\/script\s*>/gi;
const ASTRO_FRONTMATTER = /^\s*---\r?\n([\s\S]*?)\r?\n---/;
const HTML_COMMENT = /<!--[\s\S]*?-->/g;
const IDENTIFIER_CHAR = /[\w$.\u0080-\uffff]/;

/**
 * Every `oga:` specifier written in a project's sources (sorted, unique), for `oga prefetch`.
 * Skips hidden folders, `node_modules` and build output. Validation is left to the caller
 * (`parseSpecifier`), so it can report bad ones with their files.
 *
 * Finds what the plugin resolves, and only that ({@link specifiersIn}).
 */
export async function findSpecifiers(root: string): Promise<{ specifier: string; file: string }[]> {
  const found: { specifier: string; file: string }[] = [];
  for await (const each of specifiersUnder(root)) found.push(each);
  return found.sort((a, b) => (a.specifier < b.specifier ? -1 : a.specifier > b.specifier ? 1 : 0));
}

/**
 * {@link findSpecifiers} as the walk finds them: each specifier once, with the first file that
 * has it, in the walk's order (folders and files by name). Stops when `signal` aborts.
 */
export async function* specifiersUnder(root: string, signal?: AbortSignal): AsyncGenerator<{ specifier: string; file: string }> {
  const seen = new Set<string>();
  for await (const file of walk(path.resolve(root))) {
    if (signal?.aborted) return;
    const text = await readFile(file, "utf8").catch(() => "");
    if (!text.includes("oga:")) continue;
    for (const specifier of specifiersIn(text, file)) {
      if (seen.has(specifier)) continue;
      seen.add(specifier);
      yield { specifier, file };
    }
  }
}

/**
 * The `oga:` specifiers of one source file, in order (repeats included), by the file's name:
 *
 * - scripts ({@link SCRIPT}): `import … from "oga:…"`, `import "oga:…"`, `import("oga:…")`,
 *   `export … from "oga:…"`, and in JS/TS ({@link URL_SCRIPT}) `new URL("oga:…", import.meta.url)`
 *   exactly as the plugin's transform matches it; `.vue`/`.svelte` only in `<script>` blocks,
 *   `.astro` also in its frontmatter;
 * - stylesheets ({@link STYLESHEET}): `url(oga:…)`, quoted or not, as the transform matches it;
 * - `.html`: imports in `<script>` blocks.
 *
 * A quoted specifier is the string's value: it may hold spaces, parentheses, brackets, any
 * character. Comments (`//` and `/* *\/` in scripts, `/* *\/` in CSS, `<!-- -->` in markup) are
 * skipped like the transform skips them, and so is an `oga:` string that is not imported
 * (`const name = "oga:x/a.png"`, or a message that mentions one): the plugin never resolves it.
 */
export function specifiersIn(code: string, file: string): string[] {
  if (!code.includes("oga:")) return [];
  if (STYLESHEET.test(file)) return findCssUrls(code).map((u) => u.specifier);
  if (PAGE.test(file) || COMPONENT.test(file)) return scriptBlocks(code, file).flatMap((block) => importsIn(block));
  if (!SCRIPT.test(file)) return [];
  const found = importsAt(code);
  if (URL_SCRIPT.test(file)) found.push(...findNewUrls(code).map((u) => ({ specifier: u.specifier, at: u.quoteAt })));
  return found.sort((a, b) => a.at - b.at).map((f) => f.specifier);
}

/** The script sources of a page or single-file component (HTML comments removed). */
function scriptBlocks(code: string, file: string): string[] {
  const markup = code.replace(HTML_COMMENT, (comment) => " ".repeat(comment.length));
  const blocks = [...markup.matchAll(SCRIPT_BLOCK)].map((m) => m[1]!);
  const frontmatter = file.endsWith(".astro") ? ASTRO_FRONTMATTER.exec(code)?.[1] : undefined;
  return frontmatter === undefined ? blocks : [frontmatter, ...blocks];
}

function importsIn(code: string): string[] {
  return importsAt(code).map((f) => f.specifier);
}

/**
 * Every string literal outside comments whose value starts with `oga:` and that stands where a
 * module specifier goes: after `from` (static import or re-export), after `import` (an import
 * for its side effects) or after `import(` (dynamic import). Comments may sit in between.
 */
function importsAt(code: string): { specifier: string; at: number }[] {
  const { comments, strings } = scanSource(code, true);
  const found: { specifier: string; at: number }[] = [];
  for (const [start, end] of strings) {
    if (!code.startsWith("oga:", start + 1)) continue;
    const quote = code[start]!;
    const raw = code.slice(start + 1, end - 1);
    // A template literal with a substitution is not a fixed specifier.
    if (quote === "`" && raw.includes("${")) continue;
    let before = skipBack(code, start, comments);
    let keyword: string | undefined;
    if (code[before - 1] === "(") {
      before = skipBack(code, before - 1, comments);
      keyword = wordBefore(code, before) === "import" ? "import(" : undefined;
    } else keyword = quote === "`" ? undefined : wordBefore(code, before);
    if (keyword === "from" || keyword === "import" || keyword === "import(") found.push({ specifier: unescape(raw), at: start });
  }
  return found;
}

/** The offset just after the last code character before `offset`, past blanks and comments. */
function skipBack(code: string, offset: number, comments: readonly Range[]): number {
  let i = offset;
  for (;;) {
    while (i > 0 && /\s/.test(code[i - 1]!)) i--;
    const comment = comments.find(([, end]) => end === i);
    if (!comment || i === 0) return i;
    i = comment[0];
  }
}

/** The identifier-like word ending at `offset`, or undefined (a property `.import` is not one). */
function wordBefore(code: string, offset: number): string | undefined {
  let i = offset;
  while (i > 0 && IDENTIFIER_CHAR.test(code[i - 1]!)) i--;
  const word = code.slice(i, offset);
  return word.includes(".") ? undefined : word;
}

/** A JS string literal's value from its source text (between the quotes). */
function unescape(raw: string): string {
  if (!raw.includes("\\")) return raw;
  return raw.replace(/\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(\r\n|[\s\S]))/g, (_, cp?: string, u?: string, x?: string, ch?: string) => {
    const hex = cp ?? u ?? x;
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
    if (ch === "\n" || ch === "\r\n" || ch === "\r" || ch === "\u2028" || ch === "\u2029") return "";
    return { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", "0": "\0" }[ch!] ?? ch!;
  });
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith(".") || SKIP_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() && isScanned(entry.name)) yield full;
  }
}

/** The plugin's scripts and stylesheets, plus pages; never declaration files. */
function isScanned(name: string): boolean {
  return (SCRIPT.test(name) || STYLESHEET.test(name) || PAGE.test(name)) && !/\.d\.[cm]?ts$/.test(name);
}
