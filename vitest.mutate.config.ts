import { defineConfig } from "vitest/config";

// The tests `npm run mutate` runs against each mutant: the ones that exercise the store, the lock and the
// project's policies in this process (real files, the replica over HTTP, real Vite/Rollup builds). Tests
// that run dist/ or a child process are left out: a mutant lives only in this process's instrumented source.
export default defineConfig({
  test: {
    include: [
      "test/store/**/*.test.ts",
      "test/project/**/*.test.ts",
      "test/mutation/**/*.test.ts",
      "test/hostile/properties.test.ts",
      "test/plugin/lockfile.test.ts",
      "test/plugin/credits-unit.test.ts",
      "test/plugin/credits.test.ts",
      "test/plugin/archives.test.ts",
      "test/plugin/archive-errors.test.ts",
      "test/plugin/not-found-url.test.ts",
      "test/plugin/withdrawn.test.ts",
      "test/faults/build.test.ts",
      "test/faults/cache-damage.test.ts",
    ],
    // cross-process.test.ts runs the store in child processes, which no mutant reaches.
    exclude: ["node_modules/**", "test/store/cross-process.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 1,
  },
});
