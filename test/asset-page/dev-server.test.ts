/**
 * The asset page on real Vite 8 and Vite 7 dev servers against the replica: the banner line, the
 * page's files, its JSON API (the project's assets, search with lazy paging and the politeness
 * delay, descriptions, refused licenses) and the preview proxy. The page in a browser is
 * test/e2e/asset-page.test.ts.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { ViteDevServer } from "vite";
import { afterEach, describe, expect, it } from "vitest";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { ogaPlugin } from "../../src/plugin/index.js";
import { replicaBytes, testOptions } from "../plugin/helpers.js";
import { useProject, useReplica } from "../plugin/hooks.js";

type Vite = "vite8" | "vite7";

const replica = useReplica();
const project = useProject("game");

interface Running {
  server: ViteDevServer;
  origin: string;
  /** Lines Vite's logger printed (info), ANSI colours removed. */
  logs: string[];
}
let running: Running | undefined;
afterEach(async () => {
  await running?.server.close();
  running = undefined;
});

async function start(vite: Vite, extra: OgaPluginOptions = {}, base = "/"): Promise<Running> {
  const mod = vite === "vite8" ? await import("vite") : ((await import("vite7")) as unknown as typeof import("vite"));
  const logs: string[] = [];
  const logger = mod.createLogger("info");
  // eslint-disable-next-line no-control-regex
  logger.info = (message) => void logs.push(...message.replace(/\u001b\[[0-9;]*m/g, "").split("\n"));
  const server = await mod.createServer({
    root: project.root,
    base,
    configFile: false,
    customLogger: logger,
    server: { port: 0, host: "127.0.0.1" },
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [ogaPlugin(testOptions(project, replica.url, extra)) as never],
  });
  await server.listen();
  const origin = `http://127.0.0.1:${(server.httpServer!.address() as { port: number }).port}`;
  running = { server, origin, logs };
  return running;
}

async function get(url: string, init?: RequestInit): Promise<Response> {
  return fetch(running!.origin + url, init);
}

async function json<T>(url: string): Promise<T> {
  const res = await get(url);
  expect(res.status, `${url}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

/** Loads a source file and the `oga:` modules it imports, as a browser would. */
async function visit(url: string): Promise<void> {
  const code = await (await get(url)).text();
  for (const [, id] of code.matchAll(/from\s+["']([^"']*oga:[^"']*)["']/g)) expect((await get(id!)).status).toBe(200);
}

interface AssetJson {
  id: string;
  title: string;
  author: { name: string; url: string | null };
  collaborators: { name: string }[];
  licenses: { name: string; spdx: string; chosen: boolean; allowed: boolean; shareAlike: boolean; url: string | null }[];
  license: string | null;
  refused: string | null;
  shareAlike: boolean;
  credit: string | null;
  preview: { image: { src: string } | null; audio: { sources: { src: string; type: string }[]; waveform: string | null } | null } | null;
  files: { name: string; size: number | null; imported: boolean; importLine: string | null }[];
  importLine: string;
  loaded: boolean;
  inProject: boolean;
}

describe.each<Vite>(["vite8", "vite7"])("%s", (vite) => {
  it("prints the asset page's URL in the startup banner, after Local and Network, under `base`", async () => {
    const { server, origin, logs } = await start(vite, {}, "/game/");
    server.printUrls();
    const local = logs.findIndex((line) => line.includes("Local:"));
    const assets = logs.findIndex((line) => line.includes("Assets:"));
    expect(local).toBeGreaterThan(-1);
    expect(assets).toBeGreaterThan(local);
    expect(logs[assets]).toBe(`  ➜  Assets:  ${origin}/game/__oga/`);
    // The URL it prints is the page.
    const page = await get("/game/__oga/");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Assets · vite-plugin-oga</title>");
  });

  it("still prints it after the server restarts (Vite copies the new server onto the old)", async () => {
    const { server, logs } = await start(vite);
    await server.restart();
    logs.length = 0;
    server.printUrls();
    const local = server.resolvedUrls!.local[0]!;
    expect(logs.filter((line) => line.includes("Assets:"))).toEqual([`  ➜  Assets:  ${local}__oga/`]);
    expect((await fetch(`${local}__oga/api/project`)).status).toBe(200);
  });

  it("lists the project's assets: author, licenses, the credit line oga:credits gives, files and what the code imports", async () => {
    await start(vite);
    await visit("/src/main.js");
    const credits = await json<{ id: string; text: string }[]>("/@oga/credits.json");
    const { assets, offline, allowed } = await json<{ assets: AssetJson[]; offline: boolean; allowed: string[] | null }>("/__oga/api/project");
    expect({ offline, allowed }).toEqual({ offline: false, allowed: null });
    expect(assets.map((a) => a.id)).toEqual(["battle-theme-a", "imminent-threat", "retro-sfx-pack", "tiny-sprites"]);
    for (const asset of assets) {
      expect(asset.loaded, asset.id).toBe(true);
      expect(asset.credit, asset.id).toBe(credits.find((c) => c.id === asset.id)!.text);
    }
    const battle = assets[0]!;
    expect(battle).toMatchObject({
      title: "Battle Theme A",
      author: { name: "cynicmusic", url: "https://opengameart.org/users/cynicmusic" },
      license: "CC0",
      refused: null,
      shareAlike: false,
      importLine: 'import battleThemeA from "oga:battle-theme-a";',
      inProject: true,
    });
    expect(battle.licenses.map((l) => [l.name, l.spdx, l.chosen, l.allowed])).toEqual([
      ["CC0", "CC0-1.0", true, true],
      ["CC-BY 3.0", "CC-BY-3.0", false, true],
    ]);
    // The default import uses the main file only.
    expect(battle.files.map((f) => [f.name, f.imported, f.importLine])).toEqual([
      ["battleThemeA.mp3", true, 'import battleThemeA from "oga:battle-theme-a/battleThemeA.mp3";'],
      ["battleThemeA.ogg", false, 'import battleThemeA from "oga:battle-theme-a/battleThemeA.ogg";'],
    ]);
    expect(battle.files[0]!.size).toBe((await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3")).length);
    // The glob `*.ogg` uses the three .ogg files, not the zip pack.
    const threat = assets[1]!;
    expect(threat.files.filter((f) => f.imported).map((f) => f.name)).toEqual(["imminent_threat_beat1.ogg", "imminent_threat_beat2.ogg", "imminent_threat_loop.ogg"]);
    // Co-authors are there, as in the credits.
    expect(assets[2]!.collaborators.map((p) => p.name)).toEqual(["Eliza Wyatt", "Kenney"]);
    // An audio preview is the site's player (Ogg first), a picture the thumbnail: all through the dev server.
    expect(battle.preview?.audio?.sources.map((s) => s.type)).toEqual(["audio/ogg", "audio/mpeg"]);
    expect(assets[3]!.preview?.image?.src).toBe(
      `api/media?url=${encodeURIComponent("https://opengameart.org/sites/default/files/styles/medium/public/hero_16.png?itok=Zx9aQ1Rb")}`,
    );
  });
});

describe("the page's files", () => {
  it("redirects /__oga to /__oga/ and serves the page, its style and script; the CSP keeps everything on the dev server", async () => {
    await start("vite8");
    const bare = await get("/__oga", { redirect: "manual" });
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/__oga/");
    const page = await get("/__oga/");
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy")!;
    for (const directive of ["default-src 'none'", "script-src 'self'", "img-src 'self'", "media-src 'self'", "connect-src 'self'"]) expect(csp).toContain(directive);
    for (const [file, type] of [["page.js", "text/javascript"], ["page.css", "text/css"], ["icon.svg", "image/svg+xml"]] as const) {
      const res = await get(`/__oga/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get("content-type")).toContain(type);
    }
    expect((await get("/__oga/tsconfig.json")).status).toBe(404);
    expect((await get("/__oga/api/project", { method: "POST" })).status).toBe(405);
  });

  it("answers its API only to the page itself, not to another site open in the browser", async () => {
    await start("vite8");
    expect((await get("/__oga/api/project", { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
    expect((await get("/__oga/api/project", { headers: { "Sec-Fetch-Site": "same-origin" } })).status).toBe(200);
  });
});

describe("search", () => {
  it("queries the site through the plugin's client: results with their picture and import line", async () => {
    await start("vite8");
    replica.requests.reset();
    const batch = await json<{ results: { id: string; title: string; thumbnail: string | null; importLine: string }[]; total: number | null; more: boolean }>(
      "/__oga/api/search?title=Tiny%20Sprites&type=2d&license=cc0&sort=favorites",
    );
    expect(batch.results.map((r) => r.id)).toEqual(["tiny-sprites"]);
    expect(batch).toMatchObject({ total: 1, more: false });
    expect(batch.results[0]!.importLine).toBe('import tinySprites from "oga:tiny-sprites";');
    const asked = new URL(replica.url + replica.requests.last("/art-search-advanced")!.path).searchParams;
    expect(Object.fromEntries(asked)).toMatchObject({ title: "Tiny Sprites", sort_by: "count", items_per_page: "24", "field_art_type_tid[]": "9", "field_art_licenses_tid[]": "4" });
    const thumbnail = await get(`/__oga/${batch.results[0]!.thumbnail}`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get("content-type")).toBe("image/png");
  });

  it("pages lazily, one result page per batch, the client's politeness delay apart", async () => {
    process.env.OGA_SEARCH_DELAY = "0.4";
    try {
      await start("vite8");
    } finally {
      delete process.env.OGA_SEARCH_DELAY;
    }
    replica.requests.reset();
    const first = await json<{ results: { id: string }[]; total: number; more: boolean; offset: number }>("/__oga/api/search?sort=created");
    expect(first.results).toHaveLength(24);
    expect(first.more).toBe(true);
    expect(first.total).toBeGreaterThan(48);
    expect(replica.requests.count("/art-search-advanced")).toBe(1);
    const second = await json<{ results: { id: string }[]; offset: number }>("/__oga/api/search?sort=created&offset=24");
    expect(second.offset).toBe(24);
    expect(second.results).toHaveLength(24);
    expect(second.results.map((r) => r.id)).not.toContain(first.results[0]!.id);
    const pages = replica.requests.filter("/art-search-advanced");
    expect(pages.map((r) => new URL(replica.url + r.path).searchParams.get("page"))).toEqual([null, "1"]);
    expect(pages[1]!.at - pages[0]!.at).toBeGreaterThanOrEqual(400);
    // Asking again for a batch already read costs no request.
    await json("/__oga/api/search?sort=created");
    expect(replica.requests.count("/art-search-advanced")).toBe(2);
  });

  it("says why on bad filters (400), and that it needs the network when offline (503)", async () => {
    await start("vite8");
    const bad = await get("/__oga/api/search?sort=loudness");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("allowed: favorites, created, views, relevance");
    expect((await get("/__oga/api/search?sort=relevance")).status).toBe(400);
    await running!.server.close();
    await start("vite8", { offline: true });
    const offline = await get("/__oga/api/search?keys=battle");
    expect(offline.status).toBe(503);
    expect(((await offline.json()) as { message: string }).message).toContain("Search needs the network");
  });
});

describe("describing and licenses", () => {
  it("marks an asset the `licenses` option refuses instead of hiding it, with the build's message", async () => {
    await start("vite8", { licenses: ["CC0"] });
    const asset = await json<AssetJson>("/__oga/api/asset?id=dungeon-tileset");
    expect(asset).toMatchObject({ id: "dungeon-tileset", license: null, credit: null, inProject: false, loaded: false });
    expect(asset.refused).toContain('asset "dungeon-tileset" is offered under CC-BY-SA 3.0, GPL 3.0; none of them is in the allowed licenses (CC0)');
    expect(asset.licenses.map((l) => [l.name, l.allowed, l.chosen])).toEqual([
      ["CC-BY-SA 3.0", false, false],
      ["GPL 3.0", false, false],
    ]);
    // Described once; the cached description answers the next time.
    replica.requests.reset();
    await json("/__oga/api/asset?id=dungeon-tileset");
    expect(replica.requests.count("/content/")).toBe(0);
    // A search lists it all the same.
    const found = await json<{ results: { id: string }[] }>("/__oga/api/search?title=Dungeon%20Tileset");
    expect(found.results.map((r) => r.id)).toContain("dungeon-tileset");
  });

  it("flags share-alike, names the deed the page links, and refuses what is not an asset id", async () => {
    await start("vite8");
    const asset = await json<AssetJson>("/__oga/api/asset?id=dungeon-tileset");
    expect(asset).toMatchObject({ license: "CC-BY-SA 3.0", shareAlike: true });
    expect(asset.licenses[0]).toMatchObject({ chosen: true, spdx: "CC-BY-SA-3.0", url: "http://creativecommons.org/licenses/by-sa/3.0/" });
    for (const id of ["", "credits", "a/b", "../x", "has space"]) expect((await get(`/__oga/api/asset?id=${encodeURIComponent(id)}`)).status, id).toBe(400);
    expect((await get("/__oga/api/asset?id=no-such-asset")).status).toBe(404);
  });
});

describe("previews", () => {
  it("serves only the site's files, from the cache after the first time, with ranges for audio", async () => {
    await start("vite8");
    const asset = await json<AssetJson>("/__oga/api/asset?id=battle-theme-a");
    const mp3 = asset.preview!.audio!.sources.find((s) => s.type === "audio/mpeg")!.src;
    replica.requests.reset();
    const full = await get(`/__oga/${mp3}`);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("audio/mpeg");
    expect(full.headers.get("content-security-policy")).toContain("sandbox");
    const bytes = Buffer.from(await full.arrayBuffer());
    expect(bytes).toEqual(await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3"));
    const range = await get(`/__oga/${mp3}`, { headers: { Range: "bytes=10-19" } });
    expect(range.status).toBe(206);
    expect(range.headers.get("content-range")).toBe(`bytes 10-19/${bytes.length}`);
    expect(Buffer.from(await range.arrayBuffer())).toEqual(bytes.subarray(10, 20));
    expect(replica.requests.count("/sites/default/files/")).toBe(1);

    for (const url of ["https://elsewhere.example/sites/default/files/x.png", "javascript:alert(1)", "https://opengameart.org/user/1", "file:///etc/passwd", "http://127.0.0.1:1/sites/default/files/x.png", "https://opengameart.org/sites/default/files/%2E%2E"]) {
      expect((await get(`/__oga/api/media?url=${encodeURIComponent(url)}`)).status, url).toBe(400);
    }
  });

  it("offline: a cached preview is served, an uncached one is a 404; the project list still works", async () => {
    await start("vite8");
    await visit("/src/main.js");
    const online = await json<{ assets: AssetJson[] }>("/__oga/api/project");
    const sprite = online.assets.find((a) => a.id === "tiny-sprites")!.preview!.image!.src;
    expect((await get(`/__oga/${sprite}`)).status).toBe(200);
    await running!.server.close();

    await start("vite8", { offline: true });
    replica.requests.reset();
    const offline = await json<{ assets: AssetJson[]; offline: boolean }>("/__oga/api/project");
    expect(offline.offline).toBe(true);
    expect(offline.assets.map((a) => a.id)).toEqual(online.assets.map((a) => a.id));
    expect((await get(`/__oga/${sprite}`)).status).toBe(200);
    const uncached = `api/media?url=${encodeURIComponent("https://opengameart.org/sites/default/files/styles/medium/public/boss_64x48.png?itok=Zx9aQ1Rb")}`;
    expect((await get(`/__oga/${uncached}`)).status).toBe(404);
    expect(replica.requests.length).toBe(0);
  });
});

describe("uploaders' text", () => {
  it("reaches the page as JSON text; import lines stay valid JavaScript", async () => {
    replica.catalogue.addAsset({
      slug: "hostile-page",
      title: `</script><img src=x onerror=alert(1)> "Quotes" & <b>`,
      type: "2D Art",
      submitter: { name: "<i>Mallory</i>", slug: "mallory" },
      author: { kind: "link", name: "Mallory", url: "javascript:alert(1)" },
      postedAt: new Date(Date.UTC(2020, 0, 1)),
      licenses: ["CC0", "=cmd|' /C calc'!A0"],
      files: [{ path: `say "hi" <now>.png`, body: Buffer.from("not really a png") }],
    });
    await start("vite8");
    const asset = await json<AssetJson>("/__oga/api/asset?id=hostile-page");
    expect(asset.title).toBe(`</script><img src=x onerror=alert(1)> "Quotes" & <b>`);
    expect(asset.author).toEqual({ name: "Mallory", url: null });
    expect(asset.licenses[1]).toMatchObject({ name: "=cmd|' /C calc'!A0", spdx: "LicenseRef-cmd-C-calc-A0" });
    const line = asset.files[0]!.importLine!;
    expect(line).toBe(`import sayHiNow from "oga:hostile-page/say \\"hi\\" <now>.png";`);
    // The specifier in the line is the file's name exactly.
    expect(JSON.parse(line.slice(line.indexOf('"'), -1))).toBe(`oga:hostile-page/say "hi" <now>.png`);
  });
});

it("lists a new import without a restart once the dev server resolves it", async () => {
  await start("vite8");
  await writeFile(path.join(project.root, "src/level2.js"), `import tiles from "oga:dungeon-tileset/dungeon_tileset.png";\nexport { tiles };\n`);
  await visit("/src/level2.js");
  const { assets } = await json<{ assets: AssetJson[] }>("/__oga/api/project");
  expect(assets.map((a) => [a.id, a.loaded])).toEqual([["dungeon-tileset", true]]);
  expect(assets[0]!.files[0]).toMatchObject({ name: "dungeon_tileset.png", imported: true });
});
