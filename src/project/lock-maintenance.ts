/**
 * Lockfile upkeep outside a build, for `oga verify`, `oga update` and `oga outdated`: check the
 * cached blobs a lock pins, re-describe and revalidate its assets, and say what changed.
 * Framework-free; the resolver stays the only code a build runs.
 */
import { createHash } from "node:crypto";
import { access } from "node:fs/promises";
import type { Readable } from "node:stream";
import pLimit from "p-limit";
import type { OgaClient } from "../client.js";
import type { SiteHttp } from "../site/http.js";
import { OgaError, isOgaError } from "../errors.js";
import type { BlobState, Cache } from "../store/cache.js";
import { discard } from "../store/fetch-file.js";
import { lockedAssetFromAsset, readLockfile, type LockedAsset, type LockedFile, type Lockfile } from "../store/lockfile.js";
import { diffLockedAsset, type AssetChanges } from "./lock-diff.js";
import { own, setOwn } from "./own-key.js";
import { globMatcher, isOgaSpecifier, parseSpecifier } from "./specifier.js";

/**
 * Reads a lockfile that must exist. `readLockfile` treats a missing file as empty (right for a
 * build, which creates it); a maintenance command on nothing is a mistake worth naming.
 */
export async function readExistingLockfile(file: string): Promise<Lockfile> {
  try {
    await access(file);
  } catch {
    throw new OgaError("OGA_NOT_FOUND", `No lockfile at ${file}; run \`oga prefetch\` (or a build) in the project first, or pass --lockfile.`);
  }
  return readLockfile(file);
}

/** One pinned file and the state of its blob in the cache. */
export interface VerifiedFile {
  asset: string;
  name: string;
  sha256: string;
  state: BlobState;
  /** Where the blob should be. */
  path: string;
}

/**
 * Re-hashes every file the lock pins (those with a sha256) in the cache: `ok`, `missing` or
 * `modified`. Full hashes on purpose: this is the check for what the fast stamp cannot see
 * (corruption below the file system). No network. Sorted by asset, then file name.
 */
export async function verifyLockedFiles(lock: Lockfile, cache: Cache, concurrency = 4): Promise<VerifiedFile[]> {
  const limit = pLimit(concurrency);
  const checks: Promise<VerifiedFile>[] = [];
  for (const [asset, record] of sortedEntries(lock.assets)) {
    for (const [name, file] of sortedEntries(record.files)) {
      const sha256 = file.sha256;
      if (sha256 === undefined) continue; // never downloaded: nothing in the cache to vouch for
      checks.push(limit(async () => ({ asset, name, sha256, path: cache.blobPath(sha256, name), state: await cache.checkBlob(sha256, name, { full: true }) })));
    }
  }
  return Promise.all(checks);
}

/**
 * The locked assets to work on: all, or the given ids. An unknown id is an `OGA_BAD_INPUT`
 * naming it and listing the locked ids, so a typo never silently updates nothing.
 */
export function selectLockedIds(lock: Lockfile, ids: readonly string[], lockfile: string): string[] {
  const locked = Object.keys(lock.assets).sort();
  if (ids.length === 0) return locked;
  const unknown = ids.filter((id) => !own(lock.assets, id));
  if (unknown.length > 0) {
    const list = locked.length > 0 ? locked.join(", ") : "(none)";
    throw new OgaError("OGA_BAD_INPUT", `${unknown.map((id) => `"${id}"`).join(", ")} ${unknown.length === 1 ? "is" : "are"} not in ${lockfile}; locked assets: ${list}.`);
  }
  return [...new Set(ids)].sort();
}

/** What `oga update` did. `lock` is the new lockfile (not yet written). */
export interface UpdateResult {
  lock: Lockfile;
  changes: AssetChanges[];
}

/**
 * Re-describes each asset in `ids` and refreshes its record: every file the lock had downloaded,
 * and every file a recorded specifier now selects, is revalidated through the cache (a
 * conditional GET; a changed file is downloaded and hashed), so a build right after makes no
 * request. Files gone upstream leave the lock. Returns the new lock and what changed; writes nothing.
 */
export async function updateLockedAssets(lock: Lockfile, ids: readonly string[], client: OgaClient): Promise<UpdateResult> {
  const updated = await Promise.all(
    ids.map(async (id) => {
      const before = own(lock.assets, id)!;
      const fresh = lockedAssetFromAsset(await describeLocked(client, id, before));
      const wanted = new Set([...downloadedNames(before), ...namesSelectedBySpecifiers(lock.specifiers, id, fresh)]);
      await Promise.all(
        Object.entries(fresh.files).map(async ([name, file]) => {
          if (!wanted.has(name)) return;
          const cached = await client.fetchFile({ url: file.url, name });
          const old = own(before.files, name);
          // Unchanged bytes keep the old record, so fields other tools add to it survive.
          const base = old && old.sha256 === cached.sha256 && old.url === file.url ? old : {};
          setOwn(fresh.files, name, { ...base, url: file.url, size: cached.size, etag: cached.etag, sha256: cached.sha256 });
        }),
      );
      return [id, fresh] as const;
    }),
  );
  const assets: Record<string, LockedAsset> = Object.create(null);
  for (const [id, asset] of [...Object.entries(lock.assets), ...updated]) setOwn(assets, id, asset);
  return {
    lock: { ...lock, assets },
    changes: updated.map(([id, fresh]) => diffLockedAsset(id, own(lock.assets, id)!, fresh)),
  };
}

/** An asset's changes upstream, or `gone` when its page no longer exists. */
export type OutdatedReport = (AssetChanges & { gone: false }) | { id: string; gone: true; pageUrl: string };

/**
 * What `oga update` would change, without changing the lock or downloading into the cache:
 * re-describes each asset and asks for each downloaded file with a conditional GET on its locked
 * ETag. A 304 is "same"; a 200 is read only as far as its headers (new ETag and size), except
 * when the lock has no ETag to compare, where the body is hashed in passing and thrown away.
 */
export async function checkOutdated(
  lock: Lockfile,
  ids: readonly string[],
  client: OgaClient,
  /** Raw file requests: the client's own always store a 200 body in the cache. */
  http: Pick<SiteHttp, "openFile">,
  concurrency = 4,
): Promise<OutdatedReport[]> {
  const limit = pLimit(concurrency);
  return Promise.all(
    ids.map(async (id): Promise<OutdatedReport> => {
      const before = own(lock.assets, id)!;
      let upstream: LockedAsset;
      try {
        // By id, like the resolver: the configured site decides, not the origin the lock was made on.
        upstream = lockedAssetFromAsset(await client.describe(id));
      } catch (error) {
        if (isOgaError(error, "OGA_NOT_FOUND")) return { id, gone: true, pageUrl: before.pageUrl };
        throw error;
      }
      await Promise.all(
        Object.entries(upstream.files).map(async ([name, file]) => {
          const old = own(before.files, name);
          // A new URL is a change by itself; a never-downloaded file has nothing to compare but its listing.
          if (old?.sha256 === undefined || old.url !== file.url) return;
          setOwn(upstream.files, name, await limit(() => probeFile(http, old)));
        }),
      );
      return { ...diffLockedAsset(id, before, upstream), gone: false };
    }),
  );
}

/** The upstream version of a downloaded file, learnt with as little transfer as possible. */
async function probeFile(http: Pick<SiteHttp, "openFile">, locked: LockedFile): Promise<LockedFile> {
  const response = await http.openFile(locked.url, { etag: locked.etag ?? null });
  // A server that ignores If-None-Match still answers with the same ETag for the same bytes.
  if (response.status === 304 || (locked.etag && response.etag === locked.etag)) {
    discard(response.body);
    return locked;
  }
  if (locked.etag) {
    discard(response.body);
    return { url: locked.url, size: response.size ?? locked.size, etag: response.etag };
  }
  const { sha256, size } = await hashStream(response.body);
  return { url: locked.url, size, etag: response.etag, sha256 };
}

async function hashStream(body: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest("hex"), size };
}

/** Describes a locked asset by id (the configured site decides), naming it when it is gone. */
async function describeLocked(client: OgaClient, id: string, locked: LockedAsset) {
  try {
    return await client.describe(id);
  } catch (error) {
    if (isOgaError(error, "OGA_NOT_FOUND")) {
      throw new OgaError("OGA_NOT_FOUND", `"${id}" is no longer on the site (${locked.pageUrl} is gone); remove its imports and its entry from the lockfile.`, { cause: error });
    }
    throw error;
  }
}

function downloadedNames(asset: LockedAsset): string[] {
  return Object.entries(asset.files)
    .filter(([, file]) => file.sha256 !== undefined)
    .map(([name]) => name);
}

/**
 * The files of `asset` that the project's recorded specifiers for `id` use: all for `oga:id`,
 * the named one for a file (or the file holding it, for a path inside an archive), glob matches.
 */
function namesSelectedBySpecifiers(specifiers: readonly string[], id: string, asset: LockedAsset): string[] {
  const names = Object.keys(asset.files);
  const selected: string[] = [];
  for (const specifier of specifiers) {
    if (!isOgaSpecifier(specifier)) continue;
    let parsed;
    try {
      parsed = parseSpecifier(specifier);
    } catch {
      continue; // a bad one was reported by the build that recorded it
    }
    if (parsed.kind === "credits" || parsed.id !== id) continue;
    if (parsed.kind === "asset") selected.push(...names);
    else if (parsed.kind === "file") selected.push(...names.filter((name) => parsed.file === name || parsed.file.startsWith(`${name}/`)));
    else selected.push(...names.filter(globMatcher(parsed.pattern)));
  }
  return selected;
}

function sortedEntries<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
