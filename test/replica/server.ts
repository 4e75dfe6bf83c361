/**
 * The request handler: logging, faults, then routing to pages and files. Knows the site's URL
 * space; the rendering and the data live in their own modules.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Catalogue } from "./catalogue.js";
import type { Faults, FaultRule } from "./faults.js";
import type { RequestLog } from "./request-log.js";
import { renderAssetPage } from "./asset-page.js";
import { apacheNotFound, drupalErrorWith200, drupalNotFound, nginxError } from "./error-pages.js";
import { fileReply, type ServedFile } from "./files.js";
import { png, seedOf } from "./media.js";
import { FILES_PREFIX, escapeHtml, pageShell } from "./html.js";
import { gzipped, htmlReply, sendReply, sendTrickled, textReply, type Reply } from "./reply.js";
import { parseSearchQuery, runSearch } from "./search.js";
import { SEARCH_PATH, renderSearchPage } from "./search-page.js";

export interface SiteContext {
  catalogue: Catalogue;
  faults: Faults;
  requests: RequestLog;
  /** The simulated round trip: every answer waits this long before its first byte. */
  roundTrip: { ms: number };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const ROBOTS = "User-agent: *\nCrawl-delay: 10\nDisallow: /user/\nDisallow: /search/\n";

/**
 * Files the site derives from an upload: image-style thumbnails (`styles/<style>/public/<path>`),
 * audio previews (`audio_preview/<path>.ogg|.mp3`) and their waveforms (`…/audio_preview/<path>.png`).
 * The replica answers thumbnails and audio previews with the upload's own bytes (tests only need
 * them to exist), and a waveform with a PNG, as the site does.
 */
function derivedFile(catalogue: Catalogue, stored: string): ServedFile | undefined {
  const style = /^styles\/[^/]+\/public\/(.+)$/.exec(stored);
  const path = style ? style[1]! : stored;
  const preview = /^audio_preview\/(.+)\.(ogg|mp3|png)$/.exec(path);
  const upload = catalogue.fileAt(preview ? preview[1]! : path);
  if (!upload || preview?.[2] !== "png") return upload;
  const picture = png(240, 80, seedOf(path), "waveform");
  return { size: picture.length, mtime: upload.mtime, mime: "image/png", open: (start = 0, end = picture.length) => picture.subarray(start, end) };
}

function route(site: SiteContext, pathname: string, search: string, req: IncomingMessage): Reply {
  const { catalogue } = site;
  if (pathname === "/robots.txt") return textReply(200, ROBOTS);
  if (pathname === SEARCH_PATH) {
    const query = parseSearchQuery(search);
    return htmlReply(200, renderSearchPage(query, runSearch(catalogue.assets(), query)));
  }
  const content = /^\/content\/([^/]+)\/?$/.exec(pathname);
  const node = /^\/node\/(\d+)\/?$/.exec(pathname);
  if (content || node) {
    const asset = content ? catalogue.getAsset(content[1]!) : catalogue.getByNode(Number(node![1]));
    if (!asset) return htmlReply(404, drupalNotFound(pathname));
    const page = Number.parseInt(new URLSearchParams(search).get("page") ?? "0", 10);
    const requestPath = (req.url ?? pathname).split("?")[0]!;
    return htmlReply(200, renderAssetPage(catalogue, asset, page > 0 ? page : 0, requestPath));
  }
  if (pathname.startsWith(FILES_PREFIX)) {
    const stored = pathname.slice(FILES_PREFIX.length);
    const file = catalogue.fileAt(stored) ?? derivedFile(catalogue, stored);
    if (!file) return htmlReply(404, apacheNotFound(pathname), { "cache-control": "max-age=0" });
    return fileReply(file, req.headers);
  }
  const user = /^\/users\/([^/]+)$/.exec(pathname);
  if (user) {
    const submitted = catalogue.assets().find((a) => a.submitter.slug === user[1]);
    if (!submitted) return htmlReply(404, drupalNotFound(pathname));
    const name = submitted.submitter.name;
    return htmlReply(200, pageShell({ title: name, bodyClass: "page-user", content: `<h1 class="title">${escapeHtml(name)}</h1>` }));
  }
  if (pathname === "/") {
    return htmlReply(200, pageShell({ title: "Home", bodyClass: "front", content: `<p><a href="${SEARCH_PATH}">Browse art</a></p>` }));
  }
  return htmlReply(404, drupalNotFound(pathname));
}

function faultReply(rule: FaultRule): Reply | null {
  switch (rule.kind) {
    case "status": {
      // The nginx front answers these itself: its page, none of Drupal's headers.
      const reply = htmlReply(rule.status, nginxError(rule.status), { server: "nginx" });
      delete reply.headers["x-generator"];
      delete reply.headers.expires;
      if (rule.retryAfter !== undefined) reply.headers["retry-after"] = String(rule.retryAfter);
      return reply;
    }
    case "html200":
      return htmlReply(200, drupalErrorWith200());
    case "redirect":
      return { status: rule.status ?? 302, headers: { location: rule.location, "content-length": 0 }, body: null };
    default:
      return null;
  }
}

/** An HTML reply with its markup changed by a `markup` fault; other replies pass unchanged. */
function editMarkup(reply: Reply, edit: (html: string) => string): Reply {
  if (!Buffer.isBuffer(reply.body) || !/^text\/html/.test(String(reply.headers["content-type"]))) return reply;
  const body = Buffer.from(edit(reply.body.toString("utf8")), "utf8");
  return { ...reply, headers: { ...reply.headers, "content-length": body.length }, body };
}

export function createHandler(site: SiteContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const method = (req.method ?? "GET").toUpperCase();
    const raw = req.url ?? "/";
    const queryAt = raw.indexOf("?");
    const rawPathname = queryAt < 0 ? raw : raw.slice(0, queryAt);
    const search = queryAt < 0 ? "" : raw.slice(queryAt);
    const pathname = decodePath(rawPathname);
    const entry = site.requests.record({ method, path: raw, pathname, status: 0, headers: req.headers, fault: null, at: performance.now(), endedAt: null, remotePort: req.socket.remotePort ?? 0 });
    res.on("finish", () => {
      entry.status = res.statusCode;
    });
    res.on("close", () => {
      entry.endedAt = performance.now();
    });
    // Status is known once headers go out, before the body ends: tests may look while it streams.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      entry.status = args[0] as number;
      return writeHead(...args);
    }) as typeof res.writeHead;

    const fault = site.faults.take(method, raw, pathname);
    if (fault) entry.fault = fault.kind;

    const answer = (): void => {
      if (method !== "GET" && method !== "HEAD") {
        sendReply(req, res, { ...textReply(405, "Method Not Allowed"), headers: { allow: "GET, HEAD", "content-length": 0 }, body: null });
        return;
      }
      let reply = (fault && faultReply(fault)) ?? route(site, pathname, search, req);
      if (fault?.kind === "markup") reply = editMarkup(reply, fault.edit);
      if (fault?.kind === "trickle") {
        void sendTrickled(res, reply, fault.bytes, fault.everyMs);
        return;
      }
      if (fault?.kind === "gzip") {
        void gzipped(reply).then((encoded) => sendReply(req, res, encoded));
        return;
      }
      const cut = fault && (fault.kind === "reset" || fault.kind === "truncate") ? fault : undefined;
      sendReply(req, res, reply, cut);
    };

    if (fault?.kind === "hang") return; // the socket is destroyed when the replica closes
    if (fault?.kind === "wait") {
      let closed = false;
      res.on("close", () => (closed = true));
      const release = (): void => {
        if (!closed) setTimeout(answer, site.roundTrip.ms);
      };
      void fault.until.then(release, release);
      return;
    }
    // A real round trip delays every answer (request out, first byte back); a `delay` fault adds
    // to it. Bodies then stream at loopback speed.
    const waitMs = site.roundTrip.ms + (fault?.kind === "delay" ? fault.ms : 0);
    if (waitMs > 0) {
      const timer = setTimeout(answer, waitMs);
      res.on("close", () => clearTimeout(timer));
      return;
    }
    answer();
  };
}
