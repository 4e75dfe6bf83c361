import type MagicString from "magic-string";
import { CREDITS_SPECIFIER, isOgaSpecifier } from "../project/specifier.js";
import { toVirtualId } from "./virtual-id.js";

/**
 * `import name from "oga:<id>"` (optionally with `{ meta }`): only the main file is needed, so
 * the import is pointed at the lean module and the asset's other files are never loaded or emitted.
 */
const DEFAULT_ONLY_IMPORT = /(\bimport\s+[A-Za-z_$][\w$]*\s*(?:,\s*\{\s*meta(?:\s+as\s+[A-Za-z_$][\w$]*)?\s*,?\s*\}\s*)?from\s*)(["'])(oga:[^"'/?#\s\\]+)\2/g;

/** Whether `code` may hold a default-only `oga:` import (a cheap test before any rewriting). */
export function mayHaveDefaultOnlyImports(code: string): boolean {
  return code.search(DEFAULT_ONLY_IMPORT) !== -1;
}

/**
 * Rewrites default-only `oga:<asset>` imports to the lean module id, into the transform's
 * MagicString (so source maps stay right); returns whether it changed anything. A regex rather
 * than a parser because this runs before TypeScript is stripped; the pattern only matches a
 * complete import statement, so a miss merely costs emitting extra files.
 */
export function pointDefaultImports(code: string, s: MagicString): boolean {
  let changed = false;
  for (const match of code.matchAll(DEFAULT_ONLY_IMPORT)) {
    const specifier = match[3]!;
    if (!isOgaSpecifier(specifier) || specifier === CREDITS_SPECIFIER) continue;
    const start = match.index! + match[1]!.length;
    s.overwrite(start, start + specifier.length + 2, JSON.stringify(toVirtualId(specifier, "main")));
    changed = true;
  }
  return changed;
}
