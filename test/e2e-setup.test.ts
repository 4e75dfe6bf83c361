/**
 * The browser test run without Chromium: it must stop at once with the one line that says how to
 * get the browser (test/e2e/require-chromium.ts), not a Playwright stack.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

it("npm run test:e2e without Chromium says what to install or set, in one line, and fails", async () => {
  const missing = "/nonexistent/chromium";
  const child = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--config", "vitest.e2e.config.ts"], {
    cwd: ROOT,
    env: { ...process.env, CHROMIUM_PATH: missing, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(code).not.toBe(0);
  expect(stderr.trim().split("\n")).toEqual([`The browser tests need Chromium at ${missing}: install it (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`]);
}, 60_000);
