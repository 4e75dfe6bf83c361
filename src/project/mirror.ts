/**
 * A static mirror of what a lockfile pins: each asset page as the site serves it and each file
 * under the site's own path, laid out so that any static HTTP server, object store or CDN serving
 * the directory answers the requests the plugin makes (`/content/<slug>` → `content/<slug>/index.html`,
 * `/sites/default/files/<name>` → that file). Builds point `url` at it; the pages keep their links
 * on opengameart.org, which the client fetches from the configured origin, and every file is
 * checked against the lockfile's sha256 on the way in, so the mirror needs no trust.
 */
import { copyFile, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pLimit from "p-limit";
import type { OgaClient } from "../client.js";
import { OgaError } from "../errors.js";
import { pageUrlOfId } from "../site/asset-id.js";
import type { SiteHttp } from "../site/http.js";
import { CANONICAL_ORIGIN, isCanonicalSiteUrl } from "../site/site-url.js";
import { hashFile } from "../store/fs-utils.js";
import type { Lockfile } from "../store/lockfile.js";

/** One thing the mirror holds, by its path relative to the mirror directory. */
export interface MirroredPath {
  kind: "page" | "file";
  /** Relative path with `/` separators (`content/battle-theme-a/index.html`). */
  path: string;
  /** The canonical URL it answers for. */
  url: string;
  bytes: number;
  /** `false` when the mirror held these exact bytes already. */
  written: boolean;
}

/** A locked file the mirror cannot hold: it is not on the site (a host listed in `allowHosts`). */
export interface SkippedFile {
  asset: string;
  name: string;
  url: string;
}

export interface MirrorOptions {
  /** Fetches the pages from the configured site (the live one, or another mirror). */
  http: Pick<SiteHttp, "origin" | "getPage">;
  /** Brings files into the cache, verified against the lockfile. */
  client: Pick<OgaClient, "fetchFile">;
  concurrency: number;
  signal?: AbortSignal;
  /** Called as each page or file is in place. */
  onPath?: (entry: MirroredPath) => void;
}

export interface MirrorReport {
  paths: MirroredPath[];
  skipped: SkippedFile[];
  /** Files the lock lists but does not pin (never downloaded by a build): left out. */
  unpinned: number;
}

/**
 * The mirror-relative path a URL on the site is served from: its decoded path segments, or
 * `null` for a URL that is not the site's own. A segment that could leave the directory or is
 * not a file name on common file systems is refused.
 *
 * @throws OgaError `OGA_BAD_INPUT` for such a segment.
 */
export function mirrorPathOf(url: URL, origin: string): string[] | null {
  if (!isCanonicalSiteUrl(url) && url.origin !== origin) return null;
  const segments = url.pathname.split("/").slice(1);
  return segments.map((raw) => {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      segment = raw;
    }
    if (segment === "" || segment === "." || segment === ".." || /[/\\\0]/.test(segment)) {
      throw new OgaError("OGA_BAD_INPUT", `cannot mirror ${url.href}: its path segment ${JSON.stringify(segment)} is not a file name`);
    }
    return segment;
  });
}

/** Writes `source()` to `target` through a temp file beside it: a reader sees the old file or the new one. */
async function placeAtomically(target: string, write: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await write(temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function sameFile(target: string, size: number, sha256: string): Promise<boolean> {
  const existing = await stat(target).catch(() => null);
  return existing !== null && existing.isFile() && existing.size === size && (await hashFile(target)) === sha256;
}

/**
 * Writes the mirror of `lock` into `dir`: every asset page, fetched now from `http.origin`, and
 * every file the lock pins (has a sha256 for: what builds use), from the cache when it holds the
 * pinned bytes, else downloaded and verified. Files already in the mirror with the pinned sha256
 * are left alone, so a re-run costs page requests and hashing only.
 */
export async function writeMirror(lock: Lockfile, dir: string, options: MirrorOptions): Promise<MirrorReport> {
  const root = path.resolve(dir);
  const limit = pLimit(Math.max(1, options.concurrency));
  const paths: MirroredPath[] = [];
  const skipped: SkippedFile[] = [];
  const placed = (entry: MirroredPath): void => {
    paths.push(entry);
    options.onPath?.(entry);
  };
  const ids = Object.keys(lock.assets).sort();

  const pages = ids.map((id) =>
    limit(async () => {
      const canonical = pageUrlOfId(CANONICAL_ORIGIN, id);
      const segments = mirrorPathOf(new URL(canonical), options.http.origin)!;
      const { html } = await options.http.getPage(pageUrlOfId(options.http.origin, id), { ...(options.signal && { signal: options.signal }) });
      const body = Buffer.from(html, "utf8");
      // A directory index: plain static servers answer `/content/<slug>` with a redirect to the
      // directory and serve its index.html as text/html, which an extensionless file would not get.
      const relative = [...segments, "index.html"];
      await placeAtomically(path.join(root, ...relative), (temp) => writeFile(temp, body));
      placed({ kind: "page", path: relative.join("/"), url: canonical, bytes: body.length, written: true });
    }),
  );

  const listed = ids.flatMap((id) => Object.entries(lock.assets[id]!.files).map(([name, locked]) => ({ id, name, locked })));
  const pinned = listed.filter((file): file is typeof file & { locked: { sha256: string } } => file.locked.sha256 !== undefined);
  const files = pinned.map(({ id, name, locked }) =>
    limit(async () => {
      const segments = mirrorPathOf(new URL(locked.url), options.http.origin);
      if (!segments) {
        skipped.push({ asset: id, name, url: locked.url });
        return;
      }
      const relative = segments.join("/");
      const target = path.join(root, ...segments);
      if (locked.size !== null && (await sameFile(target, locked.size, locked.sha256))) {
        placed({ kind: "file", path: relative, url: locked.url, bytes: locked.size, written: false });
        return;
      }
      const cached = await options.client.fetchFile(
        { url: locked.url, name },
        {
          expect: { sha256: locked.sha256, ...(locked.size !== null && { size: locked.size }), etag: locked.etag ?? null },
          ...(options.signal && { signal: options.signal }),
        },
      );
      await placeAtomically(target, (temp) => copyFile(cached.path, temp));
      placed({ kind: "file", path: relative, url: locked.url, bytes: cached.size, written: true });
    }),
  );

  await Promise.all([...pages, ...files]);
  paths.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => (`${a.asset}/${a.name}` < `${b.asset}/${b.name}` ? -1 : 1));
  return { paths, skipped, unpinned: listed.length - pinned.length };
}
