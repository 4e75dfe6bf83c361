import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    // Builds dist/ when a source is newer: CLI tests run dist/, never an older build of it.
    globalSetup: ["test/build-dist.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Builds and the replica are real; two cores, so keep file parallelism modest.
    maxWorkers: 2,
  },
});
