/**
 * `vite` as users run it (the Vite 8 and Vite 7 command lines, a vite.config.mjs importing the
 * built package by name): the startup banner names the asset page under Local and Network, and
 * that URL serves it. The global setup (test/build-dist.ts) builds dist/ when it is stale.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { baseEnv, ROOT } from "../cli/run-oga.js";
import { useProject, useReplica } from "../plugin/hooks.js";

const replica = useReplica();
const project = useProject("game");

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

/** Starts `vite` in the project and resolves with its stdout once the banner has the Assets line. */
function startVite(bin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = spawn(process.execPath, [bin, "--host", "127.0.0.1", "--port", "0", "--clearScreen", "false"], {
      cwd: project.root,
      env: baseEnv({ NO_COLOR: "1" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`no Assets line within 20 s:\n${stdout}\n${stderr}`)), 20_000);
    started.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/Assets:.*\n/.test(stdout)) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
    started.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    started.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`vite exited (${code}):\n${stdout}\n${stderr}`));
    });
  });
}

describe.each([
  ["Vite 8", "node_modules/vite/bin/vite.js"],
  ["Vite 7", "node_modules/vite7/bin/vite.js"],
])("%s's command line", (_name, bin) => {
  it("prints `➜  Assets: <url>/__oga/` in the startup banner, and the URL serves the page", async () => {
    // The package by name, as a user's config imports it.
    await mkdir(path.join(project.root, "node_modules"), { recursive: true });
    await symlink(ROOT, path.join(project.root, "node_modules/vite-plugin-oga"), "dir");
    const options = { url: replica.url, cacheDir: project.cacheDir, lockfile: project.lockfile, frozen: false };
    await writeFile(path.join(project.root, "vite.config.mjs"), `import oga from "vite-plugin-oga";\nexport default { plugins: [oga(${JSON.stringify(options)})] };\n`);
    const stdout = await startVite(path.join(ROOT, bin));
    // eslint-disable-next-line no-control-regex
    const lines = stdout.replace(/\u001b\[[0-9;]*m/g, "").split("\n");
    const local = lines.find((line) => line.includes("Local:"))!;
    const url = /(http:\/\/\S+)/.exec(local)![1]!;
    const assetsLine = lines.findIndex((line) => line.includes("Assets:"));
    expect(lines[assetsLine]).toBe(`  ➜  Assets:  ${url}__oga/`);
    expect(assetsLine).toBeGreaterThan(lines.indexOf(local));
    const page = await fetch(`${url}__oga/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Assets · vite-plugin-oga</title>");
  });
});
