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
  // The modules that carry the guarantees; where a module is mostly other work, the line ranges
  // of its checks (update them when the file moves; test/MUTATION.md lists what each covers).
  mutate: [
    // Store: lockfile format and field checks, blob names, blob verification, integrity of downloads.
    "src/store/lockfile.ts",
    "src/store/lockfile-fields.ts",
    "src/store/file-name.ts",
    "src/store/cache.ts:134-193", // checkBlob, isStamped, stampedBlobPath, vouches
    "src/store/cache.ts:336-345", // statBlob
    "src/store/cache.ts:432-442", // isStampRecord, stampMatches, stampOf
    "src/store/fetch-file.ts:79-85", // cachedPinnedFile: a pinned blob is served unhashed only when its stamp vouches
    "src/store/fetch-file.ts:125-138", // fetchFileNow: a pinned blob is served only when it verifies
    "src/store/fetch-file.ts:193-203", // transferFile: a pinned file that changed upstream is refused
    "src/store/fetch-file.ts:271-296", // receiveBody: a body shorter or longer than announced is refused
    "src/store/url-index.ts", // the index journal: torn lines skipped, last writer wins, old records read
    "src/store/stamp-sets.ts", // stamp sets: trusted only while open and only on matching stat fields
    // Archive safety: hostile entry paths, duplicates, zip bombs, entry verification.
    "src/store/archive.ts:54-76", // entryName, isSymlink, checkedEntryPath
    "src/store/archive.ts:130-184", // ArchiveDirectory: constructor (duplicates) to checkLimits
    "src/store/archive-extract.ts:91-107", // reuseOrExtract: reuse only a verified extraction within the limit
    "src/store/archive-extract.ts:132-181", // inflateEntry: entry checks while inflating
    // Frozen and offline policy, lock upkeep.
    "src/project/resolve-asset.ts",
    "src/project/resolve-archive.ts",
    "src/project/lock-session.ts",
    // A cold build's head start: only what the imports will certainly use, only from the entries' folders.
    "src/project/fetch-ahead.ts",
    // License policy and credits.
    "src/project/license-policy.ts",
    "src/project/credits.ts",
    "src/project/credits-csv.ts",
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
