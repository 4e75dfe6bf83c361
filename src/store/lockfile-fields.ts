/**
 * Reading `oga.lock.json` field by field. A lockfile is edited by hand, merged by git and written
 * by other versions: every field is checked for its type when read, and the first wrong one is
 * named (`assets["battle-theme-a"].licenses[0] is 1, expected a string`) instead of crashing a
 * build later. Records keyed by ids and names are built without a prototype (name-record.ts), so
 * an asset, file or entry called `__proto__` or `constructor` survives the round trip.
 *
 * Links follow the site-url.ts rule that only http(s) URLs reach credits: a `javascript:` author
 * link reads as `null`, a deed that is not http(s) is dropped, a page URL that is not becomes the
 * asset's canonical page, and a file URL that is not is an error (it could not be fetched).
 *
 * To add a field: add it to the type in lockfile.ts and one line to the reader of its object here.
 */
import { pageUrlOfId } from "../site/asset-id.js";
import { CANONICAL_ORIGIN, httpUrlOrNull } from "../site/site-url.js";
import type { Lockfile, LockedAsset, LockedFile, LockedPerson } from "./lockfile.js";
import type { LockedEntry } from "./locked-entries.js";
import { isSha256 } from "./fs-utils.js";
import { nameRecord } from "./name-record.js";

/** A wrong field: where it is (`assets["a"].files["b.ogg"].size`) and what was wrong. */
export class LockfileFieldError extends Error {
  constructor(
    readonly field: string,
    readonly why: string,
  ) {
    super(`${field} ${why}`);
    this.name = "LockfileFieldError";
  }
}

type Json = Record<string, unknown>;

/** How a value looks in a message: short, one line. */
function shown(value: unknown): string {
  const text = value === undefined ? "missing" : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function object(value: unknown, field: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new LockfileFieldError(field, `is ${shown(value)}, expected an object`);
  return value as Json;
}

function string(value: unknown, field: string): string {
  if (typeof value !== "string") throw new LockfileFieldError(field, `is ${shown(value)}, expected a string`);
  return value;
}

function stringOrNull(value: unknown, field: string): string | null {
  return value === null || value === undefined ? null : string(value, field);
}

function strings(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw new LockfileFieldError(field, `is ${shown(value)}, expected a list of strings`);
  return value.map((item, i) => string(item, `${field}[${i}]`));
}

function size(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw new LockfileFieldError(field, `is ${shown(value)}, expected a size in bytes`);
  return value;
}

function sha256(value: unknown, field: string): string {
  if (!isSha256(value)) throw new LockfileFieldError(field, `is ${shown(value)}, expected a sha256 (64 lower-case hex digits)`);
  return value;
}

/** `parent` and a key from the file, as a field path: `assets["a b"]`. */
const at = (parent: string, key: string): string => `${parent}[${JSON.stringify(key)}]`;

/** Each key of an object, read by `read`, into a record without a prototype. */
function recordOf<T>(value: unknown, field: string, read: (item: unknown, field: string, key: string) => T): Record<string, T> {
  return nameRecord(Object.entries(object(value, field)).map(([key, item]) => [key, read(item, at(field, key), key)] as const));
}

function lockedEntry(value: unknown, field: string): LockedEntry {
  const e = object(value, field);
  const entries = e.entries === undefined ? undefined : lockedEntries(e.entries, `${field}.entries`);
  const sha = sha256(e.sha256, `${field}.sha256`);
  return { size: size(e.size, `${field}.size`), sha256: sha, ...(entries && { entries }) };
}

/** An `entries` record (entries used from a zip, recursively). */
export function lockedEntries(value: unknown, field: string): Record<string, LockedEntry> {
  return recordOf(value, field, lockedEntry);
}

function lockedFile(value: unknown, field: string): LockedFile {
  const f = object(value, field);
  const entries = f.entries === undefined ? undefined : lockedEntries(f.entries, `${field}.entries`);
  const etag = f.etag === undefined ? undefined : stringOrNull(f.etag, `${field}.etag`);
  const label = f.label === undefined ? undefined : string(f.label, `${field}.label`);
  const sha = f.sha256 === undefined ? undefined : sha256(f.sha256, `${field}.sha256`);
  const bytes = f.size === null || f.size === undefined ? null : size(f.size, `${field}.size`);
  const url = string(f.url, `${field}.url`);
  if (!httpUrlOrNull(url)) throw new LockfileFieldError(`${field}.url`, `is ${shown(url)}, not an http(s) URL`);
  return {
    url,
    size: bytes,
    ...(label !== undefined && { label }),
    ...(etag !== undefined && { etag }),
    ...(sha !== undefined && { sha256: sha }),
    ...(entries && { entries }),
  };
}

function person(value: unknown, field: string): LockedPerson {
  const p = object(value, field);
  const name = string(p.name, `${field}.name`);
  return { name, url: httpUrlOrNull(stringOrNull(p.url, `${field}.url`)) };
}

function people(value: unknown, field: string): LockedPerson[] {
  if (!Array.isArray(value)) throw new LockfileFieldError(field, `is ${shown(value)}, expected a list of people`);
  return value.map((item, i) => person(item, `${field}[${i}]`));
}

function flag(value: unknown, field: string): boolean {
  if (value !== undefined && typeof value !== "boolean") throw new LockfileFieldError(field, `is ${shown(value)}, expected true or false`);
  return value === true;
}

/** License name → deed URL; deeds that are not http(s) are left out (credits fall back to the known deed). */
function deeds(value: unknown, field: string): Record<string, string> {
  const all = recordOf(value, field, (item, itemField) => httpUrlOrNull(string(item, itemField)));
  return nameRecord(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== null));
}

function lockedAsset(value: unknown, field: string, id: string): LockedAsset {
  const a = object(value, field);
  // Read in the order the file lists them (keys sorted), so the first wrong field is the one named.
  const attribution = string(a.attribution, `${field}.attribution`);
  const author = person(a.author, `${field}.author`);
  const collaborators = a.collaborators === undefined ? [] : people(a.collaborators, `${field}.collaborators`);
  const files = recordOf(a.files, `${field}.files`, lockedFile);
  const filesUnavailable = flag(a.filesUnavailable, `${field}.filesUnavailable`);
  const licenseUrls = a.licenseUrls === undefined ? nameRecord<string>() : deeds(a.licenseUrls, `${field}.licenseUrls`);
  const licenses = strings(a.licenses, `${field}.licenses`);
  const main = stringOrNull(a.main, `${field}.main`);
  const pageUrl = httpUrlOrNull(string(a.pageUrl, `${field}.pageUrl`)) ?? pageUrlOfId(CANONICAL_ORIGIN, id);
  const title = string(a.title, `${field}.title`);
  const type = stringOrNull(a.type, `${field}.type`);
  return {
    pageUrl,
    title,
    author,
    ...(collaborators.length > 0 && { collaborators }),
    licenses,
    ...(Object.keys(licenseUrls).length > 0 && { licenseUrls }),
    attribution,
    type,
    main,
    files,
    ...(filesUnavailable && { filesUnavailable: true as const }),
  };
}

/**
 * The lockfile in `data` (parsed JSON of the given `version`), every field checked and copied.
 * @throws LockfileFieldError naming the first wrong field.
 */
export function lockfileFromJson(data: Json, version: number): Lockfile {
  const specifiers = data.specifiers === undefined ? [] : strings(data.specifiers, "specifiers");
  return { version, assets: recordOf(data.assets, "assets", lockedAsset), specifiers: [...new Set(specifiers)].sort() };
}
