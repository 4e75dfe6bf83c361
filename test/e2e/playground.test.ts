/**
 * The playground in headless Chromium, built (`vite build` + `vite preview`) and in `vite dev`,
 * against the replica: every sprite decodes, the music loads with a Range request, every sound
 * effect loads, the credits list every imported asset, and the page logs no error and loses no
 * request. Expectations come from the playground's imports and the replica's catalogue.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startReplica, type Replica } from "../replica/index.js";
import { MP3_FRAME_BYTES, MP3_FRAME_SECONDS } from "../replica/media.js";
import { launchChromium, openWatchedPage, waitForGame, type WatchedPage } from "./browser.js";
import { expectedCredit, fileHashes, importedAssetIds, sha256 } from "./expectations.js";
import {
  buildPlayground,
  clearSiteEnvironment,
  devPlayground,
  PLAYGROUND_ROOT,
  previewPlayground,
  type RunningServer,
  type SiteOptions,
} from "./playground-servers.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCREENSHOT = path.join(REPO_ROOT, "test/.tmp/playground.png");

let replica: Replica;
/** The build and the dev server each get their own cache and lockfile: dev must work cold too. */
let buildSite: SiteOptions;
let devSite: SiteOptions;
let outDir: string;
let browser: Browser;
let assetIds: string[];
/** sha256 → "<asset>/<file>" for every file of every imported asset. */
let knownFiles: Map<string, string>;

beforeAll(async () => {
  clearSiteEnvironment();
  replica = await startReplica();
  await mkdir(path.join(REPO_ROOT, "test/.tmp"), { recursive: true });
  const scratch = (): Promise<string> => mkdtemp(path.join(REPO_ROOT, "test/.tmp/e2e-"));
  buildSite = { url: replica.url, workDir: await scratch() };
  devSite = { url: replica.url, workDir: await scratch() };
  assetIds = await importedAssetIds(PLAYGROUND_ROOT);
  knownFiles = await fileHashes(replica.catalogue, assetIds);
  outDir = await buildPlayground(buildSite);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await replica?.close();
  for (const site of [buildSite, devSite]) if (site) await rm(site.workDir, { recursive: true, force: true });
});

test("the playground imports assets the replica has", () => {
  // Guards the derived expectations below: an empty scan would make every check vacuous.
  expect(assetIds.length).toBeGreaterThanOrEqual(3);
  expect(knownFiles.size).toBeGreaterThanOrEqual(assetIds.length);
});

test("the declarations the build generated type-check the game", async () => {
  const tsc = path.join(REPO_ROOT, "node_modules/.bin/tsc");
  await expect(promisify(execFile)(tsc, ["--noEmit", "-p", PLAYGROUND_ROOT])).resolves.toBeDefined();
});

/** Bytes behind a URL the page used (http or data:), to prove it is an asset's real file. */
async function servedFile(url: string): Promise<string | undefined> {
  const response = await fetch(url);
  expect(response.ok, url).toBe(true);
  return knownFiles.get(sha256(new Uint8Array(await response.arrayBuffer())));
}

describe.each([
  { mode: "vite preview", start: (): Promise<RunningServer> => previewPlayground(buildSite, outDir), screenshot: true },
  { mode: "vite dev", start: (): Promise<RunningServer> => devPlayground(devSite), screenshot: false },
])("$mode", ({ start, screenshot }) => {
  let server: RunningServer;
  let watched: WatchedPage;

  beforeAll(async () => {
    server = await start();
    watched = await openWatchedPage(browser, server.url);
    await waitForGame(watched);
  });

  afterAll(async () => {
    await watched?.page.close();
    await server?.close();
  });

  test("every sprite decodes to a file of an imported asset", async () => {
    const images = await watched.page.evaluate(async () =>
      Promise.all(
        window.__game!.images.map(async (img) => {
          await img.decode();
          return { src: img.src, width: img.naturalWidth, height: img.naturalHeight };
        }),
      ),
    );
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image.width, image.src).toBeGreaterThan(0);
      expect(image.height, image.src).toBeGreaterThan(0);
      expect(await servedFile(image.src), image.src).toMatch(/\.png$/);
    }
  });

  test("the canvas shows the sprites", async () => {
    // Let a few frames draw, then count colours: an empty or failed canvas has one or two.
    await watched.page.waitForTimeout(300);
    const colours = await watched.page.evaluate(() => {
      const canvas = document.querySelector("canvas")!;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(5);
    if (screenshot) await watched.page.screenshot({ path: SCREENSHOT });
  });

  test("the music loads through a Range request and knows its duration", async () => {
    const music = await watched.page.evaluate(async () => {
      const audio = window.__game!.music;
      if (audio.readyState < HTMLMediaElement.HAVE_METADATA) {
        await new Promise((resolve, reject) => {
          audio.addEventListener("loadedmetadata", resolve, { once: true });
          audio.addEventListener("error", () => reject(new Error(audio.error?.message ?? "media error")), { once: true });
          if (audio.error) reject(new Error(audio.error.message));
        });
      }
      return { src: audio.currentSrc, duration: audio.duration };
    });
    const file = await servedFile(music.src);
    expect(file, music.src).toMatch(/\.mp3$/);
    // The replica's MP3 is whole constant-bitrate frames, so its length follows from its size.
    const size = (await (await fetch(music.src)).arrayBuffer()).byteLength;
    expect(Number.isFinite(music.duration)).toBe(true);
    expect(music.duration).toBeCloseTo((size / MP3_FRAME_BYTES) * MP3_FRAME_SECONDS, 0);
    const ranged = watched.responses.filter((r) => r.url() === music.src && r.status() === 206);
    expect(ranged.length, "a 206 answer to the <audio> element's Range request").toBeGreaterThan(0);
    expect(await ranged[0]!.request().headerValue("range")).toMatch(/^bytes=\d+-/);
  });

  test("the play button starts and pauses the music", async () => {
    const { page } = watched;
    await page.click("#music-toggle");
    // The label follows the element's play/pause events, which arrive after the click returns.
    const labelSays = (text: string): boolean => document.getElementById("music-toggle")!.textContent!.includes(text);
    await page.waitForFunction(() => !window.__game!.music.paused && window.__game!.music.currentTime > 0);
    await page.waitForFunction(labelSays, "Pause", { timeout: 5_000 });
    await page.click("#music-toggle");
    expect(await page.evaluate(() => window.__game!.music.paused)).toBe(true);
    await page.waitForFunction(labelSays, "Play", { timeout: 5_000 });
  });

  test("every sound effect loads, and input plays them", async () => {
    await watched.page.keyboard.press("Space");
    await watched.page.mouse.click(100, 150);
    const effects = await watched.page.evaluate(() =>
      Promise.all(
        window.__game!.effects.map(async (audio) => {
          if (audio.readyState < HTMLMediaElement.HAVE_METADATA) {
            await new Promise((resolve, reject) => {
              audio.addEventListener("loadedmetadata", resolve, { once: true });
              audio.addEventListener("error", () => reject(new Error(`${audio.src}: ${audio.error?.message}`)), { once: true });
            });
          }
          return { src: audio.currentSrc, duration: audio.duration };
        }),
      ),
    );
    expect(effects.length).toBeGreaterThan(0);
    for (const effect of effects) {
      expect(effect.duration, effect.src).toBeGreaterThan(0);
      expect(await servedFile(effect.src), effect.src).toMatch(/\.wav$/);
    }
  });

  test("the credits screen lists every imported asset with title, author, license and page", async () => {
    const { page } = watched;
    await page.click("#credits-toggle");
    await page.locator("#credits").waitFor({ state: "visible" });
    const items = await page.$$eval("#credits-list li", (lis) =>
      lis.map((li) => {
        const link = li.querySelector("a");
        return { id: li.dataset.asset ?? "", title: link?.textContent ?? "", href: link?.href ?? "", text: li.textContent ?? "" };
      }),
    );
    await page.click("#credits-toggle");
    expect(items.map((item) => item.id).sort()).toEqual(assetIds);
    for (const item of items) {
      const expected = expectedCredit(replica.catalogue.getAsset(item.id)!);
      expect(item.title).toBe(expected.title);
      expect(item.href).toBe(`${replica.url}/content/${item.id}`);
      expect(item.text).toContain(expected.author);
      for (const license of expected.licenses) expect(item.text).toContain(license);
      expect(item.text).toContain(expected.attribution);
    }
  });

  test("logs no console error and loses no request", () => {
    expect(watched.problems).toEqual([]);
  });
});
