/**
 * Paths inside an asset, where a segment naming a zip continues inside it.
 *
 * An asset's files are named by the decoded last segment of their URL (the site's own storage
 * folders, like `musicpacks/`, are not part of the name), so a path inside an asset is
 * `<file name>` or `<file name>/<entry path>` or, for a zip inside a zip,
 * `<file name>/<inner.zip>/<entry path>`. These paths are what specifiers continue with and what
 * glob records use as keys: unique within the asset and stable across builds.
 */
import { MAX_ARCHIVE_DEPTH, isArchiveName } from "../store/archive-limits.js";
import type { Glob } from "./glob.js";

/** A path inside an asset, split at archive boundaries: the asset's file, then one entry path per archive. */
export interface AssetPath {
  file: string;
  /** Entry paths, outermost archive first; empty for the file itself. */
  entries: string[];
}

/** The key of an asset path: its parts joined with `/`. */
export function assetPathKey(p: AssetPath): string {
  return [p.file, ...p.entries].join("/");
}

/** The entry paths of the archive at `archive` (an asset path naming a zip), sorted. */
export type ListEntries = (archive: AssetPath) => Promise<ReadonlySet<string>>;

/**
 * Splits `key` at archive boundaries, listing archives as it descends. Returns `undefined` when
 * no file or entry has that path; `onMissing` may then explain what the deepest archive holds.
 */
export async function locate(key: string, fileNames: ReadonlySet<string>, list: ListEntries): Promise<AssetPath | { missing: AssetPath | null }> {
  if (fileNames.has(key)) return { file: key, entries: [] };
  const head = archivePrefix(key, (p) => fileNames.has(p));
  if (!head) return { missing: null };
  let at: AssetPath = { file: head, entries: [] };
  let rest = key.slice(head.length + 1);
  for (let depth = 0; depth < MAX_ARCHIVE_DEPTH; depth++) {
    const entries = await list(at);
    if (entries.has(rest)) return { file: at.file, entries: [...at.entries, rest] };
    const inner = archivePrefix(rest, (p) => entries.has(p));
    if (!inner) return { missing: at };
    at = { file: at.file, entries: [...at.entries, inner] };
    rest = rest.slice(inner.length + 1);
  }
  return { missing: at };
}

/** The shortest `/`-prefix of `key` that names an archive per `exists`. */
function archivePrefix(key: string, exists: (p: string) => boolean): string | undefined {
  const segments = key.split("/");
  for (let i = 1; i < segments.length; i++) {
    const prefix = segments.slice(0, i).join("/");
    if (isArchiveName(prefix) && exists(prefix)) return prefix;
  }
  return undefined;
}

/**
 * Every path a glob may select: the asset's files, plus the entries of each archive the pattern
 * can reach into (nested archives too, up to {@link MAX_ARCHIVE_DEPTH}).
 */
export async function globCandidates(glob: Glob, fileNames: readonly string[], list: ListEntries): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: AssetPath, depth: number): Promise<void> => {
    const base = assetPathKey(at);
    for (const entry of await list(at)) {
      const key = `${base}/${entry}`;
      out.push(key);
      if (depth + 1 < MAX_ARCHIVE_DEPTH && isArchiveName(entry) && glob.canMatchBelow(key)) {
        await walk({ file: at.file, entries: [...at.entries, entry] }, depth + 1);
      }
    }
  };
  for (const name of fileNames) {
    out.push(name);
    if (isArchiveName(name) && glob.canMatchBelow(name)) await walk({ file: name, entries: [] }, 0);
  }
  return out;
}
