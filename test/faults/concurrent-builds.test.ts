// The fault matrix, two builds at the same moment on one empty cache (two terminals, two CI
// jobs on one runner): separate processes, so nothing in-process dedupes them. Both must
// succeed with the right bytes; blobs are renamed into place whole, so the worst a race costs
// is one extra download of a file, never a corrupt or half-written blob.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startReplica, type Replica } from "../replica/index.js";
import { bytesOf, makeProject, replicaBytes, testOptions } from "../plugin/helpers.js";
import { expectCacheValid, expectLockfileValid, sha256 } from "./helpers.js";

const run = promisify(execFile);
const worker = fileURLToPath(new URL("./build-worker.ts", import.meta.url));

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica();
});
afterAll(() => replica.close());

it("two vite builds in two processes on one empty cache: both succeed, each file fetched at most twice, cache valid", async () => {
  const projects = await Promise.all([makeProject("game"), makeProject("game")]);
  try {
    // One shared cache: the first project's (still empty) cache dir.
    const cacheDir = projects[0].cacheDir;
    // Hold each file back a little so the two builds are surely downloading at the same time.
    replica.faults.add({ path: "/sites/default/files/", kind: "delay", ms: 150 });
    const outputs = await Promise.all(
      projects.map((project) =>
        run(process.execPath, ["--import", "tsx", worker, project.root, JSON.stringify(testOptions({ ...project, cacheDir }, replica.url))], {
          cwd: path.dirname(worker),
          timeout: 60_000,
        }),
      ),
    );
    for (const output of outputs) {
      const { outDir, values } = JSON.parse(output.stdout) as { outDir: string; values: { music: string; jump: string } };
      expect(sha256(await bytesOf(values.music, outDir))).toBe(sha256(await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3")));
      expect(sha256(await bytesOf(values.jump, outDir))).toBe(sha256(await replicaBytes(replica, "retro-sfx-pack", "jump.wav")));
    }
    const downloads = new Map<string, number>();
    for (const request of replica.requests.filter((r) => r.pathname.startsWith("/sites/default/files/") && r.status === 200)) {
      downloads.set(request.pathname, (downloads.get(request.pathname) ?? 0) + 1);
    }
    expect(downloads.size).toBeGreaterThan(3);
    for (const [file, count] of downloads) expect(count, file).toBeLessThanOrEqual(2);
    await expectCacheValid(cacheDir);
    for (const project of projects) await expectLockfileValid(project.lockfile);
  } finally {
    replica.faults.clear();
    await Promise.all(projects.map((p) => p.cleanup()));
  }
});
