import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isOgaError, type OgaErrorCode } from "../../src/errors.js";
import { SiteHttp, type SiteHttpOptions } from "../../src/site/http.js";

type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void;

interface TestServer {
  url: string;
  host: string;
  requests: IncomingMessage[];
  handle: Handler;
  server: Server;
}

async function startServer(): Promise<TestServer> {
  const state: TestServer = { url: "", host: "", requests: [], handle: (_req, res) => res.end("unset"), server: undefined as unknown as Server };
  state.server = createServer((req, res) => {
    state.requests.push(req);
    state.handle(req, res, state.requests.length);
  });
  state.server.listen(0, "127.0.0.1");
  await once(state.server, "listening");
  const { port } = state.server.address() as AddressInfo;
  state.host = `127.0.0.1:${port}`;
  state.url = `http://${state.host}`;
  return state;
}

async function drain(body: NodeJS.ReadableStream): Promise<void> {
  for await (const _chunk of body) {
    // discard
  }
}

const html = (res: ServerResponse, body = "<html><body>ok</body></html>", status = 200): void => {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(body);
};

let site: TestServer;
let other: TestServer;
const clients: SiteHttp[] = [];

function client(options: Partial<SiteHttpOptions> = {}): SiteHttp {
  const http = new SiteHttp({
    origin: site.url,
    userAgent: "vite-plugin-oga/0.0.0-test (+https://github.com/vite-plugin-oga)",
    connections: 2,
    retries: 3,
    retryMinDelayMs: 1,
    retryMaxDelayMs: 5,
    timeoutSeconds: 2,
    ...options,
  });
  clients.push(http);
  return http;
}

async function rejection(promise: Promise<unknown>, code: OgaErrorCode): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (!isOgaError(error, code)) throw error;
    return error;
  }
  throw new Error(`expected ${code}`);
}

beforeAll(async () => {
  site = await startServer();
  other = await startServer();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  site.requests.length = 0;
  other.requests.length = 0;
  site.server.closeAllConnections();
  other.server.closeAllConnections();
});
afterAll(async () => {
  site.server.close();
  other.server.close();
});

describe("SiteHttp.getPage", () => {
  it("retries a 503 and returns the page, sending the User-Agent", async () => {
    site.handle = (_req, res, n) => (n === 1 ? html(res, "busy", 503) : html(res, "<p>hello</p>"));
    const page = await client().getPage(`${site.url}/content/a`);
    expect(page).toEqual({ url: `${site.url}/content/a`, html: "<p>hello</p>" });
    expect(site.requests).toHaveLength(2);
    expect(site.requests[0]!.headers["user-agent"]).toBe("vite-plugin-oga/0.0.0-test (+https://github.com/vite-plugin-oga)");
  });

  it("retries 429 and 502 like 503", async () => {
    site.handle = (_req, res, n) => (n === 1 ? html(res, "slow down", 429) : n === 2 ? html(res, "bad gateway", 502) : html(res));
    await client().getPage(`${site.url}/content/a`);
    expect(site.requests).toHaveLength(3);
  });

  it("honours Retry-After", async () => {
    site.handle = (_req, res, n) => {
      if (n === 1) {
        res.writeHead(503, { "retry-after": "1", "content-type": "text/html" });
        res.end("later");
      } else html(res);
    };
    const started = Date.now();
    await client().getPage(`${site.url}/content/a`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(site.requests).toHaveLength(2);
  });

  it("gives up with OGA_HTTP after the configured retries", async () => {
    site.handle = (_req, res) => html(res, "down", 503);
    const error = await rejection(client({ retries: 2 }).getPage(`${site.url}/content/a`), "OGA_HTTP");
    expect(error.message).toMatch(/503/);
    expect(error.message).toContain(`${site.url}/content/a`);
    expect(site.requests).toHaveLength(3);
  });

  it.each([404, 410])("turns %i into OGA_NOT_FOUND naming the URL, without retrying", async (status) => {
    site.handle = (_req, res) => html(res, "gone", status);
    const error = await rejection(client().getPage(`${site.url}/content/missing`), "OGA_NOT_FOUND");
    expect(error.message).toContain(`${site.url}/content/missing`);
    expect(site.requests).toHaveLength(1);
  });

  it("rejects a non-HTML answer with OGA_PARSE", async () => {
    site.handle = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    };
    const error = await rejection(client().getPage(`${site.url}/content/a`), "OGA_PARSE");
    expect(error.message).toContain("application/json");
  });

  it("follows a same-site redirect and reports the final URL", async () => {
    site.handle = (req, res) => {
      if (req.url === "/node/5") {
        res.writeHead(301, { location: "/content/five" });
        res.end();
      } else html(res, "five");
    };
    expect(await client().getPage(`${site.url}/node/5`)).toEqual({ url: `${site.url}/content/five`, html: "five" });
  });

  it("refuses a redirect to another host before connecting to it", async () => {
    site.handle = (_req, res) => {
      res.writeHead(302, { location: `${other.url}/content/a` });
      res.end();
    };
    other.handle = (_req, res) => html(res, "evil");
    const error = await rejection(client().getPage(`${site.url}/content/a`), "OGA_OFF_ORIGIN");
    expect(error.message).toContain(`${other.url}/content/a`);
    expect(error.message).toContain("allowHosts");
    expect(other.requests).toHaveLength(0);
  });

  it("refuses a redirect chain that leaves the allowed hosts on a later hop", async () => {
    site.handle = (req, res) => {
      res.writeHead(302, { location: req.url === "/first" ? "/second" : `${other.url}/x` });
      res.end();
    };
    await rejection(client().getPage(`${site.url}/first`), "OGA_OFF_ORIGIN");
    expect(site.requests).toHaveLength(2);
    expect(other.requests).toHaveLength(0);
  });

  it("follows a redirect to a host in allowHosts", async () => {
    site.handle = (_req, res) => {
      res.writeHead(302, { location: `${other.url}/content/a` });
      res.end();
    };
    other.handle = (_req, res) => html(res, "mirror");
    const page = await client({ allowHosts: [other.url] }).getPage(`${site.url}/content/a`);
    expect(page).toEqual({ url: `${other.url}/content/a`, html: "mirror" });
  });

  it("refuses an off-origin URL without a request", async () => {
    const error = await rejection(client().getPage(`${other.url}/content/a`), "OGA_OFF_ORIGIN");
    expect(error.message).toContain(`${other.url}/content/a`);
    expect(error.message).toContain("allowHosts");
    expect(other.requests).toHaveLength(0);
  });

  it("times out with OGA_UNREACHABLE after retries", async () => {
    site.handle = () => {
      /* never answers */
    };
    const error = await rejection(client({ timeoutSeconds: 0.2, retries: 1 }).getPage(`${site.url}/content/a`), "OGA_UNREACHABLE");
    expect(error.message).toBe(`could not reach ${site.url}: no response within 0.2 s`);
    expect(error.cause).toBeDefined();
    expect(site.requests).toHaveLength(2);
  });

  it("reports a refused connection as OGA_UNREACHABLE", async () => {
    const closed = await startServer();
    closed.server.close();
    await once(closed.server, "close");
    const http = client({ origin: closed.url, retries: 1 });
    const error = await rejection(http.getPage(`${closed.url}/content/a`), "OGA_UNREACHABLE");
    expect(error.message).toMatch(new RegExp(`^could not reach ${closed.url}: .*ECONNREFUSED`));
  });

  it("honours an abort signal during a Retry-After wait", async () => {
    site.handle = (_req, res) => {
      res.writeHead(503, { "retry-after": "30", "content-type": "text/html" });
      res.end("later");
    };
    const controller = new AbortController();
    const started = Date.now();
    const pending = client().getPage(`${site.url}/content/a`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("rejects at once for an already aborted signal", async () => {
    await expect(client().getPage(`${site.url}/content/a`, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
    expect(site.requests).toHaveLength(0);
  });
});

describe("SiteHttp.openFile", () => {
  const ETAG = '"2e9386d-4f63b81cc5d00"';

  function fileServer(req: IncomingMessage, res: ServerResponse): void {
    if (req.url === "/sites/default/files/missing.zip") {
      html(res, "not found", 404);
    } else if (req.headers["if-none-match"] === ETAG) {
      res.writeHead(304, { etag: ETAG });
      res.end();
    } else {
      res.writeHead(200, { "content-type": "application/zip", "content-length": "5", etag: ETAG, "last-modified": "Fri, 29 Jun 2012 18:51:00 GMT" });
      res.end("bytes");
    }
  }

  it("returns status, headers and the body stream", async () => {
    site.handle = fileServer;
    const file = await client().openFile(`${site.url}/sites/default/files/a%20b.zip`);
    const chunks: Buffer[] = [];
    for await (const chunk of file.body) chunks.push(chunk as Buffer);
    expect({ ...file, body: Buffer.concat(chunks).toString() }).toEqual({
      status: 200,
      url: `${site.url}/sites/default/files/a%20b.zip`,
      etag: ETAG,
      lastModified: "Fri, 29 Jun 2012 18:51:00 GMT",
      size: 5,
      body: "bytes",
    });
  });

  it("sends If-None-Match and returns 304", async () => {
    site.handle = fileServer;
    const file = await client().openFile(`${site.url}/sites/default/files/a.zip`, { etag: ETAG });
    await drain(file.body);
    expect(file.status).toBe(304);
    expect(file.etag).toBe(ETAG);
    expect(site.requests[0]!.headers["if-none-match"]).toBe(ETAG);
  });

  it("turns 404 into OGA_NOT_FOUND", async () => {
    site.handle = fileServer;
    const error = await rejection(client().openFile(`${site.url}/sites/default/files/missing.zip`), "OGA_NOT_FOUND");
    expect(error.message).toContain("missing.zip");
  });

  it("rejects an HTML page served with 200 in place of a file", async () => {
    site.handle = (_req, res) => html(res, "<h1>Site under maintenance</h1>");
    const error = await rejection(client().openFile(`${site.url}/sites/default/files/pack.zip`), "OGA_HTTP");
    expect(error.message).toMatch(/HTML page.*instead of the file/);
  });

  it("accepts HTML for a file whose name is .html", async () => {
    site.handle = (_req, res) => html(res, "<p>readme</p>");
    const file = await client().openFile(`${site.url}/sites/default/files/readme.html`);
    await drain(file.body);
    expect(file.status).toBe(200);
  });

  it("refuses a file redirect to another host", async () => {
    site.handle = (_req, res) => {
      res.writeHead(302, { location: `${other.url}/a.zip` });
      res.end();
    };
    await rejection(client().openFile(`${site.url}/sites/default/files/a.zip`), "OGA_OFF_ORIGIN");
    expect(other.requests).toHaveLength(0);
  });

  it("accepts files on allowHosts", async () => {
    other.handle = fileServer;
    const file = await client({ allowHosts: [other.url] }).openFile(`${other.url}/files/a.zip`);
    await drain(file.body);
    expect(file.status).toBe(200);
  });
});

describe("SiteHttp.assertAllowed", () => {
  it("accepts the origin, relative URLs and allowHosts; refuses the rest", () => {
    const http = client({ allowHosts: ["cdn.example.org"] });
    expect(http.assertAllowed("/content/a", "page").href).toBe(`${site.url}/content/a`);
    expect(http.assertAllowed("https://cdn.example.org/x.zip", "file").host).toBe("cdn.example.org");
    expect(() => http.assertAllowed("https://elsewhere.example/x.zip", "file")).toThrow(/refusing to fetch file https:\/\/elsewhere\.example\/x\.zip.*allowHosts/);
    expect(() => http.assertAllowed("file:///etc/passwd", "file")).toThrow(/allowHosts/);
  });

  it("a bare host allows https on port 443 only: not plain http, not another port", () => {
    const http = client({ allowHosts: ["cdn.example.org", "127.0.0.1"] });
    expect(http.assertAllowed("https://CDN.example.org:443/x.zip", "file").host).toBe("cdn.example.org");
    for (const url of ["http://cdn.example.org/x.zip", "https://cdn.example.org:8443/x.zip", `${other.url}/x.zip`, "https://127.0.0.1:8443/x.zip"]) {
      expect(() => http.assertAllowed(url, "file"), url).toThrow(/allowHosts/);
    }
    expect(http.assertAllowed("https://127.0.0.1/x.zip", "file").hostname).toBe("127.0.0.1");
  });

  it("host:port allows https on that port; plain http only when written out, for exactly that port", () => {
    const https = client({ allowHosts: ["cdn.example.org:8443", other.host] });
    expect(https.assertAllowed("https://cdn.example.org:8443/x.zip", "file").port).toBe("8443");
    expect(() => https.assertAllowed("https://cdn.example.org/x.zip", "file")).toThrow(/allowHosts/);
    // `127.0.0.1:PORT` is https on that port, so the plain-http server there is refused, and
    // the message names the entry that would allow it.
    expect(() => https.assertAllowed(`${other.url}/x.zip`, "file")).toThrow(`add "${other.url}" to the allowHosts option`);
    const http = client({ allowHosts: [other.url] });
    expect(http.assertAllowed(`${other.url}/x.zip`, "file").href).toBe(`${other.url}/x.zip`);
    const otherPort = `http://127.0.0.1:${Number(other.host.split(":")[1]) + 1}/x.zip`;
    expect(() => http.assertAllowed(otherPort, "file")).toThrow(/allowHosts/);
    expect(() => http.assertAllowed(other.url.replace("http:", "https:") + "/x.zip", "file")).toThrow(/allowHosts/);
  });

  it("refuses a malformed allowHosts entry when created, naming it", () => {
    for (const entry of ["cdn.example.org/files", "*.example.org", "ftp://cdn.example.org", "user@cdn.example.org"]) {
      expect(() => client({ allowHosts: [entry] }), entry).toThrow(expect.objectContaining({ code: "OGA_BAD_INPUT", message: expect.stringContaining(JSON.stringify(entry)) }));
    }
  });
});

describe("SiteHttp.streamFile", () => {
  const ETAG = '"5-4f63b81cc5d00"';
  /** 1 MiB in 16 KiB writes, so the body reaches the sink in many chunks. */
  const BIG = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 7) % 251));

  /** Streams big.bin through `http` (the connection a test left) and counts the bytes that arrive. */
  async function bigFileBytes(http: SiteHttp): Promise<number> {
    const file = await http.streamFile(`${site.url}/sites/default/files/big.bin`);
    let total = 0;
    await file.body.receive((chunk) => (total += chunk.length));
    return total;
  }

  function bigFile(req: IncomingMessage, res: ServerResponse): void {
    if (req.url === "/sites/default/files/moved.bin") {
      res.writeHead(302, { location: "/sites/default/files/big.bin" });
      res.end();
      return;
    }
    if (req.headers["if-none-match"] === ETAG) {
      res.writeHead(304, { etag: ETAG });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(BIG.length), etag: ETAG });
    let at = 0;
    const more = (): void => {
      while (at < BIG.length) {
        const piece = BIG.subarray(at, at + 16_384);
        at += piece.length;
        if (!res.write(piece)) {
          res.once("drain", more);
          return;
        }
      }
      res.end();
    };
    more();
  }

  it("hands every chunk to the sink, in order, after the head (final URL after redirects)", async () => {
    site.handle = bigFile;
    const file = await client().streamFile(`${site.url}/sites/default/files/moved.bin`);
    expect({ status: file.status, url: file.url, etag: file.etag, size: file.size }).toEqual({
      status: 200,
      url: `${site.url}/sites/default/files/big.bin`,
      etag: ETAG,
      size: BIG.length,
    });
    const chunks: Buffer[] = [];
    await file.body.receive((chunk) => chunks.push(Buffer.from(chunk)));
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(BIG)).toBe(true);
  });

  it("answers 304 to If-None-Match, and refuses 404 and an HTML page as openFile does", async () => {
    site.handle = (req, res) => {
      if (req.url === "/sites/default/files/missing.zip") html(res, "not found", 404);
      else if (req.url === "/sites/default/files/pack.zip") html(res, "<h1>Site under maintenance</h1>");
      else bigFile(req, res);
    };
    const http = client();
    const same = await http.streamFile(`${site.url}/sites/default/files/big.bin`, { etag: ETAG });
    same.body.discard();
    expect({ status: same.status, etag: same.etag }).toEqual({ status: 304, etag: ETAG });
    await rejection(http.streamFile(`${site.url}/sites/default/files/missing.zip`), "OGA_NOT_FOUND");
    const error = await rejection(http.streamFile(`${site.url}/sites/default/files/pack.zip`), "OGA_HTTP");
    expect(error.message).toMatch(/HTML page.*instead of the file/);
  });

  it("a sink that throws aborts the transfer and rejects with its error; the next request still works", async () => {
    site.handle = bigFile;
    const http = client({ connections: 1 });
    const file = await http.streamFile(`${site.url}/sites/default/files/big.bin`);
    let seen = 0;
    const disk = new Error("disk full");
    await expect(
      file.body.receive((chunk) => {
        seen += chunk.length;
        if (seen > 100_000) throw disk;
      }),
    ).rejects.toBe(disk);
    expect(seen).toBeLessThan(BIG.length);
    expect(await bigFileBytes(http)).toBe(BIG.length);
  });

  it("a discarded body frees its connection for the next request", async () => {
    site.handle = bigFile;
    const http = client({ connections: 1 });
    const first = await http.streamFile(`${site.url}/sites/default/files/big.bin`);
    first.body.discard();
    await expect(first.body.receive(() => undefined)).rejects.toThrow();
    expect(await bigFileBytes(http)).toBe(BIG.length);
  });

  it("an abort mid-body rejects with the signal's reason", async () => {
    site.handle = bigFile;
    const stop = new AbortController();
    const file = await client().streamFile(`${site.url}/sites/default/files/big.bin`, { signal: stop.signal });
    const reason = new Error("stopped by the caller");
    let seen = 0;
    await expect(
      file.body.receive((chunk) => {
        seen += chunk.length;
        if (seen > 100_000) stop.abort(reason);
      }),
    ).rejects.toBe(reason);
  });
});
