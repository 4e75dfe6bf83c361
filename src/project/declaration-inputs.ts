import type { Lockfile } from "../store/lockfile.js";
import { lockedAssetPaths } from "../store/locked-entries.js";
import { own } from "./own-key.js";
import { parseSpecifier, type ParsedSpecifier } from "./specifier.js";

export type GlobSpecifier = Extract<ParsedSpecifier, { kind: "glob" }>;

/**
 * Everything of a lockfile the declarations are made from, per asset some recorded specifier
 * uses: its file names, its paths (files and the zip entries builds used) and the globs
 * imported from it. The generator reads nothing else, so equal inputs give equal text, and a
 * fingerprint of these says when the file on disk is still current (`declarations-file.ts`).
 */
export type DeclarationInputs = readonly {
  id: string;
  files: readonly string[];
  paths: readonly string[];
  globs: readonly GlobSpecifier[];
}[];

/** The {@link DeclarationInputs} of `lock`, in the order its specifiers name the assets. */
export function declarationInputs(lock: Lockfile): DeclarationInputs {
  const inUse = new Map<string, { id: string; files: string[]; paths: string[]; globs: Map<string, GlobSpecifier> }>();
  for (const specifier of lock.specifiers) {
    let parsed: ParsedSpecifier;
    try {
      parsed = parseSpecifier(specifier);
    } catch {
      continue; // a hand-edited lockfile entry must not break type generation
    }
    if (parsed.kind === "credits") continue;
    const asset = own(lock.assets, parsed.id);
    if (!asset) continue;
    let entry = inUse.get(parsed.id);
    if (!entry) inUse.set(parsed.id, (entry = { id: parsed.id, files: Object.keys(asset.files), paths: lockedAssetPaths(asset), globs: new Map() }));
    if (parsed.kind === "glob") entry.globs.set(specifier, parsed);
  }
  return [...inUse.values()].map(({ globs, ...rest }) => ({ ...rest, globs: [...globs.values()] }));
}
