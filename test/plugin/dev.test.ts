import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { readLockfile } from "../../src/store/lockfile.js";
import { replicaBytes, testOptions } from "./helpers.js";
import { useDevServer, useProject, useReplica } from "./hooks.js";

// A replica per test: one test cuts the network by closing it.
const replica = useReplica("test");
const project = useProject("game");
beforeEach(async () => {
  await writeFile(path.join(project.root, "src/main.js"), `import music from "oga:battle-theme-a";\nexport { music };\n`);
});
const dev = useDevServer();

async function startDev(): Promise<void> {
  await dev.start(project.root, testOptions(project, replica.url));
}

/** The `/@id/…oga:…` import URLs of a served module. */
async function ogaImports(url: string): Promise<string[]> {
  const res = await fetch(dev.base + url);
  expect(res.status).toBe(200);
  const code = await res.text();
  return [...code.matchAll(/from\s+["']([^"']*oga:[^"']*)["']/g)].map((m) => m[1]!);
}

/** Follows main.js → the asset module → the file module → the `/@fs/` URL of the cached blob. */
async function blobUrlOf(entry: string): Promise<string> {
  const [assetModule] = await ogaImports(entry);
  expect(assetModule).toMatch(/^\/@id\/__x00__oga:/);
  return blobUrlFromModule(assetModule!);
}

async function blobUrlFromModule(moduleUrl: string): Promise<string> {
  let url = moduleUrl;
  for (let depth = 0; depth < 3; depth++) {
    const code = await (await fetch(dev.base + url)).text();
    const fs = /["'](\/@fs\/[^"']+)["']/.exec(code);
    if (fs) return fs[1]!.replace(/\?.*$/, "");
    const next = /from\s+["']([^"']*oga:[^"']*)["']/.exec(code);
    expect(next, code).not.toBeNull();
    url = next![1]!;
  }
  throw new Error("no /@fs/ URL found");
}

describe("dev server", () => {
  it("serves the cached file under /@fs/ with Range (206), ETag (304) and the right type", async () => {
    await startDev();
    const blob = await blobUrlOf("/src/main.js");
    expect(decodeURIComponent(blob)).toContain(project.cacheDir);
    const expected = await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3");

    const full = await fetch(dev.base + blob);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toMatch(/^audio\/mpeg/);
    expect(Buffer.from(await full.arrayBuffer())).toEqual(expected);
    const etag = full.headers.get("etag");
    expect(etag).toBeTruthy();

    const range = await fetch(dev.base + blob, { headers: { Range: "bytes=100-199" } });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer())).toEqual(expected.subarray(100, 200));

    const again = await fetch(dev.base + blob, { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
  });

  it("keeps serving with the network cut once the cache is warm", async () => {
    await startDev();
    const [assetModule] = await ogaImports("/src/main.js");
    await blobUrlFromModule(assetModule!);
    const expected = await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3");
    await dev.server.close();
    await replica.close();
    // A restarted server asked for the /@id/ URL a cached page holds: no resolveId call first.
    await startDev();
    const blob = await blobUrlFromModule(assetModule!);
    const res = await fetch(dev.base + blob);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(expected);
  });

  it("resolves an import added while running and updates the declarations", async () => {
    await startDev();
    await blobUrlOf("/src/main.js");
    const dts = path.join(project.root, "src/oga-env.d.ts");
    await expect.poll(() => readFile(dts, "utf8").catch(() => ""), { timeout: 5000 }).toContain('declare module "oga:battle-theme-a"');
    expect(await readFile(dts, "utf8")).not.toContain("oga:retro-sfx-pack");

    await writeFile(path.join(project.root, "src/extra.js"), `import coin from "oga:retro-sfx-pack/coin.wav";\nexport { coin };\n`);
    const blob = await blobUrlOf("/src/extra.js");
    const res = await fetch(dev.base + blob);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(await replicaBytes(replica, "retro-sfx-pack", "coin.wav"));
    await expect.poll(() => readFile(dts, "utf8"), { timeout: 5000 }).toContain('declare module "oga:retro-sfx-pack/coin.wav"');
    // Never shrinks: the first import's declarations are still there.
    expect(await readFile(dts, "utf8")).toContain('declare module "oga:battle-theme-a"');
    expect(await readFile(project.lockfile, "utf8")).toContain('"oga:retro-sfx-pack/coin.wav"');
  });
});

describe("the lockfile in dev", () => {
  /** Every payload the dev server sends the browser from now on. */
  function recordHot(): { type?: string }[] {
    const sent: { type?: string }[] = [];
    const hot = dev.server.environments.client!.hot;
    const send = hot.send.bind(hot) as (payload: unknown) => void;
    hot.send = ((payload: unknown) => {
      sent.push(payload as { type?: string });
      send(payload);
    }) as typeof hot.send;
    return sent;
  }

  interface HotUpdateSeen {
    environment: string;
    /** Modules left to update: before oga's hook ran, and after it. */
    before: number;
    after: number;
    text: string;
  }

  /**
   * Two plugins around oga's (Vite runs `hotUpdate` hooks in order): together they record, for
   * each change of `file`, the modules Vite would update and what oga's hook left of them.
   */
  function hotUpdatesOf(file: string): { before: object; after: object; seen: HotUpdateSeen[] } {
    const seen: HotUpdateSeen[] = [];
    const pending = new Map<string, number>();
    type Update = { file: string; modules: readonly unknown[]; read(): string | Promise<string> };
    const before = {
      name: "test:hot-update-before",
      enforce: "pre" as const,
      hotUpdate(this: { environment: { name: string } }, update: Update) {
        if (path.resolve(update.file) === file) pending.set(this.environment.name, update.modules.length);
      },
    };
    const after = {
      name: "test:hot-update-after",
      async hotUpdate(this: { environment: { name: string } }, update: Update) {
        if (path.resolve(update.file) !== file) return;
        const environment = this.environment.name;
        seen.push({ environment, before: pending.get(environment) ?? -1, after: update.modules.length, text: await update.read() });
      },
    };
    return { before, after, seen };
  }

  it("the plugin's own writes reload nothing; a user's edit reloads the importers", async () => {
    const updates = hotUpdatesOf(project.lockfile);
    await dev.start(project.root, testOptions(project, replica.url), { before: [updates.before], after: [updates.after] });
    await blobUrlOf("/src/main.js");
    await expect.poll(() => readFile(project.lockfile, "utf8").catch(() => ""), { timeout: 5000 }).toContain('"battle-theme-a"');
    const sent = recordHot();

    // A new import while the page runs: the plugin writes the lockfile again (now watched).
    await writeFile(path.join(project.root, "src/extra.js"), `import coin from "oga:retro-sfx-pack/coin.wav";\nexport { coin };\n`);
    await blobUrlOf("/src/extra.js");
    // The lockfile as the plugin leaves it: the asset described, the file downloaded and hashed,
    // the specifier recorded (flushes may write these one at a time).
    await expect
      .poll(
        async () => {
          const lock = await readLockfile(project.lockfile);
          return [lock.specifiers.includes("oga:retro-sfx-pack/coin.wav"), lock.assets["retro-sfx-pack"]?.files["coin.wav"]?.sha256 !== undefined];
        },
        { timeout: 5000 },
      )
      .toEqual([true, true]);
    const written = await readFile(project.lockfile, "utf8");
    // The watcher reported that last write: Vite would have updated the oga: modules that watch
    // the lockfile, and oga's hook, knowing its own bytes, left none.
    const client = () => updates.seen.filter((u) => u.environment === "client");
    await expect.poll(() => client().some((u) => u.text === written), { timeout: 5000 }).toBe(true);
    expect(client().find((u) => u.text === written)!.before).toBeGreaterThan(0);
    expect(client().map((u) => u.after)).toEqual(client().map(() => 0));
    expect(sent.filter((p) => p.type === "full-reload" || p.type === "update")).toEqual([]);

    // The user pins another version by hand: the oga: modules and their importers reload.
    // The watcher re-attaches to the file the plugin renamed into place a moment after reporting
    // it, so an edit in that moment can go unseen: the user saves again until the reload comes.
    const edited = written.replace(/"title": "Battle Theme A"/, '"title": "Battle Theme A (edited)"');
    expect(edited).not.toBe(written);
    await expect
      .poll(
        async () => {
          await writeFile(project.lockfile, edited);
          return sent.filter((p) => p.type === "full-reload" || p.type === "update").length;
        },
        { timeout: 5000, interval: 200 },
      )
      .toBeGreaterThan(0);
    // This time oga's hook left the oga: modules to update.
    expect(client().find((u) => u.text === edited && u.after > 0)).toBeDefined();
  });
});
