/**
 * Headless Debian Chromium through playwright-core, and a page wrapper that records what the
 * tests must prove did not happen: console errors, page errors, failed or refused requests.
 */
/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser; the DOM types let them be checked like the game.
import { accessSync, constants } from "node:fs";
import { chromium, type Browser, type Page, type Response } from "playwright-core";

/** The fields of an `oga:credits` entry this test reads (client.d.ts has the full type). */
export interface PageCredit {
  id: string;
  license: string;
  licenseUrl: string | null;
  shareAlike: boolean;
  licenses: string[];
}

/** What the playground exposes for this test (playground/src/main.ts, `window.__game`). */
export interface GameHandle {
  images: HTMLImageElement[];
  music: HTMLAudioElement;
  effects: HTMLAudioElement[];
  /** The very array `oga:credits` exported, which the dev server refills in place. */
  credits: PageCredit[];
}

declare global {
  interface Window {
    __game?: GameHandle;
  }
}

/** Debian's build; a test must never download a browser. `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** One line saying how to get the browser when it is not there, else undefined. */
export function missingChromium(): string | undefined {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return undefined;
  } catch {
    return `The browser tests need Chromium at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`;
  }
}

export function launchChromium(): Promise<Browser> {
  const missing = missingChromium();
  if (missing) return Promise.reject(new Error(missing));
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox", // containers and CI run as root
      "--autoplay-policy=no-user-gesture-required",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught exceptions, failed requests and HTTP errors, one line each. */
  problems: string[];
  /** Every response the page received, in order. */
  responses: Response[];
  /** URL of every load of the top document: one entry, unless something reloaded the page. */
  loads: string[];
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Browser permissions for the page's context (`clipboard-read`, `clipboard-write`). */
  permissions?: string[];
  colorScheme?: "light" | "dark";
}

export async function openWatchedPage(browser: Browser, url: string, options: PageOptions = {}): Promise<WatchedPage> {
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 720, height: 620 },
    ...(options.permissions && { permissions: options.permissions }),
    ...(options.colorScheme && { colorScheme: options.colorScheme }),
  });
  const problems: string[] = [];
  const responses: Response[] = [];
  const loads: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) loads.push(frame.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    problems.push(`request failed: ${request.resourceType()} ${request.url()} (${request.failure()?.errorText ?? "unknown"})`);
  });
  page.on("response", (response) => {
    responses.push(response);
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(url);
  return { page, problems, responses, loads };
}

/**
 * Waits until the game has loaded its sprites (`window.__game`). On a timeout the error lists
 * what the page reported, which says far more than "Timeout exceeded".
 */
export async function waitForGame(watched: WatchedPage, timeoutMs = 15_000): Promise<void> {
  try {
    await watched.page.waitForFunction(() => window.__game !== undefined, null, { timeout: timeoutMs });
  } catch (error) {
    const seen = watched.problems.length > 0 ? watched.problems.join("\n") : "(no errors logged)";
    throw new Error(`the game did not start within ${timeoutMs} ms:\n${seen}`, { cause: error });
  }
}
