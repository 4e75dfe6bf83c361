/**
 * Previews (thumbnails, waveforms, audio) reach the asset page through the dev server: fetched
 * with the plugin's client (same origin or mirror, same limits) into the shared cache, so the
 * browser never talks to the site and a cached preview shows offline.
 */
import { createReadStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OgaClient } from "../client.js";
import { isOgaError } from "../errors.js";
import { isCanonicalSiteUrl } from "../site/site-url.js";

/** The page-relative path that serves a preview. */
export const MEDIA_PATH = "api/media";

/** Where the site keeps uploads and what it derives from them (thumbnails, audio previews). */
const FILES_PREFIX = "/sites/default/files/";

const TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
  svg: "image/svg+xml",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  opus: "audio/ogg",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  flac: "audio/flac",
};

/**
 * The site file a preview URL names, or `null` for anything the page must not make the dev
 * server fetch: only the site's own files (canonical URLs under `/sites/default/files/`, which
 * the client fetches from the configured origin or mirror).
 */
export function mediaTarget(url: string | null): URL | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!isCanonicalSiteUrl(parsed) || !parsed.pathname.startsWith(FILES_PREFIX) || parsed.pathname.endsWith("/") || parsed.username || parsed.password) return null;
  parsed.hash = "";
  return parsed;
}

/** `api/media?url=…` for a preview the dev server will serve, or `null`. */
export function mediaPath(url: string): string | null {
  const target = mediaTarget(url);
  return target ? `${MEDIA_PATH}?url=${encodeURIComponent(target.href)}` : null;
}

/**
 * Answers `api/media?url=…`: the cached copy (fetched once when online), with its type, a
 * single byte range for audio seeking, and a sandboxing CSP, since an uploader's SVG opened on
 * its own would otherwise run script on the dev server's origin.
 */
export async function serveMedia(client: Pick<OgaClient, "fetchFile">, offline: boolean, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = mediaTarget(query.get("url"));
  if (!target) return plain(res, 400, "Only previews on the site (https://opengameart.org/sites/default/files/…) are served.");
  // The page parsers' module: loaded here, not with the plugin (see test/lazy-imports.test.ts).
  const { fileNameFromUrl } = await import("../site/parse-file-link.js");
  const name = fileNameFromUrl(target);
  let path: string;
  let size: number;
  try {
    ({ path, size } = await client.fetchFile({ url: target.href, name }, { offline, revalidate: false }));
  } catch (error) {
    if (isOgaError(error, "OGA_OFFLINE")) return plain(res, 404, "This preview is not in the cache, and offline mode is on.");
    if (isOgaError(error, "OGA_NOT_FOUND")) return plain(res, 404, "The site has no such preview.");
    if (isOgaError(error, "OGA_BAD_INPUT")) return plain(res, 400, (error as Error).message);
    return plain(res, 502, `The preview could not be fetched: ${(error as Error).message}`);
  }
  const extension = name.split(".").pop()?.toLowerCase() ?? "";
  res.setHeader("Content-Type", TYPES[extension] ?? "application/octet-stream");
  res.setHeader("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "private, max-age=3600");
  res.setHeader("Accept-Ranges", "bytes");
  const range = byteRange(req.headers.range, size);
  if (range === "unsatisfiable") {
    res.setHeader("Content-Range", `bytes */${size}`);
    return plain(res, 416, "Range not satisfiable.");
  }
  if (range) {
    res.statusCode = 206;
    res.setHeader("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
  }
  res.setHeader("Content-Length", range ? range.end - range.start + 1 : size);
  if (req.method === "HEAD") return void res.end();
  const stream = createReadStream(path, range ?? {});
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range (what media elements send); others get the whole file. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | "unsatisfiable" | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const start = match[1] === "" ? Math.max(0, size - Number(match[2])) : Number(match[1]);
  const end = match[1] === "" || match[2] === "" ? size - 1 : Math.min(size - 1, Number(match[2]));
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

function plain(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(message);
}
