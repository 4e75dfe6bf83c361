import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { Cache } from "../../src/store/cache.js";
import type { CachedFile } from "../../src/store/fetch-file.js";
import { startReplica } from "../replica/index.js";
import { startFileServer } from "./file-server.js";
import { bytes, tempDir } from "./setup.js";

const run = promisify(execFile);
const worker = fileURLToPath(new URL("./fetch-worker.ts", import.meta.url));

it("two processes downloading the same file into one cache all succeed and leave one clean blob", async () => {
  const server = await startFileServer();
  const { dir, remove } = await tempDir();
  try {
    const body = bytes(2_000_000);
    server.setFile("/sites/default/files/pack.zip", body);
    const url = `${server.url}/sites/default/files/pack.zip`;
    const outputs = await Promise.all(
      [1, 2].map(() => run(process.execPath, ["--import", "tsx", worker, server.url, dir, url, "pack.zip"])),
    );
    const results = outputs.map((o) => JSON.parse(o.stdout) as CachedFile);
    const digest = createHash("sha256").update(body).digest("hex");
    expect(new Set(results.map((r) => r.path))).toEqual(new Set([path.join(dir, "files", digest, "pack.zip")]));
    // Compare hashes, not buffers: toEqual walks a 2 MB buffer byte by byte, for seconds.
    expect(createHash("sha256").update(await readFile(results[0]?.path ?? "")).digest("hex")).toBe(digest);
    expect(await readdir(path.join(dir, "tmp"))).toEqual([]);
    // A process that stored the body appended the entry to its own journal (one that started after
    // the other had finished revalidates instead, and writes none): every line names the one blob.
    const journals = await readdir(path.join(dir, "journal"));
    expect(journals.length).toBeGreaterThanOrEqual(1);
    for (const journal of journals) {
      const lines = (await readFile(path.join(dir, "journal", journal), "utf8")).trim().split("\n");
      for (const line of lines) expect((JSON.parse(line) as { sha256: string }).sha256).toBe(digest);
    }
    expect((await (await Cache.open(dir)).readEntry(url))?.sha256).toBe(digest);
  } finally {
    await server.close();
    await remove();
  }
});

it("streams a large file with flat memory", async () => {
  // In a child process so the in-process server's buffers do not count against the client.
  const replica = await startReplica();
  const { dir, remove } = await tempDir();
  try {
    const size = 160 * 1024 * 1024;
    replica.catalogue.addGeneratedFile("tiny-sprites", "big/store-test-pack.zip", size);
    const fetchInChild = async (path: string, name: string) => {
      const url = `${replica.url}/sites/default/files/${path}`;
      const { stdout } = await run(process.execPath, ["--import", "tsx", worker, replica.url, dir, url, name]);
      return JSON.parse(stdout) as CachedFile & { maxRssBytes: number };
    };
    // The same process fetching a tiny file is the baseline (node, tsx, undici: ~140 MB).
    const small = await fetchInChild("hero_16.png", "hero_16.png");
    const big = await fetchInChild("big/store-test-pack.zip", "pack.zip");
    expect(big.size).toBe(size);
    // Buffering the body would add the whole 160 MB; streaming adds only GC slack (~50 MB of
    // not-yet-collected 64 KiB chunks, the same for 40 MB and 400 MB files).
    expect(big.maxRssBytes - small.maxRssBytes).toBeLessThan(size / 2);
  } finally {
    await replica.close();
    await remove();
  }
});

it("a disk that refuses the body mid-way (file size limit): OGA_CACHE naming the temp file and EFBIG, not OGA_INTEGRITY; no temp file left", async () => {
  const server = await startFileServer();
  const { dir, remove } = await tempDir();
  try {
    server.setFile("/sites/default/files/pack.zip", bytes(4_000_000));
    const url = `${server.url}/sites/default/files/pack.zip`;
    // `ulimit -f 2048`: this process may write files of 2 MiB at most, so the 4 MB body fails
    // with EFBIG halfway, as a full disk fails with ENOSPC (SIGXFSZ ignored, as shells do for jobs).
    const script = `trap '' XFSZ; ulimit -f 2048; exec "$0" --import tsx "$@"`;
    const child = await run("bash", ["-c", script, process.execPath, worker, server.url, dir, url, "pack.zip"]).then(
      () => expect.unreachable("the download must fail"),
      (error: { stdout: string }) => error,
    );
    const { error } = JSON.parse(child.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe("OGA_CACHE");
    expect(error.message).toMatch(new RegExp(`Could not write ${path.join(dir, "tmp")}/\\S+\\.part\\.tmp \\(EFBIG: file too large\\)`));
    expect(error.message).toContain("disk holding the cache");
    expect(await readdir(path.join(dir, "tmp"))).toEqual([]);
    expect(await readdir(path.join(dir, "files"))).toEqual([]);
  } finally {
    await server.close();
    await remove();
  }
});
