/**
 * Writing the declarations file, and not regenerating it when nothing it is made from changed.
 *
 * Every build ends by bringing the file up to date. Generating its text is the costly part:
 * ~5 ms for 40 files and ~15 ms for 200 in a fresh `vite build` process (cold code, a string of
 * some 80 kB), most of the plugin's fixed cost in a warm build. So each write leaves a record in
 * the cache, `<cacheDir>/declarations/<sha256(file path)>.json`: a fingerprint of the generator's
 * inputs ({@link declarationInputs}) and the sha256 of the text it wrote. While both still match,
 * the file is current: a build checks that with one small read, one read of the file and a hash,
 * and loads the generator only when something changed. The record is only ever trusted together
 * with the file's actual bytes, so an edited, replaced or deleted file is regenerated, and a
 * missing, stale or unwritable record (a read-only cache) costs a regeneration, never a wrong file.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { writeFileIfChanged, type Lockfile } from "../store/lockfile.js";
import { isNotFound, readSmallJsonOrUndefined, sha256Hex, writeCacheRecord } from "../store/fs-utils.js";
import { VERSION } from "../version.js";
import { declarationInputs } from "./declaration-inputs.js";

/**
 * What else the text depends on: the generator's code. The package version covers releases, and
 * the URL of the module (in the bundled package a chunk whose name carries a hash of its code and
 * of the chunks it imports, the generator among them) covers a working copy between releases.
 */
const GENERATOR = `${VERSION} ${import.meta.url}`;
const RECORD_FORMAT = 1;

interface DeclarationsRecord {
  format: number;
  inputs: string;
  text: string;
}

/** Where the records live, and the temp files written beside them: both in the cache directory. */
export interface DeclarationsRecords {
  cacheDir: string;
}

/**
 * Writes the declarations for `lock` to `file` when they changed (temp + rename). Returns whether
 * it wrote. With `neverShrink` (the dev server) the modules the file on disk declares are kept
 * (see `mergeDeclarations`); builds and the CLI write exactly what the lock says. With `records`,
 * a file still current for these inputs is left alone without generating its text.
 */
export async function writeDeclarations(
  file: string,
  lock: Lockfile,
  { neverShrink = false, records }: { neverShrink?: boolean; records?: DeclarationsRecords | undefined } = {},
): Promise<boolean> {
  const inputs = declarationInputs(lock);
  // Read at once, synchronously: a promise read crosses the thread pool per step, and the file is small.
  const current = readTextOrUndefined(file);
  const record = records && path.join(records.cacheDir, "declarations", `${sha256Hex(path.resolve(file))}.json`);
  const fingerprint = sha256Hex(JSON.stringify([GENERATOR, inputs]));
  // A current file is exactly the generated text, which merging with itself leaves as it is.
  if (record !== undefined && current !== undefined && isCurrent(record, fingerprint, current)) return false;
  const { generateDeclarationsFrom, mergeDeclarations } = await import("./declarations.js");
  const generated = generateDeclarationsFrom(inputs);
  const text = neverShrink && current !== undefined ? mergeDeclarations(current, generated) : generated;
  const written = text !== current && (await writeFileIfChanged(file, text));
  // A merged file holds more than these inputs make: only an exact one is recorded as current.
  if (record !== undefined && text === generated) await saveRecord(records!.cacheDir, record, { format: RECORD_FORMAT, inputs: fingerprint, text: sha256Hex(text) });
  return written;
}

function readTextOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function isCurrent(record: string, fingerprint: string, current: string): boolean {
  let saved: unknown;
  try {
    saved = readSmallJsonOrUndefined(record);
  } catch {
    return false; // unreadable: regenerate, as without a record
  }
  const { format, inputs, text } = (saved ?? {}) as Partial<DeclarationsRecord>;
  return format === RECORD_FORMAT && inputs === fingerprint && text === sha256Hex(current);
}

/** Best effort: without the record the next build regenerates the text, nothing worse. */
async function saveRecord(cacheDir: string, record: string, value: DeclarationsRecord): Promise<void> {
  try {
    if (isCurrentRecord(record, value)) return;
    await writeCacheRecord(cacheDir, record, value);
  } catch {
    // A read-only or full cache: the declarations themselves were written (or not) above.
  }
}

function isCurrentRecord(record: string, value: DeclarationsRecord): boolean {
  const saved = readSmallJsonOrUndefined(record) as Partial<DeclarationsRecord> | undefined;
  return saved?.format === value.format && saved.inputs === value.inputs && saved.text === value.text;
}
