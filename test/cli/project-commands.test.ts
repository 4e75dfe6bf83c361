/**
 * `oga prefetch`, `verify`, `update`, `outdated` and `sync` as child processes against the
 * replica: outputs, exit codes, lockfile content and the replica's request log. Each test gets a
 * fresh replica (tests change files upstream) and a fresh copy of a fixture project.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeSharedStores } from "../../src/project/resolve-asset.js";
import type { Lockfile } from "../../src/store/lockfile.js";
import { startReplica, type Replica } from "../replica/index.js";
import { buildFixture, makeProject, testOptions } from "../plugin/helpers.js";
import { ANSI, lines, runOga, runShell } from "./run-oga.js";

let replica: Replica;
let project: Awaited<ReturnType<typeof makeProject>>;

beforeEach(async () => {
  replica = await startReplica();
});
afterEach(async () => {
  await closeSharedStores();
  await replica.close();
  await project?.cleanup();
});

const env = () => ({ OGA_URL: replica.url, OGA_CACHE_DIR: project.cacheDir });
const oga = (...args: string[]) => runOga(args, { env: env(), timeoutMs: 30_000 });
const readLock = async (): Promise<Lockfile> => JSON.parse(await readFile(project.lockfile, "utf8")) as Lockfile;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const dts = () => path.join(project.root, "src/oga-env.d.ts");

/** Everything the `game` fixture's imports select (an asset import locks every file). */
const GAME_FILES = [
  "battle-theme-a/battleThemeA.mp3",
  "battle-theme-a/battleThemeA.ogg",
  "imminent-threat/imminent_threat_beat1.ogg",
  "imminent-threat/imminent_threat_beat2.ogg",
  "imminent-threat/imminent_threat_loop.ogg",
  "retro-sfx-pack/jump.wav",
  "tiny-sprites/boss_64x48.png",
  "tiny-sprites/hero_16.png",
  "tiny-sprites/slime_32.png",
];

function lockedFiles(lock: Lockfile): string[] {
  return Object.entries(lock.assets)
    .flatMap(([id, asset]) => Object.entries(asset.files).filter(([, f]) => f.sha256 !== undefined).map(([name]) => `${id}/${name}`))
    .sort();
}

async function prefetchGame(): Promise<void> {
  project = await makeProject("game");
  const run = await oga("prefetch", project.root);
  expect(run.stderr).toContain("prefetched 4 imports");
  expect(run.code).toBe(0);
  replica.requests.reset();
}

describe("oga prefetch", () => {
  it("finds imports in every source form, downloads and locks them, writes declarations; plain lines off a terminal", async () => {
    project = await makeProject("cli-project");
    const run = await oga("prefetch", project.root);
    expect(run.code).toBe(0);
    const lock = await readLock();
    expect(lock.specifiers).toEqual(["oga:battle-theme-a", "oga:imminent-threat/*.ogg", "oga:retro-sfx-pack/jump.wav", "oga:tiny-sprites/hero_16.png"]);
    const locked = lockedFiles(lock);
    expect(locked).toEqual([
      "battle-theme-a/battleThemeA.mp3",
      "battle-theme-a/battleThemeA.ogg",
      "imminent-threat/imminent_threat_beat1.ogg",
      "imminent-threat/imminent_threat_beat2.ogg",
      "imminent-threat/imminent_threat_loop.ogg",
      "retro-sfx-pack/jump.wav",
      "tiny-sprites/hero_16.png",
    ]);
    // Each locked hash is the replica's bytes.
    const [id, name] = ["tiny-sprites", "hero_16.png"];
    const bytes = replica.catalogue.findFile(id, name)!.open() as Buffer;
    expect(lock.assets[id]!.files[name]!.sha256).toBe(sha256(bytes));
    const out = lines(run.stderr);
    expect(out.filter((l) => l.startsWith("downloaded ")).map((l) => l.split(" ")[1]).sort()).toEqual(locked);
    expect(out.at(-1)).toMatch(/^prefetched 4 imports; 7 files in [\d.]+ s: 7 downloaded \(\d+(\.\d)? kB\); wrote .*oga\.lock\.json, wrote .*oga-env\.d\.ts$/);
    expect(run.stderr).not.toMatch(ANSI);
    expect(run.stdout).toBe("");
    expect(await readFile(dts(), "utf8")).toContain(`declare module "oga:tiny-sprites/hero_16.png"`);
  });

  it("a second prefetch, and Vite 8, Vite 7 and Rollup builds after it, make no request at all", async () => {
    await prefetchGame();
    const again = await oga("prefetch", project.root);
    expect(again.code).toBe(0);
    expect(lines(again.stderr)).toEqual([expect.stringMatching(/^prefetched 4 imports; 9 files: 9 from the cache; .*unchanged.*unchanged$/)]);
    expect(replica.requests.count()).toBe(0);
    const lockBefore = await readFile(project.lockfile, "utf8");
    for (const bundler of ["vite8", "vite7", "rollup"] as const) {
      const built = await buildFixture(bundler, project.root, testOptions(project, replica.url, { frozen: true }));
      expect(built.assets.length, bundler).toBeGreaterThan(0);
      expect(replica.requests.count(), bundler).toBe(0);
    }
    expect(await readFile(project.lockfile, "utf8")).toBe(lockBefore);
  });

  it("--lockfile and --dts choose the paths; --dts false writes no declarations", async () => {
    project = await makeProject("game");
    const run = await oga("prefetch", "--root", project.root, "--lockfile", "locks/oga.json", "--dts", "false");
    expect(run.code).toBe(0);
    expect(lockedFiles(JSON.parse(await readFile(path.join(project.root, "locks/oga.json"), "utf8")))).toEqual(GAME_FILES);
    expect(await readdir(path.join(project.root, "src"))).toEqual(["main.js"]);
    const typed = await oga("sync", project.root, "--lockfile", "locks/oga.json", "--dts", "types/oga.d.ts");
    expect(typed.code).toBe(0);
    expect(await readFile(path.join(project.root, "types/oga.d.ts"), "utf8")).toContain(`declare module "oga:battle-theme-a"`);
  });

  it("draws a progress bar on a terminal instead of per-file lines", async () => {
    project = await makeProject("game");
    // util-linux `script` runs the command on a pseudo-terminal, so stderr.isTTY is true.
    const run = await runShell(`script -qec '"$NODE" "$BIN" prefetch "$ROOT"' /dev/null`, { env: { ...env(), ROOT: project.root } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(ANSI);
    expect(run.stdout).toMatch(/\d+\/\d+ files/);
    expect(run.stdout).not.toMatch(/^downloaded /m);
    expect(run.stdout).toMatch(/prefetched 4 imports; 9 files in [\d.]+ s: 9 downloaded/);
    expect(lockedFiles(await readLock())).toEqual(GAME_FILES);
  });

  it("says so when a project has no oga: imports, and names the file of a malformed one", async () => {
    project = await makeProject("game");
    await writeFile(path.join(project.root, "src/main.js"), "export const nothing = 1;\n");
    const none = await oga("prefetch", project.root);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/^no oga: imports found under .*; nothing to prefetch\n$/);
    await writeFile(path.join(project.root, "src/main.js"), `import x from "oga:battle-theme-a?url";\n`);
    const bad = await oga("prefetch", project.root);
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual([expect.stringMatching(/^oga: .*src\/main\.js: Invalid import "oga:battle-theme-a\?url"/)]);
    expect(replica.requests.count()).toBe(0);
  });

  it("fails with the plugin's message for an unknown asset", async () => {
    project = await makeProject("game");
    await writeFile(path.join(project.root, "src/main.js"), `import x from "oga:no-such-asset";\n`);
    const run = await oga("prefetch", project.root);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^oga: "oga:no-such-asset": not found on http:\/\/127\.0\.0\.1:\d+ \(tried .*\/content\/no-such-asset\)/);
  });

  it("finds names with spaces and parentheses, skips comments; an offline Vite build then makes no request", async () => {
    project = await makeProject("game");
    const beat = "oga:imminent-threat/Imminent Threat Collection.zip/Imminent Threat Collection/WAV/Imminent Threat Beat 1.wav";
    const door = "oga:dungeon-pack/tiles.zip/png/door (open).png";
    await writeFile(
      path.join(project.root, "src/main.js"),
      [
        `// import gone from "oga:no-such-asset";`,
        `/* new URL("oga:tiny-sprites/nothing.png", import.meta.url) */`,
        `import beat from "${beat}";`,
        `const door = new URL('${door}', import.meta.url).href;`,
        `const note = "oga:mentioned-not-imported";`,
        `globalThis.__oga = { beat, door, note };`,
        "",
      ].join("\n"),
    );
    const run = await oga("prefetch", project.root);
    expect(run.stderr).toContain("prefetched 2 imports");
    expect(run.code).toBe(0);
    const lock = await readLock();
    expect(lock.specifiers).toEqual([door, beat]);
    // Archive entries are locked by their archive.
    expect(lockedFiles(lock)).toEqual(["dungeon-pack/tiles.zip", "imminent-threat/Imminent Threat Collection.zip"]);
    replica.requests.reset();
    const built = await buildFixture("vite8", project.root, testOptions(project, replica.url, { offline: true }));
    expect(decodeURI(String(built.values.beat))).toMatch(/^\/assets\/Imminent Threat Beat 1-[\w-]+\.wav$/);
    expect(decodeURI(String(built.values.door))).toMatch(/\/assets\/door \(open\)-[\w-]+\.png$/);
    expect(replica.requests.count()).toBe(0);
  });
});

describe("oga verify", () => {
  it("re-hashes every locked blob without the network; reports missing and modified ones and exits 1", async () => {
    await prefetchGame();
    const ok = await oga("verify", project.root);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("");
    expect(ok.stderr).toMatch(/^verified 9 locked files in .*: 9 ok, 0 missing, 0 modified\n$/);
    const all = await oga("verify", project.root, "--all");
    expect(lines(all.stdout).map((l) => l.split(/\s+/).slice(0, 2).join(" "))).toEqual(GAME_FILES.map((f) => `ok ${f}`));

    const lock = await readLock();
    const blob = (id: string, name: string) => path.join(project.cacheDir, "files", lock.assets[id]!.files[name]!.sha256!, name);
    // Same size, so only a real re-hash can tell.
    const tampered = blob("tiny-sprites", "hero_16.png");
    const original = await readFile(tampered);
    await writeFile(tampered, Buffer.from(original.map((b) => b ^ 1)));
    await rm(blob("retro-sfx-pack", "jump.wav"));

    const bad = await oga("verify", project.root);
    expect(bad.code).toBe(1);
    expect(lines(bad.stdout)).toEqual([
      expect.stringMatching(/^missing {2}retro-sfx-pack\/jump\.wav {2}sha256 [0-9a-f]{12} {2}\/.*jump\.wav$/),
      expect.stringMatching(/^modified tiny-sprites\/hero_16\.png {2}sha256 [0-9a-f]{12} /),
    ]);
    expect(lines(bad.stderr)).toEqual([
      expect.stringMatching(/: 7 ok, 1 missing, 1 modified$/),
      expect.stringMatching(/^run `oga prefetch .*` to fetch them again$/),
    ]);
    expect(replica.requests.count()).toBe(0);

    // The hint works: prefetch fetches exactly the two bad files again.
    const fixed = await oga("prefetch", project.root);
    expect(fixed.code).toBe(0);
    expect(lines(fixed.stderr).filter((l) => l.startsWith("downloaded ")).sort()).toEqual([
      expect.stringMatching(/^downloaded retro-sfx-pack\/jump\.wav/),
      expect.stringMatching(/^downloaded tiny-sprites\/hero_16\.png/),
    ]);
    expect((await oga("verify", project.root)).code).toBe(0);
  });
});

describe("oga outdated", () => {
  it("exits 0 when up to date, with one page request per asset and a 304 per locked file", async () => {
    await prefetchGame();
    const run = await oga("outdated", "--root", project.root);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("checked 4 locked assets: all up to date\n");
    expect(replica.requests.count("GET /content/")).toBe(4);
    const files = replica.requests.filter("GET /sites/default/files/");
    expect(files.map((r) => r.status)).toEqual(GAME_FILES.map(() => 304));
  });

  it("lists changed, added and removed files and changed licenses, exits 1, and changes neither the lock nor the cache", async () => {
    await prefetchGame();
    const lockText = await readFile(project.lockfile, "utf8");
    const blobsBefore = (await readdir(path.join(project.cacheDir, "files"))).sort();
    replica.catalogue.setFileContent("battle-theme-a", "battleThemeA.ogg", Buffer.alloc(5000, 7));
    replica.catalogue.addFile("imminent-threat", { path: "imminent_threat_outro.ogg", body: Buffer.alloc(300, 1) });
    replica.catalogue.removeFile("tiny-sprites", "slime_32.png");
    replica.catalogue.getAsset("retro-sfx-pack")!.licenses = ["CC0"];

    const run = await oga("outdated", "--root", project.root);
    expect(run.stderr).toMatch(/^checked/);
    expect(run.code).toBe(1);
    expect(lines(run.stdout)).toEqual([
      expect.stringMatching(/^battle-theme-a\/battleThemeA\.ogg: changed size [\d.]+ kB → 5\.0 kB, etag "[^"]+" → "[^"]+"$/),
      "imminent-threat/imminent_threat_outro.ogg: added (300 B)",
      expect.stringMatching(/^retro-sfx-pack: licenses .+ → CC0$/),
      "tiny-sprites/slime_32.png: removed upstream",
    ]);
    expect(run.stderr).toBe(
      "checked 4 locked assets: 4 outdated; run `oga update battle-theme-a imminent-threat retro-sfx-pack tiny-sprites` to accept the changes\n",
    );
    expect(await readFile(project.lockfile, "utf8")).toBe(lockText);
    expect((await readdir(path.join(project.cacheDir, "files"))).sort()).toEqual(blobsBefore);

    const json = await oga("outdated", "--root", project.root, "--json", "battle-theme-a");
    expect(json.code).toBe(1);
    const reports = JSON.parse(json.stdout) as { id: string; gone: boolean; files: { kind: string; name: string; fields: string[] }[] }[];
    expect(reports).toEqual([
      expect.objectContaining({ id: "battle-theme-a", gone: false, meta: [], files: [expect.objectContaining({ kind: "changed", name: "battleThemeA.ogg", fields: ["size", "etag"] })] }),
    ]);
  });

  it("reports an asset that is gone upstream", async () => {
    await prefetchGame();
    replica.catalogue.removeAsset("retro-sfx-pack");
    const run = await oga("outdated", "--root", project.root);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("retro-sfx-pack: gone upstream (https://opengameart.org/content/retro-sfx-pack)\n");
  });
});

describe("oga update", () => {
  it("re-describes and revalidates, rewrites the lock and declarations, prints old → new; a build after it makes no request", async () => {
    await prefetchGame();
    const before = await readLock();
    const newOgg = Buffer.alloc(5000, 7);
    replica.catalogue.setFileContent("battle-theme-a", "battleThemeA.ogg", newOgg);
    replica.catalogue.addFile("imminent-threat", { path: "imminent_threat_outro.ogg", body: Buffer.alloc(300, 1) });

    const run = await oga("update", "--root", project.root, "battle-theme-a");
    expect(run.code).toBe(0);
    const oldSha = before.assets["battle-theme-a"]!.files["battleThemeA.ogg"]!.sha256!;
    expect(lines(run.stdout)).toEqual([
      expect.stringMatching(new RegExp(`^battle-theme-a/battleThemeA\\.ogg: changed size [\\d.]+ kB → 5\\.0 kB, etag "[^"]+" → "[^"]+", sha256 ${oldSha.slice(0, 8)} → ${sha256(newOgg).slice(0, 8)}$`)),
    ]);
    expect(run.stderr).toMatch(/^checked 1 asset: 1 changed; wrote .*oga\.lock\.json\n$/);
    // One page, then a conditional GET per locked file: the unchanged one is a 304.
    expect(replica.requests.filter("GET /").map((r) => `${r.pathname} ${r.status}`)).toEqual(
      expect.arrayContaining(["/content/battle-theme-a 200", "/sites/default/files/battleThemeA.mp3 304", "/sites/default/files/battleThemeA.ogg 200"]),
    );
    expect(replica.requests.count()).toBe(3);

    const after = await readLock();
    expect(after.assets["battle-theme-a"]!.files["battleThemeA.ogg"]).toMatchObject({ sha256: sha256(newOgg), size: 5000 });
    expect(after.assets["battle-theme-a"]!.files["battleThemeA.mp3"]).toEqual(before.assets["battle-theme-a"]!.files["battleThemeA.mp3"]);
    // Only the named asset: imminent-threat's new file is not locked yet.
    expect(after.assets["imminent-threat"]).toEqual(before.assets["imminent-threat"]);
    expect(await readFile(project.lockfile, "utf8")).toBe(`${JSON.stringify(sortDeep(after), null, 2)}\n`);

    // All assets: the glob import `oga:imminent-threat/*.ogg` now selects the new file, so it is locked.
    replica.requests.reset();
    const all = await oga("update", "--root", project.root);
    expect(all.code).toBe(0);
    expect(lines(all.stdout)).toEqual(["imminent-threat/imminent_threat_outro.ogg: added (300 B)"]);
    expect((await readLock()).assets["imminent-threat"]!.files["imminent_threat_outro.ogg"]!.sha256).toBe(sha256(Buffer.alloc(300, 1)));
    expect(await readFile(dts(), "utf8")).toContain(`"imminent_threat_outro.ogg"`);

    replica.requests.reset();
    await buildFixture("vite8", project.root, testOptions(project, replica.url, { frozen: true }));
    expect(replica.requests.count()).toBe(0);
    expect((await oga("outdated", "--root", project.root)).code).toBe(0);
  });

  it("says when nothing changed, and refuses an id that is not locked, listing the locked ones", async () => {
    await prefetchGame();
    const lockText = await readFile(project.lockfile, "utf8");
    const same = await oga("update", "--root", project.root);
    expect(same.code).toBe(0);
    expect(same.stdout).toBe("");
    expect(same.stderr).toBe("checked 4 assets: all up to date\n");
    expect(await readFile(project.lockfile, "utf8")).toBe(lockText);

    const unknown = await oga("update", "--root", project.root, "battle-theme-a", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^oga: "nope" is not in .*oga\.lock\.json; locked assets: battle-theme-a, imminent-threat, retro-sfx-pack, tiny-sprites\.\n$/);
  });
});

describe("oga sync", () => {
  it("writes the declarations from the lockfile alone, byte for byte what prefetch wrote", async () => {
    await prefetchGame();
    const written = await readFile(dts(), "utf8");
    await rm(dts());
    const run = await runOga(["sync", project.root, "--offline"], { env: { OGA_URL: "http://127.0.0.1:9", OGA_CACHE_DIR: project.cacheDir } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^wrote .*src\/oga-env\.d\.ts \(4 imports from .*oga\.lock\.json\)\n$/);
    expect(await readFile(dts(), "utf8")).toBe(written);
    const again = await oga("sync", project.root);
    expect(again.stderr).toMatch(/^up to date: /);
    expect(replica.requests.count()).toBe(0);
  });
});

describe("every project command", () => {
  it.each(["verify", "update", "outdated", "sync"])("%s without a lockfile says where it looked and what to run", async (command) => {
    project = await makeProject("game");
    const run = await oga(command, "--root", project.root);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`oga: No lockfile at ${project.lockfile}; run \`oga prefetch\` (or a build) in the project first, or pass --lockfile.\n`);
    expect(replica.requests.count()).toBe(0);
  });

  it.each(["update", "outdated"])("%s refuses to run offline (it must ask the site)", async (command) => {
    await prefetchGame();
    const run = await runOga([command, "--root", project.root], { env: { ...env(), OGA_OFFLINE: "1" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`oga: oga ${command} asks the site what changed; it cannot work offline (unset OGA_OFFLINE or drop --offline).\n`);
    expect(replica.requests.count()).toBe(0);
  });

  it.each(["prefetch", "verify", "update", "outdated", "sync"])("%s --help shows its usage and options", async (command) => {
    project = await makeProject("game");
    const run = await oga(command, "--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`$ oga ${command}`);
    expect(run.stdout).toContain("--lockfile <path>");
    expect(run.stdout).toContain("--root <dir>");
  });
});

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortDeep((value as Record<string, unknown>)[key])]),
  );
}
