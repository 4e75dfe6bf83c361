/**
 * The asset page (`/__oga/` on the dev server) as a plain Node request handler: the page's HTML,
 * CSS and script from `static/`, and its JSON API over the project's lock session, the license
 * policy and the plugin's client. Knows no bundler: the plugin mounts it on Vite's middlewares.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isOgaError } from "../errors.js";
import { serveMedia } from "./media.js";
import { ProjectAssets, type AssetPageSource } from "./project-assets.js";
import { SearchSessions, searchFilterChoices, searchFiltersFromQuery } from "./search-sessions.js";

/** Where the page lives, under Vite's `base`. */
export const ASSET_PAGE_PATH = "__oga/";

const STATIC_DIR = new URL("./static/", import.meta.url);

/** The page's own files, by name, with their types. */
const STATIC_FILES: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "page.css": "text/css; charset=utf-8",
  "page.js": "text/javascript; charset=utf-8",
  "icon.svg": "image/svg+xml",
};

/**
 * Everything the page loads comes from the dev server itself: previews too (`api/media`), so
 * `img-src 'self'` holds the browser to it, and no uploader's text can run as script.
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "media-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

type Next = () => void;

/** The middleware, and what to call when the server closes. */
export interface AssetPage {
  handle(req: IncomingMessage, res: ServerResponse, next: Next): void;
  close(): void;
}

/** The asset page for a dev server whose `base` is `base` (`/`, `/game/`). */
export function createAssetPage(source: AssetPageSource, base: string): AssetPage {
  // A full URL as `base` (a CDN) still serves the dev server under its path.
  const basePath = new URL(base, "http://dev.invalid").pathname;
  const root = `${basePath.endsWith("/") ? basePath : `${basePath}/`}${ASSET_PAGE_PATH}`;
  const project = new ProjectAssets(source);
  const searches = new SearchSessions(() => source.client());

  async function api(route: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    switch (route) {
      case "project":
        return json(res, 200, await project.list());
      case "filters":
        return json(res, 200, searchFilterChoices());
      case "asset":
        return json(res, 200, await project.describe(query.get("id") ?? ""));
      case "search": {
        if (source.offline) {
          return json(res, 503, { code: "OGA_OFFLINE", message: "Search needs the network, and offline mode is on (offline: true or OGA_OFFLINE=1)." });
        }
        const offset = Number(query.get("offset") ?? "0");
        if (!Number.isInteger(offset) || offset < 0) return json(res, 400, { code: "OGA_BAD_INPUT", message: "offset must be an integer >= 0" });
        return json(res, 200, await searches.batch(searchFiltersFromQuery(query), offset));
      }
      case "media":
        return serveMedia(source.client(), source.offline, query, req, res);
      default:
        return json(res, 404, { code: "OGA_NOT_FOUND", message: `no such API: ${route}` });
    }
  }

  async function respond(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return json(res, 405, { code: "OGA_BAD_INPUT", message: "the asset page only answers GET" });
    }
    if (path.startsWith("api/")) {
      // Another site open in the same browser could make these requests (each may reach the
      // site); only the page itself may.
      const site = req.headers["sec-fetch-site"];
      if (site !== undefined && site !== "same-origin" && site !== "none") return json(res, 403, { code: "OGA_BAD_INPUT", message: "the asset page's API answers the asset page only" });
      try {
        return await api(path.slice("api/".length), query, req, res);
      } catch (error) {
        const code = isOgaError(error) ? error.code : "OGA_UNEXPECTED";
        return json(res, statusOf(code), { code, message: error instanceof Error ? error.message : String(error) });
      }
    }
    const file = path === "" ? "index.html" : path;
    const type = Object.hasOwn(STATIC_FILES, file) ? STATIC_FILES[file] : undefined;
    if (!type) return json(res, 404, { code: "OGA_NOT_FOUND", message: `no such file: ${file}` });
    const body = await readFile(new URL(file, STATIC_DIR));
    res.statusCode = 200;
    res.setHeader("Content-Type", type);
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    if (file === "index.html") res.setHeader("Content-Security-Policy", PAGE_CSP);
    res.end(req.method === "HEAD" ? undefined : body);
  }

  return {
    handle(req, res, next) {
      const url = new URL(req.url ?? "/", "http://dev.invalid");
      if (url.pathname === root.slice(0, -1)) {
        // `/__oga` → `/__oga/`, so the page's relative links resolve under it.
        res.statusCode = 301;
        res.setHeader("Location", root + url.search);
        return void res.end();
      }
      if (!url.pathname.startsWith(root)) return next();
      respond(req, res, url.pathname.slice(root.length), url.searchParams).catch((error: unknown) => {
        if (!res.headersSent) json(res, 500, { code: "OGA_UNEXPECTED", message: (error as Error).message });
        else res.destroy();
      });
    },
    close: () => searches.close(),
  };
}

function statusOf(code: string): number {
  switch (code) {
    case "OGA_BAD_INPUT":
      return 400;
    case "OGA_NOT_FOUND":
      return 404;
    case "OGA_OFFLINE":
      return 503;
    case "OGA_UNREACHABLE":
    case "OGA_HTTP":
    case "OGA_PARSE":
    case "OGA_OFF_ORIGIN":
      return 502;
    default:
      return 500;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.end(JSON.stringify(body));
}
