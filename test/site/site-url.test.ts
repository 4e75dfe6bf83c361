/**
 * The canonical site versus the configured origin: links on opengameart.org are the site's own
 * and are fetched from `url` (the live site or a mirror); other hosts need `allowHosts`.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { SiteHttp } from "../../src/site/http.js";
import { fetchUrlOf, httpUrlOrNull, isCanonicalSiteUrl, siteLink } from "../../src/site/site-url.js";

describe("site URLs", () => {
  it("knows the site's spellings, and nothing that merely looks like it", () => {
    for (const url of ["https://opengameart.org/x", "http://opengameart.org/x", "https://www.opengameart.org/x", "https://OpenGameArt.org/x"]) {
      expect(isCanonicalSiteUrl(new URL(url)), url).toBe(true);
    }
    for (const url of ["https://opengameart.org:8443/x", "https://static.opengameart.org/x", "https://opengameart.org.evil.example/x", "ftp://opengameart.org/x"]) {
      expect(isCanonicalSiteUrl(new URL(url)), url).toBe(false);
    }
  });

  it("reads page links: the site's own (canonical or on the serving mirror) become canonical; only http(s) pass", () => {
    const base = "https://opengameart.org/content/a";
    const mirror = "http://127.0.0.1:4000";
    expect(siteLink("/sites/default/files/a%20b.png", base, mirror)?.href).toBe("https://opengameart.org/sites/default/files/a%20b.png");
    expect(siteLink("http://www.opengameart.org/users/x", base, mirror)?.href).toBe("https://opengameart.org/users/x");
    expect(siteLink(`${mirror}/sites/default/files/a.png`, base, mirror)?.href).toBe("https://opengameart.org/sites/default/files/a.png");
    expect(siteLink("http://their.site/", base, mirror)?.href).toBe("http://their.site/");
    expect(siteLink("https://static.opengameart.org/OGA-BY-3.0.txt", base, mirror)?.href).toBe("https://static.opengameart.org/OGA-BY-3.0.txt");
    for (const hostile of ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd", "", null, "http://[bad"]) {
      expect(siteLink(hostile, base, mirror), String(hostile)).toBeNull();
    }
    expect(httpUrlOrNull("javascript:alert(1)")).toBeNull();
    expect(httpUrlOrNull(42)).toBeNull();
    expect(httpUrlOrNull("https://x.example/")).toBe("https://x.example/");
  });

  it("fetches canonical links from the configured origin, path and query kept; other URLs unchanged", () => {
    expect(fetchUrlOf(new URL("https://opengameart.org/sites/default/files/a%20b.png?x=1"), "http://127.0.0.1:4000").href).toBe(
      "http://127.0.0.1:4000/sites/default/files/a%20b.png?x=1",
    );
    expect(fetchUrlOf(new URL("http://www.opengameart.org/a"), "https://opengameart.org").href).toBe("https://opengameart.org/a");
    expect(fetchUrlOf(new URL("http://cdn.example/a"), "http://127.0.0.1:4000").href).toBe("http://cdn.example/a");
  });
});

describe("SiteHttp with a mirror as origin", () => {
  let server: Server;
  let origin: string;
  const seen: IncomingMessage[] = [];
  const clients: SiteHttp[] = [];
  const http = (allowHosts: string[] = []): SiteHttp => {
    const client = new SiteHttp({ origin, userAgent: "vite-plugin-oga/test", connections: 2, retries: 0, timeoutSeconds: 2, allowHosts });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      if (req.url === "/go-live") {
        res.writeHead(302, { location: "https://opengameart.org/sites/default/files/a.png" }).end();
        return;
      }
      res.writeHead(200, { "content-type": "image/png", "content-length": 3 }).end("png");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    server.closeAllConnections();
    server.close();
  });

  it("downloads a file linked on opengameart.org (any spelling) from the mirror", async () => {
    for (const url of ["https://opengameart.org/sites/default/files/a%20b.png", "http://www.opengameart.org/sites/default/files/a%20b.png"]) {
      const before = seen.length;
      const response = await http().openFile(url);
      expect(response.status).toBe(200);
      expect(Buffer.concat(await response.body.toArray()).toString()).toBe("png");
      expect(seen.length - before).toBe(1);
      expect(seen.at(-1)!.url).toBe("/sites/default/files/a%20b.png");
    }
  });

  it("refuses a foreign host unless allowed, naming allowHosts; a mirror's redirect to the live site is refused", async () => {
    expect(() => http().assertAllowed("https://files.elsewhere.test/a.png", "file")).toThrow(/add "files\.elsewhere\.test" to the allowHosts option/);
    expect(http(["files.elsewhere.test"]).assertAllowed("https://files.elsewhere.test/a.png", "file").href).toBe("https://files.elsewhere.test/a.png");
    const error = await http()
      .openFile(`${origin}/go-live`)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isOgaError(error, "OGA_OFF_ORIGIN")).toBe(true);
    expect((error as Error).message).toMatch(/refusing redirect to https:\/\/opengameart\.org\/sites\/default\/files\/a\.png: the configured mirror sends it on to the live site/);
  });
});
