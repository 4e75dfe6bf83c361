/**
 * Vitest global setup of the browser tests: without Chromium the run stops before building
 * anything, with one line that says what to install or set, instead of a Playwright stack.
 */
import { missingChromium } from "./browser.js";

export default function requireChromium(): void {
  const missing = missingChromium();
  if (!missing) return;
  process.stderr.write(`${missing}\n`);
  process.exit(1);
}
