// A warm build from a cache this process may not write: a CI cache restored read-only, a team's
// shared cache. Reading must never need a write (no stamp, no sweep, no index update), and a
// download it cannot store fails with OGA_CACHE saying so, not EACCES from deep inside.
//
// Tests run as root here, and root ignores file modes: the build then runs in a child process
// as `nobody`, for whom the root-owned cache really is read-only. As any other user the cache is
// made read-only with chmod and the child runs as that user.
import { execFile } from "node:child_process";
import { chmod, chown, cp, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, expect, it } from "vitest";
import { closeSharedStores } from "../../src/project/resolve-asset.js";
import { Cache } from "../../src/store/cache.js";
import { buildFixture, bytesOf, replicaBytes, testOptions } from "../plugin/helpers.js";
import { useReplicaProject } from "../plugin/hooks.js";
import { sha256 } from "./helpers.js";

const worker = fileURLToPath(new URL("./build-worker.ts", import.meta.url));
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

const { replica, project } = useReplicaProject("game");
afterAll(() => closeSharedStores());
// Registered after the project's own hooks, so it runs before its removal (after hooks run in reverse).
afterEach(() => chmodTree(path.dirname(project.root), 0o700, 0o600)); // writable again, so it can be removed

/** Sets every directory under `dir` (itself included) to `dirMode` and every file to `fileMode`. */
async function chmodTree(dir: string, dirMode: number, fileMode: number): Promise<void> {
  await chmod(dir, dirMode);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chmodTree(full, dirMode, fileMode);
    else await chmod(full, fileMode);
  }
}

/** Every path under `dir` with its size, mtime and inode: what "nothing was written" compares. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const s = await stat(full);
    out.push(`${path.relative(dir, full)} ${s.size} ${s.mtimeMs} ${s.ino}`);
  }
  return out.sort();
}

/**
 * A copy of the warm cache, as a CI cache restore makes it: the stamps the first machine recorded
 * come along, but the copies have new inodes and times, so no stamp vouches for its blob any
 * more, every blob is re-hashed and its stamp would be replaced or dropped. Read-only for the
 * build that follows.
 */
async function restoredReadOnlyCache(): Promise<string> {
  // The first machine verified every blob (as `oga verify` or a later build does) and stamped it.
  const original = await Cache.open(project.cacheDir, { racyWindowMs: 0 });
  for (const digest of await readdir(path.join(project.cacheDir, "files"))) {
    for (const name of await readdir(path.join(project.cacheDir, "files", digest))) expect(await original.checkBlob(digest, name)).toBe("ok");
  }
  expect((await readdir(path.join(project.cacheDir, "stamps"))).length).toBeGreaterThan(3);
  const restored = path.join(path.dirname(project.root), "restored-cache");
  await cp(project.cacheDir, restored, { recursive: true });
  // Owned by root: `nobody` may read (0755/0644) but not write. Anyone else: no write bits.
  await chmodTree(restored, 0o555, 0o444);
  return restored;
}

/** One vite build of the project in a child process that may not write `cacheDir`. */
async function buildAsReader(cacheDir: string): Promise<{ outDir?: string; values?: Record<string, string>; error?: { code: string; message: string } }> {
  const base = path.dirname(project.root);
  if (asRoot) {
    // The project (output, lockfile, declarations) stays writable for the child; the cache does not.
    await chmod(base, 0o755);
    for (const entry of await readdir(project.root, { recursive: true, withFileTypes: true })) await chown(path.join(entry.parentPath, entry.name), NOBODY, NOBODY);
    await chown(project.root, NOBODY, NOBODY);
  }
  const home = path.join(base, "home");
  const options = JSON.stringify(testOptions({ ...project, cacheDir }, replica.url));
  const output = await new Promise<string>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", worker, project.root, options],
      { cwd: path.dirname(worker), timeout: 60_000, env: { ...process.env, HOME: home }, ...(asRoot && { uid: NOBODY, gid: NOBODY }) },
      (_error, stdout) => resolve(stdout),
    );
  });
  return JSON.parse(output) as Awaited<ReturnType<typeof buildAsReader>>;
}

it("a warm build from a restored, read-only cache succeeds, with no request and no write to the cache", async () => {
  await buildFixture("vite8", project.root, testOptions(project, replica.url));
  await closeSharedStores();
  const cacheDir = await restoredReadOnlyCache();
  // A temp file a crashed writer left: the sweep must not need to remove it.
  await chmod(path.join(cacheDir, "tmp"), 0o755);
  await writeFile(path.join(cacheDir, "tmp", "1-otherhost-1-abc.part.tmp"), "left behind");
  await chmod(path.join(cacheDir, "tmp"), 0o555);
  const before = await snapshot(cacheDir);
  replica.requests.reset();

  const result = await buildAsReader(cacheDir);
  expect(result.error).toBeUndefined();
  expect(sha256(await bytesOf(result.values!.music!, result.outDir!))).toBe(sha256(await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3")));
  expect(sha256(await bytesOf(result.values!.jump!, result.outDir!))).toBe(sha256(await replicaBytes(replica, "retro-sfx-pack", "jump.wav")));
  expect(replica.requests.length).toBe(0);
  expect(await snapshot(cacheDir)).toEqual(before);
});

it("a build that must download into a read-only cache fails with OGA_CACHE naming the cache and the way out", async () => {
  // Locked by a first build, but never downloaded into the cache the second build gets.
  await buildFixture("vite8", project.root, testOptions(project, replica.url));
  await closeSharedStores();
  const cacheDir = await restoredReadOnlyCache();
  await chmod(cacheDir, 0o755);
  await chmodTree(path.join(cacheDir, "files"), 0o755, 0o644);
  for (const blob of await readdir(path.join(cacheDir, "files"))) await rm(path.join(cacheDir, "files", blob), { recursive: true });
  await chmodTree(cacheDir, 0o555, 0o444);
  const before = await snapshot(cacheDir);

  const result = await buildAsReader(cacheDir);
  expect(result.error?.code).toBe("OGA_CACHE");
  expect(result.error?.message).toContain(`Could not create ${path.join(cacheDir, "tmp")}`);
  expect(result.error?.message).toContain("EACCES");
  expect(result.error?.message).toContain("point cacheDir / OGA_CACHE_DIR at a writable directory");
  expect(await snapshot(cacheDir)).toEqual(before);
});
