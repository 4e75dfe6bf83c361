/**
 * The import lines the asset page offers to copy: `import battleThemeA from "oga:battle-theme-a";`
 * and one per file. Ids and file names are the uploader's text, so the specifier is written as
 * a JSON string literal and the binding is a plain identifier derived from it.
 */
import { fileSpecifier, parseSpecifier, SPECIFIER_PREFIX } from "../project/specifier.js";

/** Longest binding name offered; the user renames it anyway. */
const MAX_IDENTIFIER = 40;

const RESERVED = new Set(
  (
    "await break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "implements import in instanceof interface let new null package private protected public return static super switch this throw " +
    "true try typeof var void while with yield arguments eval undefined NaN Infinity"
  ).split(" "),
);

/**
 * A JavaScript identifier for `text`, in camel case: `battle-theme-a` → `battleThemeA`,
 * `Hit Sound!` → `hitSound`, `música-de-batalla` → `músicaDeBatalla`; `asset` when nothing is left.
 */
export function identifierFor(text: string): string {
  const words = text.normalize("NFC").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const camel = words.map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join("");
  // Letters and digits only, so the one thing left to check is the first character.
  let name = [...camel].slice(0, MAX_IDENTIFIER).join("");
  if (name === "") return "asset";
  if (!/^[\p{ID_Start}$_]/u.test(name)) name = `_${name}`;
  if (![...name].every((ch, i) => (i === 0 ? /[\p{ID_Start}$_]/u : /[\p{ID_Continue}$\u200c\u200d]/u).test(ch))) return "asset";
  return RESERVED.has(name) ? `${name}_` : name;
}

/** `import <name> from "oga:<id>";` — the asset's main file. */
export function assetImportLine(id: string): string {
  return `import ${identifierFor(id)} from ${JSON.stringify(SPECIFIER_PREFIX + id)};`;
}

/**
 * `import <name> from "oga:<id>/<file>";`, or `null` when the name cannot be imported on its own
 * (it holds `*`, `{`, `?` or `#`, which the specifier grammar reads as a glob or refuses).
 */
export function fileImportLine(id: string, file: string): string | null {
  const specifier = fileSpecifier(id, file);
  let parsed: ReturnType<typeof parseSpecifier>;
  try {
    parsed = parseSpecifier(specifier);
  } catch {
    return null;
  }
  if (parsed.kind !== "file" || parsed.file !== file) return null;
  const base = file.split("/").pop()!;
  const stem = base.includes(".") ? base.slice(0, base.lastIndexOf(".")) : base;
  return `import ${identifierFor(stem || base)} from ${JSON.stringify(specifier)};`;
}
