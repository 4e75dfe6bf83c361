// A pack of many more entries than files may be open at once (256, macOS's default), under a
// `**` glob: the zip's directory is read once, entries are extracted a few at a time, and the
// bundler is handed the blobs a few at a time, so the build never meets EMFILE (Vite alone fails
// this way with a thousand local assets). How fast 1000 and 3000 entries go is for the bench
// (`npm run bench -- --only zip`), not for a test.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesOf, makeProject, testOptions, type Bundler } from "../plugin/helpers.js";
import { minimalAsset, startReplica, zip, type Replica } from "../replica/index.js";
import { expectCacheValid, expectLockfileValid, sha256 } from "./helpers.js";

const worker = fileURLToPath(new URL("./build-worker.ts", import.meta.url));
const ENTRIES = 600;
const OPEN_FILES = 256;

const entryData = (i: number) => Buffer.from(`sprite ${i} `.repeat(20 + (i % 7)));
const entryPath = (i: number) => `sprites/set ${i % 10}/s${i}.bin`;

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica({ assets: [minimalAsset("many-entries", { files: [{ path: "many/sprites.zip", body: () => zip(Array.from({ length: ENTRIES }, (_, i) => ({ name: entryPath(i), data: entryData(i) }))) }] })] });
});
afterAll(() => replica.close());

/** One build in a child process whose open files are limited (hard and soft) to {@link OPEN_FILES}. */
function buildWithFewFiles(bundler: Bundler, project: { root: string; cacheDir: string; lockfile: string }): Promise<{ outDir?: string; values?: { all: Record<string, string> }; error?: { code: string; message: string } }> {
  const script = `ulimit -n ${OPEN_FILES} && exec "$0" --import tsx "$@"`;
  const args = ["-c", script, process.execPath, worker, project.root, JSON.stringify(testOptions(project, replica.url)), bundler];
  return new Promise((resolve, reject) => {
    execFile("bash", args, { cwd: path.dirname(worker), timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (!stdout) reject(new Error(`the build worker printed nothing: ${error?.message ?? ""}\n${stderr}`));
      else resolve(JSON.parse(stdout) as never);
    });
  });
}

describe.each<[Bundler, string[]]>([
  ["vite8", ["cold", "warm"]],
  // Rollup's own limit (maxParallelFileOps) is what matters there: cold is enough.
  ["vite7", ["cold"]],
  ["rollup", ["cold"]],
])("a %s build of a pack of 600 entries with 256 open files allowed", (bundler, runs) => {
  it(`imports every entry under the glob, byte for byte (${runs.join(", then ")})`, async () => {
    const project = await makeProject("game");
    try {
      await writeFile(path.join(project.root, "src/main.js"), `import all from "oga:many-entries/**/*.bin";\nglobalThis.__oga = { all };\n`);
      for (const run of runs) {
        const result = await buildWithFewFiles(bundler, project);
        expect(result.error, `${run}: ${result.error?.message}`).toBeUndefined();
        const all = result.values!.all;
        expect(Object.keys(all).sort(), run).toEqual(Array.from({ length: ENTRIES }, (_, i) => `sprites.zip/${entryPath(i)}`).sort());
        for (const i of [0, 1, ENTRIES / 2, ENTRIES - 1]) {
          expect(sha256(await bytesOf(all[`sprites.zip/${entryPath(i)}`]!, result.outDir!)), `${run} entry ${i}`).toBe(sha256(entryData(i)));
        }
      }
      await expectCacheValid(project.cacheDir);
      await expectLockfileValid(project.lockfile);
    } finally {
      await project.cleanup();
    }
  });
});
