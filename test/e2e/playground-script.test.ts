/**
 * `npm run playground` as a user runs it: scripts/playground.ts starts the replica, builds the
 * playground, serves it and prints the URL; Ctrl-C stops everything. No internet involved.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { importedAssetIds } from "./expectations.js";
import { PLAYGROUND_ROOT } from "./playground-servers.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Resolves with the first capture of `pattern` in the child's stdout; rejects if it exits first. */
function waitForLine(process: ChildProcess, pattern: RegExp, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdout! });
    lines.on("line", (line) => {
      output.push(line);
      const match = pattern.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    process.once("exit", (code) => reject(new Error(`exited with ${code} before printing the line it waits for:\n${output.join("\n")}`)));
  });
}

test("serves the built game from the replica, then stops on Ctrl-C", async () => {
  const output: string[] = [];
  const env = { ...process.env };
  // A developer's own OGA_URL must not matter; the script says it ignores it.
  env.OGA_URL = "http://127.0.0.1:9";
  // What `npm run playground` runs (see scripts/playground.ts on why not the tsx CLI).
  child = spawn(process.execPath, ["--import", "tsx", "scripts/playground.ts", "--port", "0"], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  // The credits line comes after the URL line, so by then `output` holds both.
  const creditsUrl = await waitForLine(child, /^ {2}credits: (http\S+)/, output);
  const url = output.map((line) => /^playground \(preview, replica\): (http\S+)/.exec(line)?.[1]).find(Boolean);
  expect(url, output.join("\n")).toBeDefined();

  const html = await (await fetch(url!)).text();
  expect(html).toContain("<canvas");
  const script = /<script type="module"[^>]* src="([^"]+)"/.exec(html)?.[1];
  expect(script, html).toMatch(/^\/assets\/.+\.js$/);
  const bundle = await fetch(new URL(script!, url!));
  expect(bundle.status).toBe(200);
  // The oga: imports became URLs of emitted assets, e.g. the music's hashed MP3.
  const mp3 = /\/assets\/[^"'`]+\.mp3/.exec(await bundle.text())?.[0];
  expect(mp3).toBeDefined();
  expect((await fetch(new URL(mp3!, url!))).status).toBe(200);
  // The credits URL it prints serves the build's CREDITS.md, which credits every asset the game imports.
  const creditsMd = await fetch(creditsUrl);
  expect(creditsMd.status).toBe(200);
  const markdown = await creditsMd.text();
  const ids = await importedAssetIds(PLAYGROUND_ROOT);
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(markdown).toContain(`/content/${id}>`);

  const exited = once(child, "exit");
  child.kill("SIGINT");
  const [code] = (await exited) as [number | null];
  expect(code, output.join("\n")).toBe(0);
}, 120_000);
