/**
 * A download checked against what the lockfile pins and what the server announced: a pinned file
 * of another length is refused from its headers alone (no body is read), one of the pinned length
 * with other bytes by its hash, and a body shorter than its Content-Length is never stored. Over real HTTP from a local file server.
 */
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { SiteHttp } from "../../src/site/http.js";
import type { Cache } from "../../src/store/cache.js";
import { fetchFile } from "../../src/store/fetch-file.js";
import { startFileServer, type FileServer } from "./file-server.js";
import { bytes, tempCache } from "./setup.js";

const sha = (body: Buffer): string => createHash("sha256").update(body).digest("hex");

let server: FileServer;
let http: SiteHttp;
let cache: Cache;
let removeCache: () => Promise<void>;
let counter = 0;

beforeAll(async () => {
  server = await startFileServer();
  http = new SiteHttp({ origin: server.url, userAgent: "oga-store-test", connections: 2, retries: 0 });
});
afterAll(async () => {
  await http.close();
  await server.close();
});
beforeEach(async () => {
  ({ cache, remove: removeCache } = await tempCache());
});
afterEach(() => removeCache());

function serve(size = 4096): { url: string; name: string; body: Buffer; urlPath: string } {
  const body = bytes(size);
  const name = `pinned ${++counter}.ogg`;
  const urlPath = `/sites/default/files/${encodeURIComponent(name)}`;
  server.setFile(urlPath, body);
  return { url: server.url + urlPath, name, body, urlPath };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a rejection").toBeInstanceOf(Error);
  return error as Error;
}

const stored = async (): Promise<string[]> => [...(await readdir(path.join(cache.dir, "files"))), ...(await readdir(path.join(cache.dir, "tmp")))];

describe("a pinned download", () => {
  it("of another length is refused from its Content-Length, before any byte of the body", async () => {
    const file = serve(4096);
    const pinned = "1".repeat(64);
    let seen = 0;
    const error = await rejection(fetchFile(http, cache, file, { expect: { sha256: pinned, size: 4000 }, onBytes: (n) => (seen += n) }));
    expect(isOgaError(error, "OGA_INTEGRITY")).toBe(true);
    expect(error.message).toContain(`${file.url} changed upstream: the lockfile expects sha256 ${pinned} but the site now serves a 4096-byte file instead of 4000 bytes.`);
    expect(seen).toBe(0);
    expect(await stored()).toEqual([]);
  });

  it("of the pinned length but other bytes is refused by its hash, and not stored", async () => {
    const file = serve(4096);
    const pinned = "1".repeat(64);
    const error = await rejection(fetchFile(http, cache, file, { expect: { sha256: pinned, size: 4096 } }));
    expect(isOgaError(error, "OGA_INTEGRITY")).toBe(true);
    expect(error.message).toContain(`but the site now serves sha256 ${sha(file.body)}.`);
    expect(await stored()).toEqual([]);
  });

  it("without a pinned size is checked by its hash alone", async () => {
    const file = serve(100);
    const got = await fetchFile(http, cache, file, { expect: { sha256: sha(file.body) } });
    expect(got.sha256).toBe(sha(file.body));
    expect(got.transfer).toBe("downloaded");
  });
});

describe("a body that does not match its Content-Length", () => {
  it("announced longer than sent is refused and not stored", async () => {
    const file = serve(4096);
    server.setFault(file.urlPath, { claimLength: 5000 });
    const error = await rejection(fetchFile(http, cache, file));
    expect(isOgaError(error, "OGA_INTEGRITY")).toBe(true);
    expect(error.message).toContain(`${file.url} ended after 4096 of 5000 bytes`);
    expect(await stored()).toEqual([]);
  });
});
