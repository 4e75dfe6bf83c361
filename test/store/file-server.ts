// A tiny static file server for the store tests: ETag, Content-Length, If-None-Match -> 304,
// plus the faults a download must survive (short body, stalled body). It stands in until the
// shared replica (test/replica) covers these faults.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ServedRequest {
  method: string;
  path: string;
  ifNoneMatch: string | null;
  status: number;
}

export interface FileFault {
  /** Announce the full Content-Length, send this many bytes fewer, then cut the connection. */
  shortBy?: number;
  /** Send this many bytes, then stop sending (until the client goes away). */
  stallAfter?: number;
  /** Announce this Content-Length instead of the real one (and send the real body). */
  claimLength?: number;
  /** Send without Content-Length (chunked). */
  chunked?: boolean;
}

export interface FileServer {
  url: string;
  requests: ServedRequest[];
  /** Serves `body` at `path` with a new ETag, like a re-upload on the site. */
  setFile(path: string, body: Buffer): string;
  setFault(path: string, fault: FileFault | undefined): void;
  close(): Promise<void>;
}

export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, { body: Buffer; etag: string }>();
  const faults = new Map<string, FileFault>();
  const requests: ServedRequest[] = [];
  let version = 0;

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const ifNoneMatch = req.headers["if-none-match"] ?? null;
    const file = files.get(path);
    const log = (status: number): void => {
      requests.push({ method: req.method ?? "GET", path, ifNoneMatch, status });
    };
    if (!file) {
      log(404);
      res.writeHead(404).end("not found");
      return;
    }
    if (ifNoneMatch === file.etag) {
      log(304);
      res.writeHead(304, { ETag: file.etag }).end();
      return;
    }
    log(200);
    const fault = faults.get(path) ?? {};
    const headers: Record<string, string> = { ETag: file.etag, "Last-Modified": new Date(0).toUTCString() };
    if (!fault.chunked) headers["Content-Length"] = String(fault.claimLength ?? file.body.length);
    res.writeHead(200, headers);
    if (fault.shortBy !== undefined) {
      res.write(file.body.subarray(0, file.body.length - fault.shortBy), () => res.destroy());
    } else if (fault.stallAfter !== undefined) {
      res.write(file.body.subarray(0, fault.stallAfter));
    } else {
      res.end(file.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFile(path, body) {
      const etag = `"${body.length.toString(16)}-${(++version).toString(16)}"`;
      files.set(path, { body, etag });
      return etag;
    },
    setFault(path, fault) {
      if (fault) faults.set(path, fault);
      else faults.delete(path);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
