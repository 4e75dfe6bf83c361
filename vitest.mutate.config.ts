import { defineConfig } from "vitest/config";

// The tests `npm run mutate` runs against each mutant: the ones that exercise the store, the lock and
// the project's policies in this process, through real files and the replica over HTTP. Every
// surviving mutant re-runs every test that reaches it, so whole Vite/Rollup builds (seconds each)
// are left to `npm test`: with them a run takes hours on two cores. Tests that run dist/ or a child
// process are left out too: a mutant lives only in this process's instrumented source.
export default defineConfig({
  test: {
    include: [
      "test/store/**/*.test.ts",
      "test/project/**/*.test.ts",
      "test/mutation/**/*.test.ts",
      "test/hostile/properties.test.ts",
      "test/plugin/lockfile.test.ts",
      "test/plugin/credits-unit.test.ts",
      "test/plugin/not-found-url.test.ts",
    ],
    // cross-process.test.ts runs the store in child processes, which no mutant reaches.
    exclude: ["node_modules/**", "test/store/cross-process.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 1,
  },
});
