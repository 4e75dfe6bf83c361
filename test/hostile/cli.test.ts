/**
 * The `oga` command on the hostile site, run as a process: whatever the pages say, stdout and
 * stderr carry no terminal control sequence, page text cannot forge a line or a column, and JSON
 * output stays valid JSON with the page's exact values.
 */
import { cp, readdir } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProgressReporter } from "../../src/cli/progress.js";
import type { CliIo } from "../../src/cli/io.js";
import type { Replica } from "../replica/index.js";
import { FIXTURES } from "../plugin/helpers.js";
import { lines, runOga, tempDir, type OgaRun } from "../cli/run-oga.js";
import { NAMES, TERMINAL_ATTACK, hasTerminalControls, startHostileSite } from "./site.js";

let site: Replica;
let cache: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  site = await startHostileSite();
  cache = await tempDir("oga-hostile-cli-");
});
afterAll(async () => {
  await site.close();
  await cache.remove();
});

const oga = (...args: string[]) => runOga(args, { env: { OGA_URL: site.url, OGA_CACHE_DIR: cache.dir }, timeoutMs: 60_000 });

/** The run succeeded and neither stream holds anything a terminal would act on. */
function expectClean(run: OgaRun): void {
  expect(run.code, run.stderr).toBe(0);
  expect(hasTerminalControls(run.stdout), run.stdout).toBe(false);
  expect(hasTerminalControls(run.stderr), run.stderr).toBe(false);
}

const escaped = (text: string) => JSON.stringify(text).slice(1, -1).replace(/[\u0080-\u009f\u202e\u2028]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

describe("oga on hostile pages", () => {
  it("describe prints the title and every file name escaped, one line and one column each", async () => {
    const summary = await oga("describe", "hostile-names");
    expectClean(summary);
    // The summary and "by <author>": the author's line break is escaped, not a third line.
    expect(lines(summary.stdout)).toHaveLength(2);
    expect(lines(summary.stdout)[1]).toContain("Injected line");

    const listing = await oga("describe", "hostile-names", "--files");
    expectClean(listing);
    const fileLines = lines(listing.stdout).slice(2);
    expect(fileLines).toHaveLength(Object.keys(NAMES).length);
    // name, size, downloads: a tab or line break in a name is escaped, so `cut -f1` gives the name.
    for (const line of fileLines) expect(line.split("\t")).toHaveLength(3);
    const names = fileLines.map((line) => line.split("\t")[0]);
    expect(names).toContain("line\\u000abreak.wav");
    expect(names).toContain("para\\u2028sep.wav");
    expect(names).toContain(`beep${escaped(TERMINAL_ATTACK)}.wav`);
    expect(names).toContain(NAMES.hash);
  });

  it("describe --json stays JSON holding the page's exact text", async () => {
    const run = await oga("describe", "hostile-names", "--json");
    expectClean(run);
    const asset = JSON.parse(run.stdout) as { title: string; files: { name: string }[] };
    expect(asset.title).toContain(TERMINAL_ATTACK);
    expect(asset.files.map((f) => f.name).sort()).toEqual(Object.values(NAMES).sort());
  });

  it("download reports every file escaped and places names with # and % as they are", async () => {
    const out = await tempDir("oga-hostile-out-");
    try {
      const run = await oga("download", "hostile-names", "--out", out.dir);
      expectClean(run);
      expect(lines(run.stdout)).toHaveLength(Object.keys(NAMES).length);
      expect(run.stderr).toContain(`downloaded beep${escaped(TERMINAL_ATTACK)}.wav`);
      const placed = await readdir(path.join(out.dir, "hostile-names"));
      expect(placed).toEqual(expect.arrayContaining([NAMES.hash, NAMES.percent, NAMES.ampersand, NAMES.proto]));
    } finally {
      await out.remove();
    }
  });

  it("search prints hostile titles on one line each", async () => {
    const run = await oga("search", "--title", "Hostile", "--delay", "0");
    expectClean(run);
    const found = lines(run.stdout);
    expect(found.map((line) => line.split(" ")[0]).sort()).toEqual(["hostile-glob", "hostile-names", "hostile-pack"]);
    expect(found.find((line) => line.startsWith("hostile-names "))).toContain(escaped(TERMINAL_ATTACK));
  });

  it("errors name hostile files escaped", async () => {
    const run = await oga("download", "hostile-names", "--file", "nope.wav");
    expect(run.code).toBe(1);
    expect(hasTerminalControls(run.stderr)).toBe(false);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(`beep${escaped(TERMINAL_ATTACK)}.wav`);
  });

  it("prefetch, verify and credits of a project built on hostile assets print nothing a terminal acts on", async () => {
    const project = await tempDir("oga-hostile-project-");
    try {
      await cp(path.join(FIXTURES, "hostile"), project.dir, { recursive: true });
      expectClean(await oga("prefetch", project.dir));
      expectClean(await oga("verify", project.dir, "--all"));
      for (const format of ["md", "text", "json"]) {
        const run = await oga("credits", project.dir, "--format", format);
        expectClean(run);
        expect(run.stdout).toContain("Hostile Names");
        expect(run.stdout).not.toContain("javascript:");
        // Credits drop control characters rather than escape them: no `\u001b` text either.
        expect(run.stdout).not.toContain("\\u001b");
      }
    } finally {
      await project.remove();
    }
  });
});

describe("the download progress bar", () => {
  it("shows a hostile file name escaped and cut to one line", () => {
    let output = "";
    const stderr = Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          output += chunk.toString();
          done();
        },
      }),
      { isTTY: true, columns: 80 },
    );
    const io = { stdout: stderr, stderr, env: {}, signal: new AbortController().signal } as unknown as CliIo;
    const bar = createProgressReporter(io);
    const file = `${"x".repeat(200)}${TERMINAL_ATTACK}.wav`;
    bar.update({ asset: "a", file: TERMINAL_ATTACK + file, bytes: 1, totalBytes: 2, filesDone: 0, filesTotal: 1, bytesDone: 1, bytesTotal: 2 });
    bar.stop();
    // The bar draws with its own ANSI sequences; none of the page's gets through.
    expect(output).not.toMatch(/\u001b\]|\u0007|\u009b|\u202e|\u001b\[2J/);
    expect(output).toContain("\\u001b]0;pwned");
    expect(output).not.toContain("x".repeat(100));
  });
});
