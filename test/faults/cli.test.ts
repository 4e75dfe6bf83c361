// The fault matrix through the `oga` command, as a user runs it (a child process of the built
// dist/cli/bin.js): killed or interrupted mid-download, and offline with nothing cached. The
// process boundary is the point: SIGKILL gives the cache no chance to tidy up, so what is left
// must be harmless by construction, and the next run must clean it up and succeed.
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { minimalAsset, startReplica, type Replica } from "../replica/index.js";
import { lines, runOga } from "../cli/run-oga.js";
import { expectCacheValid, filePath, servedBytes, sha256, tempDir } from "./helpers.js";

let replica: Replica;
let counter = 0;

beforeAll(async () => {
  replica = await startReplica();
});
afterAll(() => replica.close());
beforeEach(() => replica.faults.clear());

/** An asset with one generated file: big enough that a download takes a while on loopback. */
function bigAsset(size: number): { slug: string; name: string; path: string } {
  const slug = `fault-cli-${++counter}`;
  const name = `${slug}.flac`;
  replica.catalogue.addAsset(minimalAsset(slug, { files: [{ path: name, body: { generate: { size } } }] }));
  return { slug, name, path: filePath(name) };
}

/**
 * Holds a download mid-body so a signal surely lands there, even on a loaded machine: the first
 * response is cut after 4 MB, and the resume (Range) is held back for 10 s. Calls `onHeld` once
 * the resume request arrived and the temp file holds the first part.
 */
function holdMidBody(urlPath: string, cacheDir: string, onHeld: () => void): () => void {
  replica.faults.add({ path: urlPath, kind: "reset", afterBytes: 4 * 1024 * 1024, times: 1 });
  replica.faults.add({ path: urlPath, kind: "delay", ms: 10_000, times: 1 });
  const tmp = path.join(cacheDir, "tmp");
  let done = false;
  const poll = setInterval(async () => {
    if (done || replica.requests.count(urlPath) < 2) return;
    for (const name of await readdir(tmp).catch(() => [])) {
      const size = await stat(path.join(tmp, name)).then((s) => s.size, () => 0);
      if (name.endsWith(".part.tmp") && size > 0 && !done) {
        done = true;
        clearInterval(poll);
        onHeld();
      }
    }
  }, 10);
  return () => {
    done = true;
    clearInterval(poll);
  };
}

async function expectDownloadsCleanly(slug: string, name: string, env: Record<string, string>): Promise<void> {
  const again = await runOga(["download", slug], { env, timeoutMs: 60_000 });
  expect(again.code, again.stderr).toBe(0);
  const [printed] = lines(again.stdout);
  expect(path.basename(printed!)).toBe(name);
  expect(path.basename(path.dirname(printed!))).toBe(sha256(await servedBytes(replica, slug, name)));
  await expectCacheValid(env.OGA_CACHE_DIR!);
}

describe("oga download, interrupted", () => {
  it("SIGKILL mid-download leaves no blob and no index entry; the rerun sweeps the orphan temp file and succeeds", async () => {
    const cache = await tempDir();
    try {
      const { slug, name, path: urlPath } = bigAsset(16 * 1024 * 1024);
      const env = { OGA_URL: replica.url, OGA_CACHE_DIR: cache.dir };
      let killedMidBody = false;
      const killed = await runOga(["download", slug], {
        env,
        timeoutMs: 60_000,
        onSpawn: (child) => {
          const stop = holdMidBody(urlPath, cache.dir, () => {
            killedMidBody = true;
            child.kill("SIGKILL");
          });
          child.on("close", stop);
        },
      });
      expect(killedMidBody, "the child was killed while the body was arriving").toBe(true);
      expect(killed.signal).toBe("SIGKILL");
      // What kill -9 leaves: a temp file, never a blob or an index entry for it.
      expect(await readdir(path.join(cache.dir, "files"))).toEqual([]);
      expect(await readdir(path.join(cache.dir, "journal"))).toEqual([]);
      expect((await readdir(path.join(cache.dir, "tmp"))).length).toBe(1);

      replica.faults.clear();
      await expectDownloadsCleanly(slug, name, env);
      // The cut first response, the held resume the kill abandoned, then one whole download.
      // (The resume starts where the client's bytes ended; a reset drops what was in flight.)
      const ranges = replica.requests.filter(urlPath).map((r) => r.headers.range ?? "whole");
      expect(ranges).toEqual(["whole", expect.stringMatching(/^bytes=\d+-16777215$/), "whole"]);
    } finally {
      await cache.remove();
    }
  });

  it("Ctrl-C (SIGINT) mid-body exits 130 and removes its own temp file; the rerun succeeds", async () => {
    const cache = await tempDir();
    try {
      const { slug, name, path: urlPath } = bigAsset(16 * 1024 * 1024);
      const env = { OGA_URL: replica.url, OGA_CACHE_DIR: cache.dir };
      let interruptedMidBody = false;
      const interrupted = await runOga(["download", slug], {
        env,
        timeoutMs: 60_000,
        onSpawn: (child) => {
          const stop = holdMidBody(urlPath, cache.dir, () => {
            interruptedMidBody = true;
            child.kill("SIGINT");
          });
          child.on("close", stop);
        },
      });
      expect(interruptedMidBody).toBe(true);
      expect(interrupted.code).toBe(130);
      expect(interrupted.stderr).toMatch(/^oga: interrupted$/m);
      // Unlike SIGKILL, an interrupted run tidies up itself: nothing for the next run to sweep.
      await expectCacheValid(cache.dir);
      replica.faults.clear();
      await expectDownloadsCleanly(slug, name, env);
    } finally {
      await cache.remove();
    }
  });
});

describe("oga download, offline", () => {
  it("with an empty cache: fails naming the asset and how to fix it, touches no network, caches nothing", async () => {
    const cache = await tempDir();
    try {
      const { slug, name } = bigAsset(1000);
      const env = { OGA_URL: replica.url, OGA_CACHE_DIR: cache.dir };
      replica.requests.reset();
      const run = await runOga(["download", slug, "--offline"], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(slug);
      expect(run.stderr).toMatch(/offline/i);
      expect(run.stdout).toBe("");
      expect(replica.requests.length).toBe(0);
      await expectCacheValid(cache.dir);
      await expectDownloadsCleanly(slug, name, env);
      // And once cached, offline works.
      const offline = await runOga(["download", slug, "--offline"], { env });
      expect(offline.code).toBe(0);
    } finally {
      await cache.remove();
    }
  });
});

describe("oga download --max-file-size", () => {
  it("a file over the limit: exit 1 naming the file and the flag, nothing stored; a higher limit downloads it", async () => {
    const cache = await tempDir();
    try {
      const { slug, name } = bigAsset(5_000);
      const env = { OGA_URL: replica.url, OGA_CACHE_DIR: cache.dir };
      const refused = await runOga(["download", slug, "--max-file-size", "1000"], { env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(name);
      expect(refused.stderr).toContain("--max-file-size");
      expect(refused.stdout).toBe("");
      await expectCacheValid(cache.dir);
      const allowed = await runOga(["download", slug, "--max-file-size", "5000"], { env });
      expect(allowed.code, allowed.stderr).toBe(0);
      await expectCacheValid(cache.dir);
    } finally {
      await cache.remove();
    }
  });

  it("a value that is not a positive integer is a usage error (exit 2)", async () => {
    const run = await runOga(["download", "x", "--max-file-size", "lots"], { env: { OGA_URL: replica.url } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--max-file-size");
  });
});
