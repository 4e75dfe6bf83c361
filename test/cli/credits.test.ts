/**
 * `oga credits` as a child process: a build writes the lockfile, then the CLI prints the
 * credits from it with the site gone (they must work offline).
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Credit } from "../../src/project/credits.js";
import { closeSharedStores } from "../../src/project/resolve-asset.js";
import { startReplica, type Replica } from "../replica/index.js";
import { buildFixture, makeProject, testOptions } from "../plugin/helpers.js";
import { runOga } from "./run-oga.js";

let replica: Replica;
let project: Awaited<ReturnType<typeof makeProject>>;
beforeAll(async () => {
  replica = await startReplica();
});
afterAll(async () => {
  await closeSharedStores();
  await replica.close().catch(() => undefined);
});
beforeEach(async () => {
  project = await makeProject("game");
  await buildFixture("vite8", project.root, testOptions(project, replica.url, { credits: { fileName: ["CREDITS.md", "credits.json", "CREDITS.csv"] } }));
});
afterEach(async () => {
  await project.cleanup();
});

/** No OGA_URL: were the CLI to ask the site, it would ask opengameart.org and fail offline. */
const oga = (...args: string[]) => runOga(args, { env: { OGA_OFFLINE: "1", OGA_CACHE_DIR: project.cacheDir }, timeoutMs: 30_000 });

const IDS = ["battle-theme-a", "imminent-threat", "retro-sfx-pack", "tiny-sprites"];

describe("oga credits", () => {
  it("--format json prints the same records a build's credits.json holds, without a request", async () => {
    replica.requests.reset();
    const run = await oga("credits", project.root, "--format", "json");
    expect(replica.requests.count()).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const credits = JSON.parse(run.stdout) as Credit[];
    expect(credits).toEqual(JSON.parse(await readFile(path.join(project.root, "dist/credits.json"), "utf8")));
    expect(credits.map((c) => c.id)).toEqual(IDS);
    expect(credits[0]).toMatchObject({ id: "battle-theme-a", license: "CC0", spdx: "CC0-1.0", licenses: ["CC0", "CC-BY 3.0"], author: { name: "cynicmusic", url: "https://opengameart.org/users/cynicmusic" } });
    expect(credits.map((c) => c.spdx)).toEqual(["CC0-1.0", "CC-BY-3.0", "CC-BY-4.0", "CC0-1.0"]);
  });

  it("--format csv prints the build's CREDITS.csv: LPC columns, a row per file the lockfile pins, CRLF", async () => {
    const run = await oga("credits", project.root, "--format", "csv");
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(await readFile(path.join(project.root, "dist/CREDITS.csv"), "utf8"));
    const rows = run.stdout.split("\r\n");
    expect(rows[0]).toBe("filename,notes,authors,licenses,urls");
    expect(rows.slice(1, -1).map((row) => row.slice(0, row.indexOf(",")))).toEqual([
      '"battle-theme-a/battleThemeA.mp3"',
      '"imminent-threat/imminent_threat_beat1.ogg"',
      '"imminent-threat/imminent_threat_beat2.ogg"',
      '"imminent-threat/imminent_threat_loop.ogg"',
      '"retro-sfx-pack/jump.wav"',
      '"tiny-sprites/boss_64x48.png"',
      '"tiny-sprites/hero_16.png"',
      '"tiny-sprites/slime_32.png"',
    ]);
    expect(rows.at(-1)).toBe("");
  });

  it("prints Markdown by default, the build's CREDITS.md, with the root as argument or --root", async () => {
    const run = await oga("credits", project.root);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(await readFile(path.join(project.root, "dist/CREDITS.md"), "utf8"));
    const viaFlag = await oga("credits", "--root", project.root);
    expect(viaFlag.stdout).toBe(run.stdout);
  });

  it("--format text prints one line per asset", async () => {
    const run = await oga("credits", project.root, "--format", "text");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    // The deed the page links, and the canonical page, though the replica served it.
    expect(lines[3]).toBe(`"Tiny Sprites" by Kenney, licensed CC0 (http://creativecommons.org/publicdomain/zero/1.0/), from https://opengameart.org/content/tiny-sprites`);
    // Collaborators are named with the author.
    expect(lines[2]).toMatch(/^"Retro SFX Pack" by Bart K\., Eliza Wyatt and Kenney, licensed CC-BY 4\.0 \(http:\/\/creativecommons\.org\/licenses\/by\/4\.0\/\), from https:\/\/opengameart\.org\/content\/retro-sfx-pack \(Sounds by Bart K\.\)$/);
    expect(lines[1]).toContain("(Music by Matthew Pablo, http://www.matthewpablo.com)");
  });

  it("--license applies the allow-list in preference order, and refuses an asset with none allowed (exit 1)", async () => {
    const picked = await oga("credits", project.root, "--format", "json", "--license", "CC-BY 3.0", "--license", "CC0", "--license", "cc-by-40");
    expect(picked.code).toBe(0);
    expect((JSON.parse(picked.stdout) as Credit[])[0]).toMatchObject({ id: "battle-theme-a", license: "CC-BY 3.0" });

    const refused = await oga("credits", project.root, "--license", "CC0");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain('asset "imminent-threat" is offered under CC-BY 3.0; none of them is in the allowed licenses (CC0)');
    // Every refused asset in one run, with the command line's own way to allow more.
    expect(refused.stderr.match(/is offered under/g)!.length).toBe(Object.values(JSON.parse(await readFile(project.lockfile, "utf8")).assets as Record<string, { licenses: string[] }>).filter((a) => !a.licenses.includes("CC0")).length);
    expect(refused.stderr).toContain("another --license");
    expect(refused.stderr).not.toContain("plugin's `licenses` option");
  });

  it("usage errors exit 2; a project without a lockfile exits 1 and says what to run", async () => {
    const format = await oga("credits", project.root, "--format", "xml");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format: "xml" is not allowed; allowed: md, json, text, csv');
    const license = await oga("credits", project.root, "--license", "CC-BY4");
    expect(license.code).toBe(2);
    expect(license.stderr).toContain('"CC-BY4" is not a license this package knows');

    await rm(project.lockfile);
    const missing = await oga("credits", project.root);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No lockfile at");
    expect(missing.stderr).toContain("oga prefetch");
  });
});
