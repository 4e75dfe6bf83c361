/**
 * The playground in headless Chromium, built (`vite build` + `vite preview`) and in `vite dev`,
 * against the replica: every sprite decodes, the music loads with a Range request, every sound
 * effect loads, the zip pack entries the game imports load like any other file, the credits
 * screen (from `oga:credits`) lists every imported asset, and the page logs no error and loses
 * no request. Expectations come from the playground's imports and the replica's catalogue.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import picomatch from "picomatch";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startReplica, type Replica } from "../replica/index.js";
import { MP3_FRAME_BYTES, MP3_FRAME_SECONDS } from "../replica/media.js";
import { launchChromium, openWatchedPage, waitForGame, type WatchedPage } from "./browser.js";
import { assetIdsOf, expectedCredit, fileHashes, importedSpecifiers, sha256, zipEntrySpecifiers } from "./expectations.js";
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
const CREDITS_SCREENSHOT = path.join(REPO_ROOT, "test/.tmp/playground-credits.png");

let replica: Replica;
/** The build and the dev server each get their own cache and lockfile: dev must work cold too. */
let buildSite: SiteOptions;
let devSite: SiteOptions;
let outDir: string;
let browser: Browser;
/** `oga:` specifiers in playground/src, without the prefix. */
let specifiers: string[];
let assetIds: string[];
/** sha256 → "<asset>/<file>" (or "<asset>/<zip>/<entry>") for every file of every imported asset. */
let knownFiles: Map<string, string>;

beforeAll(async () => {
  clearSiteEnvironment();
  replica = await startReplica();
  await mkdir(path.join(REPO_ROOT, "test/.tmp"), { recursive: true });
  const scratch = (): Promise<string> => mkdtemp(path.join(REPO_ROOT, "test/.tmp/e2e-"));
  buildSite = { url: replica.url, workDir: await scratch() };
  devSite = { url: replica.url, workDir: await scratch() };
  specifiers = await importedSpecifiers(PLAYGROUND_ROOT);
  assetIds = assetIdsOf(specifiers);
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
  // Issue 4: the playground uses at least one zip pack, and each pack import names entries the
  // replica's zips really hold (else the pack test below would compare against nothing).
  const packImports = zipEntrySpecifiers(specifiers);
  expect(packImports.length).toBeGreaterThan(0);
  for (const specifier of packImports) {
    const matches = picomatch(specifier);
    expect([...knownFiles.values()].filter((file) => matches(file)), specifier).not.toEqual([]);
  }
});

const TSC = path.join(REPO_ROOT, "node_modules/.bin/tsc");

test("the declarations the build generated type-check the game", async () => {
  await expect(promisify(execFile)(TSC, ["--noEmit", "-p", PLAYGROUND_ROOT])).resolves.toBeDefined();
});

test("the declarations reject a misspelled entry of the zip pack", async () => {
  // The game's sources plus one file with a typo, under the playground's own compiler options,
  // so this fails for the declarations and nothing else (the clean run above is the control).
  const dir = await mkdtemp(path.join(REPO_ROOT, "test/.tmp/tsc-"));
  try {
    const zipImport = zipEntrySpecifiers(specifiers).find((specifier) => specifier.includes("*"));
    expect(zipImport, "a glob into a zip pack").toBeDefined();
    const key = [...knownFiles.values()].find((file) => picomatch(zipImport!)(file))!.slice(zipImport!.indexOf("/") + 1);
    const typo = key.replace(/\.(\w+)$/, "x.$1");
    await writeFile(path.join(dir, "misspelled.ts"), `import files from "oga:${zipImport}";\nexport const url: string = files[${JSON.stringify(typo)}];\n`);
    await writeFile(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: path.join(PLAYGROUND_ROOT, "tsconfig.json"),
        // `types` holds a path relative to the playground, which TypeScript does not rebase.
        compilerOptions: { types: [path.join(REPO_ROOT, "client.d.ts"), "vite/client"] },
        include: [path.join(PLAYGROUND_ROOT, "src"), "misspelled.ts"],
      }),
    );
    const failure = await promisify(execFile)(TSC, ["--noEmit", "--pretty", "false", "-p", dir]).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? "",
    );
    expect(failure).toContain("misspelled.ts");
    expect(failure).toContain(typo);
    expect(failure.split("\n").filter((line) => line.includes("error TS") && !line.includes("misspelled.ts"))).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Bytes behind a URL the page used (http or data:), to prove it is an asset's real file. */
async function servedFile(url: string): Promise<string | undefined> {
  const response = await fetch(url);
  expect(response.ok, url).toBe(true);
  return knownFiles.get(sha256(new Uint8Array(await response.arrayBuffer())));
}

/** One item of the credits screen as the page renders it. */
interface ScreenCredit {
  id: string;
  title: { text: string; href: string } | null;
  /** Text of the `.license` element (a link to the deed, or plain text when there is none). */
  license: string;
  licenseLink: { text: string; href: string } | null;
  text: string;
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

  /** Opens the credits screen with its button, reads it, and closes it again. */
  async function readCreditsScreen(): Promise<ScreenCredit[]> {
    const { page } = watched;
    await page.click("#credits-toggle");
    await page.locator("#credits").waitFor({ state: "visible" });
    const items = await page.$$eval("#credits-list li", (lis) =>
      lis.map((li) => {
        const anchor = (selector: string): { text: string; href: string } | null => {
          const a = li.querySelector<HTMLAnchorElement>(selector);
          return a ? { text: a.textContent ?? "", href: a.href } : null;
        };
        return {
          id: li.dataset.asset ?? "",
          title: anchor("a.title"),
          license: li.querySelector(".license")?.textContent ?? "",
          licenseLink: anchor("a.license"),
          text: li.textContent ?? "",
        };
      }),
    );
    await page.click("#credits-toggle");
    await page.locator("#credits").waitFor({ state: "hidden" });
    return items;
  }

  test("the credits screen lists every imported asset from oga:credits, with title, author, license and page", async () => {
    const { page } = watched;
    // In dev the plugin lists assets as they load and refills oga:credits through HMR, which may
    // land after the game started; the list must reach the full set within a bound.
    const liveIds = (): Promise<string[]> => page.evaluate(() => window.__game!.credits.map((credit) => credit.id));
    await page
      .waitForFunction((ids) => window.__game!.credits.map((credit) => credit.id).join("\n") === ids.join("\n"), assetIds, { timeout: 10_000 })
      .catch(async (error: unknown) => {
        throw new Error(`oga:credits lists ${JSON.stringify(await liveIds())}, expected ${JSON.stringify(assetIds)}`, { cause: error });
      });
    const live = await page.evaluate(() => window.__game!.credits.map((credit) => ({ ...credit })));
    const items = await readCreditsScreen();
    // Sorted by id, one item per asset: the same order as the scanned (sorted) imports.
    expect(items.map((item) => item.id)).toEqual(assetIds);
    for (const [i, item] of items.entries()) {
      const expected = expectedCredit(replica.catalogue.getAsset(item.id)!);
      const credit = live[i]!;
      // The canonical page, though the replica (a mirror, to the plugin) served it.
      expect(item.title).toEqual({ text: expected.title, href: `https://opengameart.org/content/${item.id}` });
      expect(item.text).toContain(expected.author);
      for (const name of expected.collaborators) expect(item.text, item.id).toContain(name);
      // The license the plugin chose, one the asset is offered under, linked to its deed (the
      // playground's assets all use licenses the plugin knows, so each has a deed URL).
      expect(expected.licenses).toContain(item.license);
      expect(credit.licenseUrl, item.id).not.toBeNull();
      expect(item.licenseLink).toEqual({ text: credit.license, href: credit.licenseUrl });
      // Every other license offered is named too, so a player sees the choice.
      for (const license of expected.licenses) expect(item.text).toContain(license);
      expect(item.text.includes("share-alike")).toBe(credit.shareAlike);
      expect(item.text).toContain(expected.attribution);
    }
    if (screenshot) {
      await page.click("#credits-toggle");
      await page.locator("#credits").waitFor({ state: "visible" });
      await page.screenshot({ path: CREDITS_SCREENSHOT });
      await page.click("#credits-toggle");
    }
  });

  test("the credits screen re-reads oga:credits each time it is shown", async () => {
    const { page } = watched;
    expect((await readCreditsScreen()).map((item) => item.id)).toEqual(assetIds);
    // What a dev-server hot update does: refill the same array in place. A screen rendered once at
    // start-up would keep showing the old list.
    await page.evaluate(() => {
      const credits = window.__game!.credits;
      (window as unknown as { __removed: unknown[] }).__removed = credits.splice(0, 1);
    });
    expect((await readCreditsScreen()).map((item) => item.id)).toEqual(assetIds.slice(1));
    await page.evaluate(() => {
      const credits = window.__game!.credits;
      credits.unshift(...((window as unknown as { __removed: typeof credits }).__removed));
    });
    expect((await readCreditsScreen()).map((item) => item.id)).toEqual(assetIds);
  });

  test("loads once: nothing reloads the page behind the player's back", () => {
    // A full reload (e.g. a dev server reacting to a file the plugin itself wrote) restarts the
    // game and aborts requests in flight; only the test's own page.goto may load the document.
    expect(watched.loads).toEqual([server.url]);
  });

  test("logs no console error and loses no request", () => {
    expect(watched.problems).toEqual([]);
  });
});
