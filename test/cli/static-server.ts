/**
 * A plain static file server, as a studio would put in front of `oga mirror`'s output (nginx,
 * `python -m http.server`, an object store's website mode): maps the decoded URL path onto the
 * directory, redirects a directory without its slash, serves `index.html` for a directory, knows
 * a few content types by extension and nothing about OpenGameArt. It logs each request.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".png": "image/png",
  ".ogg": "audio/ogg",
  ".mp3": "audio/mpeg",
  ".wav": "audio/wav",
  ".zip": "application/zip",
  ".txt": "text/plain; charset=utf-8",
};

export interface StaticServer {
  url: string;
  /** `METHOD path` of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function serveDirectory(root: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    void (async () => {
      const pathname = new URL(req.url ?? "/", "http://x").pathname;
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathname);
      } catch {
        res.writeHead(400).end();
        return;
      }
      const file = path.join(root, ...decoded.split("/").filter((s) => s !== "" && s !== "." && s !== ".."));
      const info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        if (!pathname.endsWith("/")) {
          res.writeHead(301, { location: `${pathname}/` }).end();
          return;
        }
        const index = path.join(file, "index.html");
        const indexInfo = await stat(index).catch(() => null);
        if (!indexInfo) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { "content-type": TYPES[".html"], "content-length": indexInfo.size });
        createReadStream(index).pipe(res);
        return;
      }
      if (!info?.isFile()) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const type = TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
      res.writeHead(200, { "content-type": type, "content-length": info.size, etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` });
      if (req.method === "HEAD") res.end();
      else createReadStream(file).pipe(res);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
