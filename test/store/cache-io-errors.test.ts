/**
 * What the file system refuses inside the cache reaches a user of the client as OGA_CACHE naming
 * the file and what to do, never as a bare EISDIR or EMFILE (which the plugin would report as
 * OGA_UNEXPECTED, without a path). Real damage on disk and real resource limits of this process,
 * the client against the replica; each case also checks that nothing half-written is left.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { createClient, type OgaClient } from "../../src/client.js";
import { isOgaError } from "../../src/errors.js";
import type { Asset } from "../../src/site/types.js";
import { minimalAsset, startReplica, type Replica } from "../replica/index.js";
import { withResourceLimit } from "./resource-limit.js";

const sha256 = (text: string | Buffer): string => createHash("sha256").update(text).digest("hex");
/** Small enough that a body fits under the file size limit the index record does not fit under. */
const BODY = Buffer.from("a tiny sound");

let replica: Replica;
let cacheDir: string;
let client: OgaClient;
let asset: Asset;

beforeAll(async () => {
  replica = await startReplica();
  replica.catalogue.addAsset(minimalAsset("tiny-sound", { files: [{ path: "tiny.wav", body: BODY }] }));
});
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), "oga-cache-io-"));
  client = createClient({ url: replica.url, cacheDir, retries: 0 });
  asset = await client.describe("tiny-sound");
});
afterEach(async () => {
  await client.close();
  await rm(cacheDir, { recursive: true, force: true });
});
afterAll(async () => {
  await replica.close();
});

const file = () => asset.files[0]!;
/** Where caches made before the journals keep a file's index entry; still read. */
const indexRecord = () => path.join(cacheDir, "index", `${sha256(file().url)}.json`);
const journals = async () => readdir(path.join(cacheDir, "journal"));

async function cacheFailure(work: Promise<unknown>): Promise<Error> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(isOgaError(error, "OGA_CACHE"), `expected OGA_CACHE, got ${String(error)}`).toBe(true);
  return error!;
}

/** Nothing half-written: no temp file, and no journal (no index entry was stored). */
async function expectNothingLeft(): Promise<void> {
  expect(await readdir(path.join(cacheDir, "tmp"))).toEqual([]);
  expect(await journals()).toEqual([]);
}

it("a directory where a file's index record should be (a cache made before the journals): OGA_CACHE naming the record, and the way out", async () => {
  await mkdir(indexRecord(), { recursive: true });
  const error = await cacheFailure(client.fetchFile(file()));
  expect(error.message).toContain(`Could not read ${indexRecord()} (EISDIR`);
  expect(error.message).toContain(`A directory or a link sits where the cache ${cacheDir} needs a file: remove it`);
  await expectNothingLeft();
  await rm(indexRecord(), { recursive: true });
  expect((await client.fetchFile(file())).transfer).toBe("downloaded");
});

it("a directory where a blob's stamp should be: a warm fetch is OGA_CACHE naming the stamp", async () => {
  const fetched = await client.fetchFile(file());
  const stamp = path.join(cacheDir, "stamps", `${sha256(`${fetched.sha256}/tiny.wav`)}.json`);
  await mkdir(stamp);
  const error = await cacheFailure(client.fetchFile(file(), { expect: { sha256: fetched.sha256 } }));
  expect(error.message).toContain(`Could not read ${stamp} (EISDIR`);
  expect(await readdir(path.join(cacheDir, "tmp"))).toEqual([]);
});

it("a directory where a page description should be: an offline describe is OGA_CACHE naming it", async () => {
  const description = path.join(cacheDir, "pages", `${sha256(asset.pageUrl)}.json`);
  await rm(description);
  await mkdir(description);
  const error = await cacheFailure(client.describe("tiny-sound", { offline: true }));
  expect(error.message).toContain(`Could not read ${description} (EISDIR`);
});

it("no file descriptor left (EMFILE) for a cached file's records: OGA_CACHE with the path and `ulimit -n`", async () => {
  const fetched = await client.fetchFile(file());
  // Pinned and cached: the client looks at the blob's stamp first, then hashes the blob.
  const error = await withResourceLimit("nofile", 0, () => cacheFailure(client.fetchFile(file(), { expect: { sha256: fetched.sha256 } })));
  expect(error.message).toMatch(new RegExp(`^Could not read ${cacheDir}/(stamps|files)/\\S+ \\(EMFILE`));
  expect(error.message).toContain("raise the limit (`ulimit -n`)");
  expect(await readdir(path.join(cacheDir, "tmp"))).toEqual([]);
  expect((await client.fetchFile(file(), { expect: { sha256: fetched.sha256 } })).transfer).toBe("none");
});

it("the disk refuses the index entry (EFBIG past the file size limit): OGA_CACHE naming the journal, no torn line or temp file", async () => {
  // The body (12 bytes) fits under the limit; the entry's journal line (~300 bytes) does not.
  const error = await withResourceLimit("fsize", 100, () => cacheFailure(client.fetchFile(file())));
  expect(error.message).toMatch(new RegExp(`^Could not write ${cacheDir}/journal/\\S+\\.jsonl \\(EFBIG`));
  expect(error.message).toContain("is full (or this file is over a size limit)");
  // The 100 bytes of the line that did fit were taken back, and the emptied journal removed.
  await expectNothingLeft();
  // The blob itself is whole (it was verified before its rename): the next fetch stores the entry.
  expect((await client.fetchFile(file())).sha256).toBe(sha256(BODY));
  expect(await journals()).toHaveLength(1);
});
