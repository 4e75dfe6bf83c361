import { createServer } from "node:net";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands.js";
import { ANSI, lines, ROOT, runOga, tempDir, useReplicaAndCache } from "./run-oga.js";

const { replica, cache, env } = useReplicaAndCache();

/** Where the replica serves uploaded files. */
const FILES = "/sites/default/files/";

/** A loopback port nothing listens on: bound once for a free number, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("oga (whole command line)", () => {
  it("--version prints the package version", async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const run = await runOga(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^oga/${version.replace(/\./g, "\\.")} `));
  });

  it("--help lists every command and the global options", async () => {
    const run = await runOga(["--help"]);
    expect(run.code).toBe(0);
    for (const word of ["describe <id>", "download <id>", "search", "--url", "--cache-dir", "--concurrency", "--offline"]) {
      expect(run.stdout).toContain(word);
    }
    expect(run.stdout).not.toMatch(ANSI);
  });

  it.each([
    ["describe", ["--json", "--files"]],
    ["download", ["--out", "--file"]],
    ["search", ["--keys", "--title", "--submitter", "--sort-by", "--ascending", "--type", "--license", "--tag", "--tag-op", "--page-limit", "--json", "--delay"]],
  ])("%s --help documents its own flags", async (command, flags) => {
    const run = await runOga([command, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`$ oga ${command}`);
    for (const flag of [...flags, "--url"]) expect(run.stdout).toContain(flag);
  });

  it("no command prints the help and exits 2; an unknown command exits 2 naming it", async () => {
    const none = await runOga([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain("Commands:");
    const unknown = await runOga(["frobnicate"]);
    expect(unknown.code).toBe(2);
    // From the registry, so adding a command does not mean editing this test.
    const names = COMMANDS.map((command) => command.spec.split(" ")[0]).join(", ");
    expect(names).toMatch(/^describe, download, search, /);
    expect(unknown.stderr).toBe(`oga: unknown command "frobnicate"; commands: ${names} (see oga --help)\n`);
  });

  it("a missing argument exits 2 with one line", async () => {
    const run = await runOga(["download"], { env: env() });
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^oga: missing required args for command `download <id>`/)]);
  });

  it("an unreachable site exits 1 with one line naming it, and no stack", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runOga(["describe", "battle-theme-a"], { env: { OGA_URL: url, OGA_CACHE_DIR: cache.dir } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(`oga: `);
    expect(run.stderr).toContain(url);
  });

  it("OGA_DEBUG=1 adds the stack trace", async () => {
    const run = await runOga(["describe", "no-such-asset-here"], { env: { ...env(), OGA_DEBUG: "1" } });
    expect(run.code).toBe(1);
    expect(lines(run.stderr)[0]).toMatch(/^oga: .*no-such-asset-here/);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it("--offline answers describe from the cache and refuses what it has not seen", async () => {
    const online = await runOga(["describe", "forest-ambience"], { env: env() });
    expect(online.code).toBe(0);
    replica.requests.reset();
    const offline = await runOga(["--offline", "describe", "forest-ambience"], { env: env() });
    expect(offline.code).toBe(0);
    expect(offline.stdout).toBe(online.stdout);
    const unseen = await runOga(["describe", "tiny-sprites"], { env: { ...env(), OGA_OFFLINE: "1" } });
    expect(unseen.code).toBe(1);
    expect(unseen.stderr).toMatch(/^oga: tiny-sprites: not in the cache/);
    expect(replica.requests.length).toBe(0);
  });

  it("--cache-dir and --concurrency are honoured", async () => {
    const other = await tempDir();
    try {
      // Each file takes a while to answer, so downloads that may run together do overlap.
      replica.faults.add({ path: FILES, kind: "delay", ms: 150 });
      const run = await runOga(["--cache-dir", other.dir, "--concurrency", "1", "download", "tiny-sprites"], { env: { OGA_URL: replica.url } });
      expect(run.code).toBe(0);
      const printed = lines(run.stdout);
      expect(printed).toHaveLength(3);
      for (const line of printed) expect(line.startsWith(other.dir)).toBe(true);
      expect(replica.requests.count(FILES)).toBe(3);
      // `concurrency` counts connections; each may carry a second, pipelined request.
      expect(replica.requests.maxConcurrentConnections()).toBe(1);
      expect(replica.requests.maxConcurrent()).toBeLessThanOrEqual(2);

      // Two at once: the limit holds and is reached (so the gauge above could have seen more).
      await other.remove();
      replica.requests.reset();
      const two = await runOga(["--cache-dir", other.dir, "--concurrency", "2", "download", "tiny-sprites"], { env: { OGA_URL: replica.url } });
      expect(two.code).toBe(0);
      expect(replica.requests.count(FILES)).toBe(3);
      expect(replica.requests.maxConcurrentConnections(FILES)).toBe(2);
      expect(replica.requests.maxConcurrentConnections()).toBeLessThanOrEqual(2);
      replica.faults.clear();

      const bad = await runOga(["--concurrency", "zero", "download", "tiny-sprites"], { env: env() });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^oga: --concurrency: expected a positive integer, got "zero"/);
    } finally {
      await other.remove();
    }
  });
});
