import { createHash } from "node:crypto";
import { readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { SiteHttp } from "../../src/site/http.js";
import { Cache } from "../../src/store/cache.js";
import { fetchFile, type FetchFileOptions } from "../../src/store/fetch-file.js";
import { startFileServer, type FileServer } from "./file-server.js";
import { withResourceLimit } from "./resource-limit.js";
import { bytes, tempCache } from "./setup.js";

const sha = (body: Buffer): string => createHash("sha256").update(body).digest("hex");

let server: FileServer;
let http: SiteHttp;
let cache: Cache;
let removeCache: () => Promise<void>;
let counter = 0;

beforeAll(async () => {
  server = await startFileServer();
  // No retries: these tests are about what reaches the store, not about the retry policy.
  http = new SiteHttp({ origin: server.url, userAgent: "oga-store-test", connections: 4, retries: 0 });
});
afterAll(async () => {
  await http.close();
  await server.close();
});
beforeEach(async () => {
  ({ cache, remove: removeCache } = await tempCache());
  server.requests.length = 0;
});
afterEach(() => removeCache());

/** Serves fresh random content under a unique name and returns the file reference. */
function serve(size = 4096, name = `sound ${++counter}.ogg`): { url: string; name: string; body: Buffer; urlPath: string } {
  const body = bytes(size);
  const urlPath = `/sites/default/files/${encodeURIComponent(name)}`;
  server.setFile(urlPath, body);
  return { url: server.url + urlPath, name, body, urlPath };
}

function get(file: { url: string; name: string }, options?: FetchFileOptions) {
  return fetchFile(http, cache, file, options);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("expected a rejection"),
    (error: unknown) => error,
  );
}

const tmpFiles = (): Promise<string[]> => readdir(path.join(cache.dir, "tmp"));
/** The rejection as the Error it must be. */
const refusal = async (promise: Promise<unknown>): Promise<Error> => {
  const error = await rejection(promise);
  expect(error, "expected an Error").toBeInstanceOf(Error);
  return error as Error;
};
/** Everything in the cache's blob and temp folders: a refused download leaves neither. */
const stored = async (): Promise<string[]> => [...(await readdir(path.join(cache.dir, "files"))), ...(await readdir(path.join(cache.dir, "tmp")))];

describe("fetchFile", () => {
  it("downloads into a content-addressed blob and records the index entry", async () => {
    const file = serve();
    const got = await get(file);
    expect(got).toMatchObject({ url: file.url, name: file.name, sha256: sha(file.body), size: file.body.length, transfer: "downloaded" });
    expect(got.path).toBe(path.join(cache.dir, "files", sha(file.body), file.name));
    expect(sha(await readFile(got.path))).toBe(sha(file.body)); // hashes, not toEqual: that walks buffers byte by byte
    expect(await cache.readEntry(file.url)).toMatchObject({ sha256: sha(file.body), size: file.body.length, etag: got.etag });
    expect(got.etag).toMatch(/^"/);
    expect(await tmpFiles()).toEqual([]);
  });

  it("stores a body of many chunks byte for byte, each written at its own offset", async () => {
    // Chunks are written at their offsets as they arrive: a chunk written at the wrong offset or
    // not at all would change the file's hash.
    const file = serve(5 * 1024 * 1024 + 17);
    const got = await get(file);
    expect(got.sha256).toBe(sha(file.body));
    expect(got.size).toBe(file.body.length);
    expect(sha(await readFile(got.path))).toBe(sha(file.body));
    expect(await tmpFiles()).toEqual([]);
  });

  it("leaves no temp file when the file is not there (the temp file is made while the request is out)", async () => {
    const error = await rejection(get({ url: `${server.url}/sites/default/files/missing-${++counter}.ogg`, name: "missing.ogg" }));
    expect(isOgaError(error, "OGA_NOT_FOUND")).toBe(true);
    expect(await tmpFiles()).toEqual([]);
    expect(await readdir(path.join(cache.dir, "files"))).toEqual([]);
  });

  it("revalidates with a conditional GET and transfers nothing on 304", async () => {
    const file = serve();
    const first = await get(file);
    const second = await get(file);
    expect(second).toMatchObject({ transfer: "revalidated", sha256: first.sha256, path: first.path });
    expect(server.requests.map((r) => [r.status, r.ifNoneMatch])).toEqual([
      [200, null],
      [304, first.etag],
    ]);
  });

  it("makes no request at all for a pinned hash whose blob is valid", async () => {
    const file = serve();
    const first = await get(file);
    server.requests.length = 0;
    const pinned = await get(file, { expect: { sha256: first.sha256 } });
    expect(pinned).toMatchObject({ transfer: "none", path: first.path, size: file.body.length, etag: first.etag });
    expect(server.requests).toEqual([]);
  });

  it("with revalidate: false trusts a valid cached blob without asking", async () => {
    const file = serve();
    await get(file);
    server.requests.length = 0;
    expect((await get(file, { revalidate: false })).transfer).toBe("none");
    expect(server.requests).toEqual([]);
  });

  describe("re-downloads a damaged blob instead of trusting its ETag", () => {
    const damages: Record<string, (blob: string, body: Buffer) => Promise<void>> = {
      "bytes changed, same size": async (blob, body) => {
        const tampered = Buffer.from(body);
        tampered[100] = (tampered[100] ?? 0) ^ 0xff;
        await writeFile(blob, tampered);
      },
      truncated: (blob) => truncate(blob, 10),
      deleted: (blob) => rm(blob),
    };
    for (const [damage, apply] of Object.entries(damages)) {
      it(damage, async () => {
        const file = serve();
        const first = await get(file);
        await apply(first.path, file.body);
        server.requests.length = 0;
        const again = await get(file);
        expect(again.transfer).toBe("downloaded");
        expect(server.requests.map((r) => [r.status, r.ifNoneMatch])).toEqual([[200, null]]);
        expect(sha(await readFile(again.path))).toBe(sha(file.body));
      });
    }

    it("also when the hash is pinned", async () => {
      const file = serve();
      const first = await get(file);
      await truncate(first.path, 1);
      const again = await get(file, { expect: { sha256: first.sha256 } });
      expect(again.transfer).toBe("downloaded");
      expect(sha(await readFile(again.path))).toBe(sha(file.body));
    });
  });

  it("stores the new content when the file changes upstream", async () => {
    const file = serve();
    const first = await get(file);
    const replacement = bytes(5000);
    server.setFile(new URL(file.url).pathname, replacement);
    const second = await get(file);
    expect(second).toMatchObject({ transfer: "downloaded", sha256: sha(replacement), size: 5000 });
    expect(second.etag).not.toBe(first.etag);
    expect(second.path).not.toBe(first.path);
    expect(sha(await readFile(second.path))).toBe(sha(replacement));
    expect((await cache.readEntry(file.url))?.sha256).toBe(sha(replacement));
  });

  it("refuses a short body with OGA_INTEGRITY and leaves no blob or temp file", async () => {
    const file = serve(100_000);
    server.setFault(new URL(file.url).pathname, { shortBy: 1000 });
    const error = await rejection(get(file));
    expect(isOgaError(error, "OGA_INTEGRITY")).toBe(true);
    expect(String(error)).toContain(file.url);
    expect(await cache.checkBlob(sha(file.body), file.name)).toBe("missing");
    expect(await readdir(path.join(cache.dir, "files"))).toEqual([]);
    expect(await cache.readEntry(file.url)).toBeUndefined();
    expect(await tmpFiles()).toEqual([]);
  });

  it("refuses content that does not match the pinned hash, naming both hashes", async () => {
    const file = serve();
    const pinned = "0".repeat(64);
    const error = await rejection(get(file, { expect: { sha256: pinned } }));
    expect(isOgaError(error, "OGA_INTEGRITY")).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(file.url);
    expect(message).toContain(pinned);
    expect(message).toContain(sha(file.body));
    expect(message).toContain("oga update");
    expect(await readdir(path.join(cache.dir, "files"))).toEqual([]);
    expect(await tmpFiles()).toEqual([]);
  });

  it("refuses a pinned size mismatch before reading the body", async () => {
    const file = serve();
    const error = await rejection(get(file, { expect: { sha256: "1".repeat(64), size: file.body.length + 1 } }));
    expect(isOgaError(error, "OGA_INTEGRITY")).toBe(true);
    expect(await tmpFiles()).toEqual([]);
  });

  describe("maxSize", () => {
    it("refuses by Content-Length before reading", async () => {
      const file = serve(2048);
      let seen = 0;
      const error = await rejection(get(file, { maxSize: 2047, onBytes: (n) => (seen += n) }));
      expect(isOgaError(error, "OGA_TOO_LARGE")).toBe(true);
      expect(seen).toBe(0);
      expect(await tmpFiles()).toEqual([]);
    });

    it("stops streaming past it when there is no Content-Length", async () => {
      const file = serve(300_000);
      server.setFault(new URL(file.url).pathname, { chunked: true });
      const error = await rejection(get(file, { maxSize: 100_000 }));
      expect(isOgaError(error, "OGA_TOO_LARGE")).toBe(true);
      expect(await readdir(path.join(cache.dir, "files"))).toEqual([]);
      expect(await tmpFiles()).toEqual([]);
    });

    it("without a Content-Length, refuses a body one byte over it, saying how much came", async () => {
      const file = serve(2049);
      server.setFault(file.urlPath, { chunked: true });
      const error = await rejection(get(file, { maxSize: 2048 }));
      expect(isOgaError(error, "OGA_TOO_LARGE")).toBe(true);
      expect((error as Error).message).toBe(`${file.url} sent 2049 bytes so far, over the maximum of 2048 bytes; raise maxFileSize (\`oga --max-file-size\`) to allow it.`);
      expect(await readdir(path.join(cache.dir, "files"))).toEqual([]);
      expect(await tmpFiles()).toEqual([]);
    });

    it("says the announced size when it refuses by Content-Length", async () => {
      const file = serve(2048);
      const error = await rejection(get(file, { maxSize: 2047 }));
      expect((error as Error).message).toBe(`${file.url} is 2048 bytes, over the maximum of 2047 bytes; raise maxFileSize (\`oga --max-file-size\`) to allow it.`);
    });

    it("accepts a file of exactly maxSize", async () => {
      const file = serve(2048);
      expect((await get(file, { maxSize: 2048 })).size).toBe(2048);
    });
  });

  it("a body the disk refuses (EFBIG past the file size limit) is OGA_CACHE naming the temp file, and leaves nothing", async () => {
    const file = serve(300_000);
    const error = await refusal(withResourceLimit("fsize", 100_000, () => get(file)));
    expect(isOgaError(error, "OGA_CACHE")).toBe(true);
    expect(error.message).toMatch(new RegExp(`^Could not write ${cache.dir}/tmp/\\S+ \\(EFBIG`));
    expect(await tmpFiles()).toEqual([]);
    expect(await readdir(path.join(cache.dir, "files"))).toEqual([]);
    // The disk, not the download, failed: with room again the same file is stored.
    expect((await get(file)).size).toBe(300_000);
  });

  describe("offline", () => {
    it("answers from the cache without a request", async () => {
      const file = serve();
      const first = await get(file);
      server.requests.length = 0;
      expect(await get(file, { offline: true })).toMatchObject({ transfer: "none", path: first.path, sha256: first.sha256 });
      expect(server.requests).toEqual([]);
    });

    it("fails with OGA_OFFLINE naming the URL when the file is not cached", async () => {
      const file = serve();
      const error = await rejection(get(file, { offline: true }));
      expect(isOgaError(error, "OGA_OFFLINE")).toBe(true);
      expect((error as Error).message).toContain(file.url);
      expect((error as Error).message).toMatch(/oga download|OGA_OFFLINE/);
      expect(server.requests).toEqual([]);
    });

    it("names the pinned sha256 too when a pinned file is not cached", async () => {
      const file = serve();
      const pinned = sha(file.body);
      const error = await refusal(get(file, { offline: true, expect: { sha256: pinned, size: file.body.length } }));
      expect(isOgaError(error, "OGA_OFFLINE")).toBe(true);
      expect(error.message).toBe(
        `${file.url} (sha256 ${pinned}) is not in the cache and offline mode is on; run once without offline (\`oga download\`, or unset OGA_OFFLINE) to fetch it.`,
      );
      expect(server.requests).toEqual([]);
    });

    it("fails with OGA_OFFLINE when the cached blob is damaged", async () => {
      const file = serve();
      const first = await get(file);
      await truncate(first.path, 3);
      expect(isOgaError(await rejection(get(file, { offline: true })), "OGA_OFFLINE")).toBe(true);
    });
  });

  it("treats a corrupt index entry as absent", async () => {
    const file = serve();
    await get(file);
    const [journal] = await readdir(path.join(cache.dir, "journal"));
    await writeFile(path.join(cache.dir, "journal", journal ?? "missing"), "{\"url\": tru\n");
    cache = await Cache.open(cache.dir); // the next run: journals are read when a cache is opened
    server.requests.length = 0;
    const again = await get(file);
    // No usable ETag any more, so an unconditional GET; the same blob path is reused.
    expect(again.transfer).toBe("downloaded");
    expect(server.requests.map((r) => r.ifNoneMatch)).toEqual([null]);
    expect((await cache.readEntry(file.url))?.sha256).toBe(sha(file.body));
  });

  it("aborting mid-body rejects with the signal's reason and leaves no temp file", async () => {
    const file = serve(200_000);
    server.setFault(new URL(file.url).pathname, { stallAfter: 50_000 });
    const controller = new AbortController();
    let seen = 0;
    const pending = get(file, {
      signal: controller.signal,
      onBytes: (n) => {
        seen += n;
        if (seen >= 50_000) controller.abort(new Error("user gave up"));
      },
    });
    const error = await rejection(pending);
    expect((error as Error).message).toBe("user gave up");
    expect(await tmpFiles()).toEqual([]);
    expect(await readdir(path.join(cache.dir, "files"))).toEqual([]);
  });

  it("reports a stalled body as OGA_UNREACHABLE and leaves no temp file", async () => {
    const file = serve(100_000);
    server.setFault(new URL(file.url).pathname, { stallAfter: 1000 });
    const impatient = new SiteHttp({ origin: server.url, userAgent: "oga-store-test", connections: 1, retries: 0, timeoutSeconds: 0.2 });
    try {
      const error = await rejection(fetchFile(impatient, cache, file));
      expect(isOgaError(error, "OGA_UNREACHABLE")).toBe(true);
      expect(await tmpFiles()).toEqual([]);
    } finally {
      await impatient.close();
    }
  });

  it("shares one download between concurrent callers in one process", async () => {
    const file = serve(100_000);
    const progress = [0, 0, 0];
    const results = await Promise.all(progress.map((_, i) => get(file, { onBytes: (n) => (progress[i] = (progress[i] ?? 0) + n) })));
    expect(server.requests).toHaveLength(1);
    expect(new Set(results.map((r) => r.path)).size).toBe(1);
    expect(results.every((r) => r.transfer === "downloaded")).toBe(true);
    expect(progress).toEqual([100_000, 100_000, 100_000]);
  });

  it("keeps a shared download going while any caller still wants it", async () => {
    const file = serve(10_000);
    const quitter = new AbortController();
    const first = get(file, { signal: quitter.signal });
    const second = get(file);
    quitter.abort(new Error("first caller left"));
    expect(((await rejection(first)) as Error).message).toBe("first caller left");
    expect((await second).transfer).toBe("downloaded");
    expect(server.requests).toHaveLength(1);
  });

  it("stores unsafe names inside their blob directory", async () => {
    const file = serve(100, "../../escape.png");
    const got = await get(file);
    expect(path.dirname(got.path)).toBe(path.join(cache.dir, "files", sha(file.body)));
    expect(path.basename(got.path)).toBe(".._.._escape.png");
    expect(got.name).toBe(file.name);
  });

  it("reports progress as deltas that add up to the size", async () => {
    const file = serve(500_000);
    let total = 0;
    await get(file, { onBytes: (n) => (total += n) });
    expect(total).toBe(500_000);
  });
});

// A download checked against what the lockfile pins and what the server announced: a pinned file
// of another length is refused from its headers alone (no body is read), one of the pinned length
// with other bytes by its hash, and a body shorter than its Content-Length is never stored.
describe("a pinned download", () => {
  it("of another length is refused from its Content-Length, before any byte of the body", async () => {
    const file = serve(4096);
    const pinned = "1".repeat(64);
    let seen = 0;
    const error = await refusal(get(file, { expect: { sha256: pinned, size: 4000 }, onBytes: (n) => (seen += n) }));
    expect(isOgaError(error, "OGA_INTEGRITY")).toBe(true);
    expect(error.message).toContain(`${file.url} changed upstream: the lockfile expects sha256 ${pinned} but the site now serves a 4096-byte file instead of 4000 bytes.`);
    expect(seen).toBe(0);
    expect(await stored()).toEqual([]);
  });

  it("of the pinned length but other bytes is refused by its hash, and not stored", async () => {
    const file = serve(4096);
    const pinned = "1".repeat(64);
    const error = await refusal(get(file, { expect: { sha256: pinned, size: 4096 } }));
    expect(isOgaError(error, "OGA_INTEGRITY")).toBe(true);
    expect(error.message).toContain(`but the site now serves sha256 ${sha(file.body)}.`);
    expect(await stored()).toEqual([]);
  });

  it("served without Content-Length is checked by its hash once the body has ended, and stored", async () => {
    const file = serve(4096);
    server.setFault(file.urlPath, { chunked: true });
    const got = await get(file, { expect: { sha256: sha(file.body), size: 4096 } });
    expect(got).toMatchObject({ transfer: "downloaded", sha256: sha(file.body), size: 4096 });
    expect(await readFile(got.path)).toEqual(file.body);
  });

  it("without a pinned size is checked by its hash alone", async () => {
    const file = serve(100);
    const got = await get(file, { expect: { sha256: sha(file.body) } });
    expect(got.sha256).toBe(sha(file.body));
    expect(got.transfer).toBe("downloaded");
  });
});

describe("a body that does not match its Content-Length", () => {
  it("announced longer than sent is refused and not stored", async () => {
    const file = serve(4096);
    server.setFault(file.urlPath, { claimLength: 5000 });
    const error = await refusal(get(file));
    expect(isOgaError(error, "OGA_INTEGRITY")).toBe(true);
    expect(error.message).toContain(`${file.url} ended after 4096 of 5000 bytes`);
    expect(await stored()).toEqual([]);
  });
});
