import { defineConfig } from "vitest/config";

/** The browser test: real builds of the playground (which import dist/, rebuilt when stale), a real Chromium. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["test/build-dist.ts", "test/e2e/require-chromium.ts"],
    // One Chromium and one replica per file; files run one after another on a two-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    // beforeAll builds the playground and starts Chromium.
    hookTimeout: 180_000,
  },
});
