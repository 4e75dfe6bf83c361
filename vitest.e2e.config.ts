import { defineConfig } from "vitest/config";

/** The browser test: real builds of the playground, a real Chromium. Run after `npm run build`. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["test/e2e/require-chromium.ts"],
    // One Chromium and one replica per file; files run one after another on a two-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    // beforeAll builds the playground and starts Chromium.
    hookTimeout: 180_000,
  },
});
