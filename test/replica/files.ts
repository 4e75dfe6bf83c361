/**
 * `/sites/default/files/…` served the way Apache serves static files: an ETag made of size
 * and mtime in hex (mtime in microseconds), Last-Modified, byte ranges, conditional requests.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ReplicaFile } from "./catalogue.js";
import type { Reply } from "./reply.js";

/** Apache's default `FileETag MTime Size`: `"<size hex>-<mtime µs hex>"`. */
export function etagOf(file: Pick<ReplicaFile, "size" | "mtime">): string {
  return `"${file.size.toString(16)}-${(file.mtime.getTime() * 1000).toString(16)}"`;
}

function etagListMatches(header: string, etag: string): boolean {
  // Weak comparison, as Apache does for If-None-Match.
  const strip = (tag: string): string => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || strip(tag) === strip(etag));
}

function notModified(headers: IncomingHttpHeaders, etag: string | null, mtime: Date): boolean {
  const ifNoneMatch = headers["if-none-match"];
  if (ifNoneMatch !== undefined) return etag !== null && etagListMatches(ifNoneMatch, etag);
  const ifModifiedSince = headers["if-modified-since"];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && Math.floor(mtime.getTime() / 1000) * 1000 <= since;
}

type RangeResult = { start: number; end: number } | "unsatisfiable" | null;

/** A single `bytes=` range; anything else (multiple ranges, other units) is ignored → 200. */
export function parseRange(header: string | undefined, size: number): RangeResult {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size : Math.min(size, Number(match[2]) + 1);
    if (match[2] !== "" && Number(match[2]) < start) return null; // invalid: ignored
  }
  if (start >= size) return "unsatisfiable";
  return { start, end };
}

/** What serving a file needs: an upload, or a picture the site derives from one. */
export type ServedFile = Pick<ReplicaFile, "size" | "mtime" | "mime" | "open"> & Partial<Pick<ReplicaFile, "etagStyle">>;

/** The ETag as the file's server sends it (see `ReplicaFileDef.etag`), or `null` for none. */
function servedEtag(file: ServedFile): string | null {
  if (file.etagStyle === "none") return null;
  return file.etagStyle === "weak" ? `W/${etagOf(file)}` : etagOf(file);
}

export function fileReply(file: ServedFile, headers: IncomingHttpHeaders): Reply {
  const etag = servedEtag(file);
  const lastModified = file.mtime.toUTCString();
  const common: Reply["headers"] = { "last-modified": lastModified, "accept-ranges": "bytes", ...(etag !== null && { etag }) };
  if (notModified(headers, etag, file.mtime)) return { status: 304, headers: common, body: null };
  // If-Match (sent with a resumed Range request): Apache answers 412 once the file changed. The
  // comparison is strong, so a weak ETag never matches.
  const ifMatch = headers["if-match"];
  const strong = etag !== null && !etag.startsWith("W/") ? etag : null;
  if (ifMatch !== undefined && !ifMatch.split(",").some((tag) => tag.trim() === "*" || tag.trim() === strong)) {
    return { status: 412, headers: { ...common, "content-length": 0 }, body: null };
  }

  const size = file.size;
  const ifRange = headers["if-range"];
  // If-Range: a range only while the file is still the one the client has part of.
  const rangeAllowed = ifRange === undefined || (strong !== null && ifRange === strong) || ifRange === lastModified;
  const range = rangeAllowed ? parseRange(headers.range, size) : null;
  if (range === "unsatisfiable") {
    return { status: 416, headers: { ...common, "content-range": `bytes */${size}`, "content-length": 0 }, body: null };
  }
  const { start, end } = range ?? { start: 0, end: size };
  const out: Reply = {
    status: range ? 206 : 200,
    headers: { ...common, "content-type": file.mime, "content-length": end - start },
    body: file.open(start, end),
  };
  if (range) out.headers["content-range"] = `bytes ${start}-${end - 1}/${size}`;
  return out;
}
