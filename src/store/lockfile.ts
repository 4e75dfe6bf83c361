import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { OgaError } from "../errors.js";
import type { Asset } from "../site/types.js";
import { mergeLockedEntries, type LockedEntry } from "./locked-entries.js";
import { LockfileFieldError, lockfileFromJson } from "./lockfile-fields.js";
import { copyNameRecord, nameRecord } from "./name-record.js";

/** Format version of `oga.lock.json`. */
export const LOCKFILE_VERSION = 1;

/** One file of a locked asset. `etag` and `sha256` are present once the file was downloaded. */
export interface LockedFile {
  /** Download URL; the site's own files are recorded on `https://opengameart.org`, also when fetched from a mirror. */
  url: string;
  size: number | null;
  /** What the uploader called the file (`download` attribute), when that is not its name. */
  label?: string;
  etag?: string | null;
  sha256?: string;
  /** For an archive: the entries builds used from it (see locked-entries.ts). */
  entries?: Record<string, LockedEntry>;
}

/** What the lockfile keeps of an asset: enough to build and credit it without the site. */
export interface LockedAsset {
  /** Canonical page URL (`https://opengameart.org/content/<id>`). */
  pageUrl: string;
  title: string;
  author: LockedPerson;
  /** Co-authors named on the page (present when there are any); credits name them with the author. */
  collaborators?: LockedPerson[];
  licenses: string[];
  /** The deed each license links to on the page, by license name (present when the page gave any). */
  licenseUrls?: Record<string, string>;
  attribution: string;
  type: string | null;
  /** Name of the asset's main file (the first on its page), since `files` is stored sorted. */
  main: string | null;
  files: Record<string, LockedFile>;
  /** Present (true) when the page says its files are withdrawn ("File(s) currently unavailable …"). */
  filesUnavailable?: true;
}

/** A person as the lockfile credits them; `url` is an http(s) URL or `null`. */
export interface LockedPerson {
  name: string;
  url: string | null;
}

/** The parsed `oga.lock.json`. */
export interface Lockfile {
  version: number;
  assets: Record<string, LockedAsset>;
  /** Every `oga:` specifier ever resolved for this project (sorted, never shrinks on its own). */
  specifiers: string[];
}

/**
 * An empty lockfile. Its records (and every one this module builds) have no prototype, so ids and
 * names such as `__proto__` or `constructor` are plain keys.
 */
export function emptyLockfile(): Lockfile {
  return { version: LOCKFILE_VERSION, assets: nameRecord(), specifiers: [] };
}

/** The locked form of a described asset: every file with url + size, none downloaded yet. */
export function lockedAssetFromAsset(asset: Asset): LockedAsset {
  const files = nameRecord<LockedFile>(asset.files.map((f) => [f.name, { url: f.url, size: f.size, ...(f.label !== f.name && { label: f.label }) }]));
  const licenseUrls = nameRecord<string>();
  for (const license of asset.licenses) {
    if (Object.hasOwn(asset.licenseUrls, license)) licenseUrls[license] = asset.licenseUrls[license]!;
  }
  return {
    pageUrl: asset.pageUrl,
    title: asset.title,
    author: { name: asset.author.name, url: asset.author.url },
    ...(asset.collaborators.length > 0 && { collaborators: asset.collaborators.map((p) => ({ name: p.name, url: p.url })) }),
    licenses: [...asset.licenses],
    ...(Object.keys(licenseUrls).length > 0 && { licenseUrls }),
    attribution: asset.attribution,
    type: asset.type,
    main: asset.files[0]?.name ?? null,
    files,
    ...(asset.filesUnavailable && { filesUnavailable: true as const }),
  };
}

/**
 * Reads a lockfile. A missing file is an empty lockfile; anything unreadable is an
 * `OGA_BAD_INPUT` error naming the file and how to recover, never a silent reset.
 */
export async function readLockfile(file: string): Promise<Lockfile> {
  let text: string;
  try {
    // Synchronously: every build starts with this read, and one read of a file of tens of kB costs
    // less than the promise API's open, stat, read and close, each a trip through the thread pool.
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyLockfile();
    throw error;
  }
  return parseLockfile(text, file);
}

/** Parses and validates lockfile text (`file` is only for messages). */
export function parseLockfile(text: string, file: string): Lockfile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, "it is not valid JSON (a merge conflict?)", error);
  }
  if (!isRecord(data)) throw corrupt(file, "it is not a JSON object");
  if (data.version !== LOCKFILE_VERSION) throw corrupt(file, `unsupported version ${JSON.stringify(data.version)} (expected ${LOCKFILE_VERSION})`);
  try {
    return lockfileFromJson(data, LOCKFILE_VERSION);
  } catch (error) {
    if (error instanceof LockfileFieldError) throw corrupt(file, error.message, error);
    throw error;
  }
}

/** A deep copy of the locked asset `id`, whose records have no prototype (for a description that is cached and shared). */
export function cloneLockedAsset(id: string, asset: LockedAsset): LockedAsset {
  // The reader copies every field into fresh objects and prototype-free records.
  return lockfileFromJson({ assets: nameRecord([[id, asset]]) }, LOCKFILE_VERSION).assets[id]!;
}

function corrupt(file: string, why: string, cause?: unknown): OgaError {
  return new OgaError("OGA_BAD_INPUT", `Lockfile ${file} is corrupt: ${why}. Fix it, or delete it and run \`oga prefetch\` to recreate it.`, { cause });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Merges `ours` over `base`: assets and files in `ours` win, specifiers are united. Used for
 * read-merge-write so that two processes (client + SSR build, CLI + dev server) keep each other's work.
 */
export function mergeLockfiles(base: Lockfile, ours: Lockfile): Lockfile {
  const assets = copyNameRecord(base.assets);
  for (const [id, asset] of Object.entries(ours.assets)) {
    const before = Object.hasOwn(base.assets, id) ? base.assets[id] : undefined;
    // Keep download facts (sha256/etag) the other side learnt for files we only know by URL.
    const files = nameRecord<LockedFile>();
    for (const [name, file] of Object.entries(asset.files)) {
      const other = before && Object.hasOwn(before.files, name) ? before.files[name] : undefined;
      const kept = file.sha256 === undefined && other?.sha256 !== undefined && other.url === file.url ? other : file;
      // Entries used by either side, as long as both speak of the same archive bytes.
      const entries = other && other !== kept && other.sha256 === kept.sha256 ? mergeLockedEntries(other.entries, kept.entries) : kept.entries;
      files[name] = entries ? { ...kept, entries } : kept;
    }
    assets[id] = { ...asset, files };
  }
  return { version: LOCKFILE_VERSION, assets, specifiers: [...new Set([...base.specifiers, ...ours.specifiers])].sort() };
}

/** The canonical text: sorted keys at every level, 2-space indent, LF, trailing newline. */
export function formatLockfile(lock: Lockfile): string {
  return JSON.stringify(sortKeys({ ...lock, specifiers: [...new Set(lock.specifiers)].sort() }), null, 2) + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  const out = nameRecord<unknown>();
  for (const key of Object.keys(value).sort()) if (value[key] !== undefined) out[key] = sortKeys(value[key]);
  return out;
}

/**
 * Writes `text` to `file` atomically (temp file in the same directory + rename) unless the
 * file already holds exactly that text. Returns whether it wrote.
 */
export async function writeFileIfChanged(file: string, text: string): Promise<boolean> {
  const current = await readFile(file, "utf8").catch(() => undefined);
  if (current === text) return false;
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return true;
}

/**
 * Read-merge-write: re-reads the file on disk, merges `lock` over it and writes the result when
 * it differs. Returns the merged lockfile.
 */
export async function updateLockfile(file: string, lock: Lockfile): Promise<Lockfile> {
  const merged = mergeLockfiles(await readLockfile(file), lock);
  await writeFileIfChanged(file, formatLockfile(merged));
  return merged;
}

/** Writes `lock` as is (no merge): for commands that remove entries on purpose (`oga update`). */
export async function writeLockfile(file: string, lock: Lockfile): Promise<boolean> {
  return writeFileIfChanged(file, formatLockfile(lock));
}
