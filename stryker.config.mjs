// @ts-check
/**
 * Mutation testing of the modules that carry the README's guarantees (`npm run mutate`; not part of
 * `npm test`). One module at a time: `npm run mutate -- --mutate src/store/lockfile.ts`.
 * Scores and explained survivors: test/MUTATION.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts", related: false },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    "src/store/lockfile.ts",
    "src/store/lockfile-fields.ts",
    "src/store/file-name.ts",
  ],
  // Stryker rewrites the tsconfig in its sandbox through the TypeScript compiler API, which TypeScript 7
  // no longer has; ours refers to nothing outside the project, so there is nothing to rewrite.
  tsconfigFile: "no-tsconfig-rewrite.json",
  coverageAnalysis: "perTest",
  // Two cores shared with other work: one mutant at a time.
  concurrency: 1,
  timeoutMS: 20_000,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
