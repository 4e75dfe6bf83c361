import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** Folders never searched: dependencies, build output, VCS and caches. */
const SKIP_DIRS = new Set(["node_modules", "dist", "build", "coverage", ".git", ".hg", ".svn", ".vite", ".oga-cache"]);
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro|html|css|scss|sass|less)$/;
/** A quoted `oga:` string: an import, a dynamic import, `new URL("oga:…")` or CSS `url(oga:…)`. */
const SPECIFIER = /(["'`(])(oga:[^"'`()\s]+)[)"'`]/g;

/**
 * Every `oga:` specifier written in a project's sources (sorted, unique), for `oga prefetch`.
 * Skips hidden folders, `node_modules` and build output. Validation is left to the caller
 * (`parseSpecifier`), so it can report bad ones with their files.
 */
export async function findSpecifiers(root: string): Promise<{ specifier: string; file: string }[]> {
  const found = new Map<string, string>();
  for await (const file of walk(path.resolve(root))) {
    const text = await readFile(file, "utf8").catch(() => "");
    if (!text.includes("oga:")) continue;
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[2]!;
      if (!found.has(specifier)) found.set(specifier, file);
    }
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([specifier, file]) => ({ specifier, file }));
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith(".") || SKIP_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith(".d.ts")) yield full;
  }
}
