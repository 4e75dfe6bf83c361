/**
 * The dev server's asset page (`/__oga/`) in headless Chromium, on the playground's dev server
 * against the replica: it lists the assets the game imports with author, license and the credit
 * line `oga:credits` gives; a search for a title shows the result with its picture and import
 * line; the copy button puts that line on the clipboard; every request stays on the dev server;
 * nothing is logged as an error. Writes the README's screenshot, docs/asset-page.png.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { minimalAsset } from "../replica/catalogue.js";
import { startReplica, type Replica } from "../replica/index.js";
import { launchChromium, openWatchedPage, waitForGame, type WatchedPage } from "./browser.js";
import { assetIdsOf, importedSpecifiers } from "./expectations.js";
import { clearSiteEnvironment, devPlayground, PLAYGROUND_ROOT, type RunningServer } from "./playground-servers.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCREENSHOT = path.join(REPO_ROOT, "docs/asset-page.png");
/** For a look at the other states; not committed. */
const SEARCH_SCREENSHOT = path.join(REPO_ROOT, "test/.tmp/asset-page-search.png");
const DARK_SCREENSHOT = path.join(REPO_ROOT, "test/.tmp/asset-page-dark.png");

/** What `/@oga/credits.json` (the dev server's `oga:credits`) says of an asset. */
interface DevCredit {
  id: string;
  title: string;
  author: { name: string };
  collaborators: { name: string }[];
  license: string;
  text: string;
}

/**
 * Writes the committed screenshot unless the file already shows the same page: Chromium scales
 * the previews a few pixels differently from run to run, and a test run should not leave a
 * changed binary behind for that.
 */
async function keepScreenshot(file: string, shot: Buffer): Promise<void> {
  const before = await readFile(file).catch(() => null);
  if (before) {
    const [a, b] = [PNG.sync.read(before), PNG.sync.read(shot)];
    if (a.width === b.width && a.height === b.height) {
      let differing = 0;
      for (let i = 0; i < a.data.length; i += 4) if (a.data.readUInt32BE(i) !== b.data.readUInt32BE(i)) differing++;
      if (differing < (a.width * a.height) / 2000) return;
    }
  }
  await writeFile(file, shot);
}

let replica: Replica;
let workDir: string;
let server: RunningServer;
let browser: Browser;
let assetIds: string[];
/** The asset page, opened once the game has loaded its assets. */
let assetPage: WatchedPage;

beforeAll(async () => {
  clearSiteEnvironment();
  replica = await startReplica();
  await mkdir(path.join(REPO_ROOT, "test/.tmp"), { recursive: true });
  workDir = await mkdtemp(path.join(REPO_ROOT, "test/.tmp/e2e-asset-page-"));
  assetIds = assetIdsOf(await importedSpecifiers(PLAYGROUND_ROOT));
  server = await devPlayground({ url: replica.url, workDir });
  browser = await launchChromium();
  // The game first: its imports are what "in this project" lists as imported now.
  const game = await openWatchedPage(browser, server.url);
  await waitForGame(game);
  await game.page.close();
  assetPage = await openWatchedPage(browser, new URL("__oga/", server.url).href, {
    viewport: { width: 1280, height: 900 },
    permissions: ["clipboard-read", "clipboard-write"],
    colorScheme: "light",
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await replica?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

test("lists every asset the game imports with its author, license and the credit line oga:credits gives", async () => {
  const { page } = assetPage;
  const credits = (await (await fetch(new URL("@oga/credits.json", server.url))).json()) as DevCredit[];
  expect(credits.map((c) => c.id).sort()).toEqual([...assetIds].sort());
  await expect.poll(() => page.locator("#project-list article").count(), { timeout: 15_000 }).toBe(assetIds.length);
  for (const credit of credits) {
    const card = page.locator(`#project-list article[data-id="${credit.id}"]`);
    await expect.poll(() => card.locator("h3").innerText()).toBe(credit.title);
    const byline = await card.locator(".byline").first().innerText();
    for (const name of [credit.author.name, ...credit.collaborators.map((p) => p.name)]) expect(byline, credit.id).toContain(name);
    expect(await card.locator(".license.chosen").innerText(), credit.id).toContain(credit.license);
    expect(await card.locator(".credit-text").innerText(), credit.id).toBe(credit.text);
    expect(await card.locator(".chip.live").innerText()).toBe("imported now");
  }
  // Share-alike is flagged where the chosen license asks for it.
  await expect.poll(() => page.locator('#project-list article[data-id="dungeon-tileset"] .note.warn').count()).toBe(1);
  // A sprite's picture, decoded, from the dev server.
  const sprite = page.locator('#project-list article[data-id="tiny-sprites"] .thumb img');
  await expect.poll(() => sprite.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
  expect(await sprite.getAttribute("src")).toMatch(/^api\/media\?url=https%3A%2F%2Fopengameart\.org%2Fsites%2Fdefault%2Ffiles%2F/);
  // Which files the code imports: the glob's three sprites of tiny-sprites.
  const files = page.locator('#project-list article[data-id="tiny-sprites"] .file-table tbody tr');
  expect(await files.count()).toBe(3);
  expect(await page.locator('#project-list article[data-id="tiny-sprites"] .file-table .used').count()).toBe(3);
  // The same picture every run: every image in view has loaded before the shot.
  await page.waitForFunction(() =>
    Array.from(document.images).filter((img) => img.getBoundingClientRect().top < innerHeight).every((img) => img.complete && img.naturalWidth > 0),
  );
  await keepScreenshot(SCREENSHOT, await page.screenshot({ fullPage: false, animations: "disabled", caret: "hide" }));
});

test("a search for a title shows the result with its picture and import line; Copy puts the line on the clipboard", async () => {
  const { page } = assetPage;
  // By keyboard: the arrow keys move between the tabs.
  await page.getByRole("tab", { name: /In this project/ }).focus();
  await page.keyboard.press("ArrowRight");
  expect(await page.getByRole("tab", { name: "Search" }).getAttribute("aria-selected")).toBe("true");
  expect(await page.locator("#search").isVisible()).toBe(true);
  await page.getByLabel("Search OpenGameArt").fill("Dungeon Tileset");
  await page.locator('select[name="field"]').selectOption("title");
  await page.getByLabel("Search OpenGameArt").press("Enter");
  const card = page.locator('#search-results article[data-id="dungeon-tileset"]');
  await card.waitFor({ timeout: 15_000 });
  const line = 'import dungeonTileset from "oga:dungeon-tileset";';
  await expect.poll(() => card.locator(".copyline code").first().innerText()).toBe(line);
  const picture = card.locator(".thumb img");
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
  // Described as it came into view: licenses and files are there too.
  await expect.poll(() => card.locator(".license").count(), { timeout: 10_000 }).toBeGreaterThan(0);

  await card.getByRole("button", { name: "Copy the import line of Dungeon Tileset" }).focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(line);
  await page.screenshot({ path: SEARCH_SCREENSHOT });
  // Readable in the dark too: the colours follow the system setting.
  const colours = () => page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
  const light = await colours();
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await colours();
  expect(dark).not.toEqual(light);
  await page.screenshot({ path: DARK_SCREENSHOT });
  await page.emulateMedia({ colorScheme: "light" });
});

test("an uploader's markup shows as text, and no link leads anywhere but http(s)", async () => {
  const title = `Hostile <img src=x onerror="window.__pwned=1"> & "friends"`;
  replica.catalogue.addAsset(
    minimalAsset("hostile-page", {
      title,
      author: { kind: "link", name: `<b onmouseover="window.__pwned=2">Mallory</b>`, url: "javascript:window.__pwned=3" },
      licenses: ["CC0", `<script>window.__pwned=4</script>`],
      attribution: "=HYPERLINK(\"http://evil.example\")",
    }),
  );
  const { page } = assetPage;
  await page.getByLabel("Search OpenGameArt").fill("Hostile");
  await page.getByLabel("Search OpenGameArt").press("Enter");
  const card = page.locator('#search-results article[data-id="hostile-page"]');
  await card.waitFor({ timeout: 15_000 });
  await expect.poll(() => card.locator(".license").count(), { timeout: 10_000 }).toBe(2);
  expect(await card.locator("h3").innerText()).toBe(title);
  expect(await card.locator(".byline").first().innerText()).toBe(`by <b onmouseover="window.__pwned=2">Mallory</b>`);
  expect(await card.locator(".license").nth(1).innerText()).toContain("<script>window.__pwned=4</script>");
  await card.locator(".byline").first().hover();
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await card.locator("img:not([src^='api/media?'])").count()).toBe(0);
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
  expect(hrefs.filter((href) => !/^https?:\/\//.test(href))).toEqual([]);
});

test("every request stayed on the dev server, and the page logged no error", () => {
  const origin = new URL(server.url).origin;
  const elsewhere = assetPage.responses.map((r) => r.url()).filter((url) => new URL(url).origin !== origin);
  expect(elsewhere).toEqual([]);
  expect(assetPage.problems).toEqual([]);
  // Loaded once (switching tabs only changes the hash).
  expect(assetPage.responses.filter((r) => r.request().resourceType() === "document")).toHaveLength(1);
});
