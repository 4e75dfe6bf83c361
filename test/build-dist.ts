/**
 * Vitest global setup: builds dist/ (`npm run build`) before any test runs when a source is newer
 * than the last build. The CLI, the lazy-import and the README tests run dist/ as users do, so
 * without this a plain `npx vitest run test/cli` after an edit would test the code of an older
 * build. A build takes a few seconds; an unchanged tree skips it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** Everything `npm run build` reads. */
const INPUTS = ["src", "package.json", "tsconfig.json", "tsconfig.build.json", "scripts/copy-asset-page.mjs"];
/** When the last build this setup ran started (its mtime); kept out of dist/, which is published. */
const STAMP = path.join(ROOT, "node_modules/.cache/vite-plugin-oga/dist-built");
/** Outputs a build must have left, or it is rebuilt whatever the stamp says. */
const OUTPUTS = ["dist/index.js", "dist/rollup.js", "dist/cli/bin.js", "dist/asset-page/static"];

/** The newest mtime under `target` (a directory's own mtime counts: it changes when a file is added, removed or renamed). */
function newestMtime(target: string): number {
  const stats = statSync(target, { throwIfNoEntry: false });
  if (!stats) return 0;
  let newest = stats.mtimeMs;
  if (stats.isDirectory()) {
    for (const name of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, name)));
  }
  return newest;
}

function isStale(): boolean {
  if (OUTPUTS.some((output) => !statSync(path.join(ROOT, output), { throwIfNoEntry: false }))) return true;
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return true;
  return INPUTS.some((input) => newestMtime(path.join(ROOT, input)) >= built);
}

export default function buildDist(): void {
  if (!isStale()) return;
  // The stamp takes the time the build started: a source saved during the build is newer.
  const started = new Date();
  const run = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (run.status !== 0) {
    throw new Error(`npm run build failed (exit ${run.status ?? run.signal}); the tests would run stale code:\n${run.stdout}${run.stderr}`);
  }
  mkdirSync(path.dirname(STAMP), { recursive: true });
  writeFileSync(STAMP, "");
  utimesSync(STAMP, started, started);
}
