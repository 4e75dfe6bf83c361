/**
 * Mirrors end to end: `oga prefetch` against the replica (whose pages link opengameart.org, as the
 * live site's do), `oga mirror <dir>`, a plain static server on the directory, then a real build
 * and `oga describe` with `url` at that server and an empty cache: every request goes to the
 * mirror, none to the replica. And back: a lock made through the mirror is the lock made on the
 * site, and builds against the site.
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeSharedStores } from "../../src/project/resolve-asset.js";
import type { Lockfile } from "../../src/store/lockfile.js";
import { startReplica, type Replica } from "../replica/index.js";
import { buildFixture, bytesOf, listFiles, makeProject, replicaBytes, testOptions } from "../plugin/helpers.js";
import { lines, runOga, tempDir } from "./run-oga.js";
import { serveDirectory, type StaticServer } from "./static-server.js";

let replica: Replica;
let mirror: StaticServer | undefined;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  replica = await startReplica();
});
afterEach(async () => {
  await closeSharedStores();
  await mirror?.close();
  mirror = undefined;
  await replica.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Odd names, a subfolder, a zip entry, a UTF-8 slug, collaborators, and credits. */
const MAIN = [
  `import music from "oga:battle-theme-a";`,
  `import hit from "oga:strange-file-names/Hit Sound!.wav";`,
  `import cafe from "oga:strange-file-names/Café Théme – ñandú.ogg";`,
  `import beat from "oga:imminent-threat/Imminent Threat Collection.zip/Imminent Threat Collection/WAV/Imminent Threat Beat 1.wav";`,
  `import batalla from "oga:música-de-batalla";`,
  `import { meta } from "oga:retro-sfx-pack";`,
  `import credits from "oga:credits";`,
  `globalThis.__oga = { music, hit, cafe, beat, batalla, meta, credits };`,
  ``,
].join("\n");

async function project() {
  const made = await makeProject("game");
  cleanups.push(made.cleanup);
  await writeFile(path.join(made.root, "src/main.js"), MAIN);
  return made;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** The lock without what depends on which server answered (ETags). */
function withoutEtags(lock: Lockfile): unknown {
  return JSON.parse(JSON.stringify(lock, (key, value: unknown) => (key === "etag" ? undefined : value)));
}

describe("oga mirror", () => {
  it("mirrors the locked pages and files; a build with url at a static server of it needs nothing from the site", async () => {
    const site = await project();
    const prefetch = await runOga(["prefetch", site.root], { env: { OGA_URL: replica.url, OGA_CACHE_DIR: site.cacheDir }, timeoutMs: 60_000 });
    expect(prefetch.stderr).toContain("prefetched 7 imports");
    expect(prefetch.code).toBe(0);
    const lock = JSON.parse(await readFile(site.lockfile, "utf8")) as Lockfile;
    // Locked on the canonical site, though the replica served everything.
    for (const asset of Object.values(lock.assets)) {
      expect(asset.pageUrl).toMatch(/^https:\/\/opengameart\.org\/content\//);
      for (const file of Object.values(asset.files)) expect(file.url).toMatch(/^https:\/\/opengameart\.org\/sites\/default\/files\//);
    }

    replica.requests.reset();
    const out = await tempDir("oga-mirror-");
    cleanups.push(out.remove);
    const run = await runOga(["mirror", out.dir, "--root", site.root], { env: { OGA_URL: replica.url, OGA_CACHE_DIR: site.cacheDir }, timeoutMs: 60_000 });
    expect(run.code).toBe(0);
    const ids = Object.keys(lock.assets).sort();
    // What builds used, and so what the lock pins: the files with a sha256.
    const lockedFiles = ids.flatMap((id) => Object.entries(lock.assets[id]!.files).filter(([, file]) => file.sha256 !== undefined).map(([name, file]) => ({ id, name, file })));
    const unpinned = ids.flatMap((id) => Object.values(lock.assets[id]!.files)).length - lockedFiles.length;
    expect(unpinned).toBeGreaterThan(0);
    const expectedPaths = [
      ...ids.map((id) => `content/${id}/index.html`),
      ...lockedFiles.map(({ file }) => decodeURIComponent(new URL(file.url).pathname.slice(1))),
    ].sort();
    expect(await listFiles(out.dir)).toEqual(expectedPaths);
    expect(lines(run.stdout).map((line) => line.split("\t")[0])).toEqual(expectedPaths);
    expect(run.stderr).toContain(`mirrored ${ids.length} pages and ${lockedFiles.length} files`);
    expect(run.stderr).toContain(`; ${unpinned} listed files no build has used (not pinned) left out`);
    // Pages fetched now; files the lock pins copied from the cache: no file request, the pinned bytes.
    expect(replica.requests.count((r) => r.pathname.startsWith("/sites/"))).toBe(0);
    expect(replica.requests.count((r) => r.pathname.startsWith("/content/"))).toBe(ids.length);
    for (const { id, name, file } of lockedFiles) {
      const bytes = await readFile(path.join(out.dir, decodeURIComponent(new URL(file.url).pathname.slice(1))));
      expect(sha256(bytes), `${id}/${name}`).toBe(file.sha256);
    }
    expect(expectedPaths).toContain("sites/default/files/musicpacks/Imminent Threat Collection.zip");
    expect(expectedPaths).toContain("content/música-de-batalla/index.html");
    // The page as the site served it, canonical links and all.
    const page = await readFile(path.join(out.dir, "content/battle-theme-a/index.html"), "utf8");
    expect(page).toContain('href="https://opengameart.org/sites/default/files/battleThemeA.mp3"');

    // A studio serves the directory; the build points at it with an empty cache.
    mirror = await serveDirectory(out.dir);
    replica.requests.reset();
    const fresh = await tempDir("oga-mirror-cache-");
    cleanups.push(fresh.remove);
    const build = await buildFixture("vite8", site.root, testOptions(site, mirror.url, { cacheDir: fresh.dir, frozen: true }));
    expect(replica.requests.count()).toBe(0);
    const fileRequests = mirror.requests.filter((r) => r.startsWith("GET /sites/default/files/"));
    // Every file the build needs came from the mirror, each once; the zip was opened for its entry.
    expect(new Set(fileRequests).size).toBe(fileRequests.length);
    expect(fileRequests).toContain("GET /sites/default/files/Hit%20Sound%21.wav");
    expect(fileRequests).toContain("GET /sites/default/files/musicpacks/Imminent%20Threat%20Collection.zip");
    const values = build.values;
    // Built URLs are URL-encoded; the files on disk are not.
    const built = (key: string) => bytesOf(decodeURI(values[key] as string), build.outDir);
    expect(await built("hit")).toEqual(await replicaBytes(replica, "strange-file-names", "Hit Sound!.wav"));
    expect(await built("cafe")).toEqual(await replicaBytes(replica, "strange-file-names", "Café Théme – ñandú.ogg"));
    expect(await built("music")).toEqual(await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3"));
    expect(await built("batalla")).toEqual(await replicaBytes(replica, "música-de-batalla", "musica_batalla.mp3"));
    expect((await built("beat")).subarray(0, 4).toString("latin1")).toBe("RIFF");
    // Credits and meta link the canonical pages, never the mirror.
    const meta = values.meta as { pageUrl: string; collaborators: unknown[] };
    const credits = values.credits as { id: string; pageUrl: string }[];
    expect(meta.pageUrl).toBe("https://opengameart.org/content/retro-sfx-pack");
    expect(meta.collaborators).toHaveLength(2);
    expect(credits.map((c) => c.pageUrl)).toEqual(credits.map((c) => `https://opengameart.org/content/${encodeURIComponent(c.id)}`));
    expect(JSON.stringify(credits)).not.toContain(mirror.url);

    // The mirrored pages answer describe, too.
    const describe = await runOga(["describe", "música-de-batalla", "--json"], { env: { OGA_URL: mirror.url, OGA_CACHE_DIR: fresh.dir } });
    expect(describe.code).toBe(0);
    expect(JSON.parse(describe.stdout)).toMatchObject({ id: "música-de-batalla", pageUrl: "https://opengameart.org/content/m%C3%BAsica-de-batalla", title: "Música de batalla" });
    expect(replica.requests.count()).toBe(0);
  });

  it("a lock made through the mirror is the site's lock (ETags aside) and builds against the site", async () => {
    const site = await project();
    expect((await runOga(["prefetch", site.root], { env: { OGA_URL: replica.url, OGA_CACHE_DIR: site.cacheDir }, timeoutMs: 60_000 })).code).toBe(0);
    const out = await tempDir("oga-mirror-");
    cleanups.push(out.remove);
    expect((await runOga(["mirror", out.dir, "--root", site.root], { env: { OGA_URL: replica.url, OGA_CACHE_DIR: site.cacheDir } })).code).toBe(0);
    mirror = await serveDirectory(out.dir);
    replica.requests.reset();

    const viaMirror = await project();
    const prefetch = await runOga(["prefetch", viaMirror.root], { env: { OGA_URL: mirror.url, OGA_CACHE_DIR: viaMirror.cacheDir }, timeoutMs: 60_000 });
    expect(prefetch.code).toBe(0);
    expect(replica.requests.count()).toBe(0);
    const mirrored = JSON.parse(await readFile(viaMirror.lockfile, "utf8")) as Lockfile;
    const original = JSON.parse(await readFile(site.lockfile, "utf8")) as Lockfile;
    expect(withoutEtags(mirrored)).toEqual(withoutEtags(original));

    // And back: the mirror-made lock against the site, frozen, with an empty cache.
    const build = await buildFixture("vite8", viaMirror.root, testOptions(viaMirror, replica.url, { cacheDir: path.join(viaMirror.cacheDir, "again"), frozen: true }));
    expect(await bytesOf(decodeURI((build.values as Record<string, string>).hit!), build.outDir)).toEqual(await replicaBytes(replica, "strange-file-names", "Hit Sound!.wav"));
    expect(replica.requests.count((r) => r.pathname.startsWith("/sites/default/files/"))).toBeGreaterThan(0);
  });

  it("re-running leaves unchanged files alone and refreshes the pages", async () => {
    const site = await project();
    expect((await runOga(["prefetch", site.root], { env: { OGA_URL: replica.url, OGA_CACHE_DIR: site.cacheDir }, timeoutMs: 60_000 })).code).toBe(0);
    const out = await tempDir("oga-mirror-");
    cleanups.push(out.remove);
    const args = ["mirror", out.dir, "--root", site.root];
    const env = { OGA_URL: replica.url, OGA_CACHE_DIR: site.cacheDir };
    expect((await runOga(args, { env })).code).toBe(0);
    const again = await runOga(args, { env });
    expect(again.code).toBe(0);
    const rows = lines(again.stdout).map((line) => line.split("\t"));
    expect(rows.filter((row) => row[0]!.startsWith("sites/")).every((row) => row[2] === "unchanged")).toBe(true);
    expect(rows.filter((row) => row[0]!.startsWith("content/")).every((row) => row[2] === undefined)).toBe(true);
  });

  it("with an empty cache it downloads what the lock pins, and refuses bytes that differ from it", async () => {
    const site = await project();
    expect((await runOga(["prefetch", site.root], { env: { OGA_URL: replica.url, OGA_CACHE_DIR: site.cacheDir }, timeoutMs: 60_000 })).code).toBe(0);
    const out = await tempDir("oga-mirror-");
    cleanups.push(out.remove);
    const empty = await tempDir("oga-mirror-cache-");
    cleanups.push(empty.remove);
    replica.catalogue.setFileContent("strange-file-names", "Hit Sound!.wav", Buffer.from("not the locked sound"));
    const run = await runOga(["mirror", out.dir, "--root", site.root], { env: { OGA_URL: replica.url, OGA_CACHE_DIR: empty.dir }, timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^oga: .*Hit%20Sound%21\.wav changed upstream: the lockfile expects sha256/);
    const written = await listFiles(out.dir);
    expect(written).not.toContain("sites/default/files/Hit Sound!.wav");
    expect(written.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("offline, or without a lockfile, it says why and writes nothing", async () => {
    const site = await project();
    const out = await tempDir("oga-mirror-");
    cleanups.push(out.remove);
    const offline = await runOga(["--offline", "mirror", out.dir, "--root", site.root], { env: { OGA_URL: replica.url, OGA_CACHE_DIR: site.cacheDir } });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/^oga: oga mirror fetches each asset page from the site; it cannot work offline/);
    const unlocked = await runOga(["mirror", out.dir, "--root", site.root], { env: { OGA_URL: replica.url, OGA_CACHE_DIR: site.cacheDir } });
    expect(unlocked.code).not.toBe(0);
    expect(await listFiles(out.dir)).toEqual([]);
  });
});
