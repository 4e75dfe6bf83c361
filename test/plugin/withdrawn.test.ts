/**
 * An asset whose files are withdrawn ("File(s) currently unavailable due to potential licensing
 * issues") or that lists none: a real build fails with OGA_NO_FILE naming the import and why,
 * instead of building `null` typed as `string`.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { formatLockfile, LOCKFILE_VERSION } from "../../src/store/lockfile.js";
import { buildFailure, type Bundler } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("game");

const failure = (bundler: Bundler, specifier: string, extra: OgaPluginOptions = {}) => buildFailure(bundler, project, replica.url, specifier, extra);

describe.each<Bundler>(["vite8", "rollup"])("withdrawn files under %s", (bundler) => {
  it.each(["oga:withdrawn-tracks", "oga:withdrawn-tracks/a.ogg", "oga:withdrawn-tracks/*.ogg"])("%s: OGA_NO_FILE saying the files are unavailable", async (specifier) => {
    const { code, text } = await failure(bundler, specifier);
    expect(code).toBe("OGA_NO_FILE");
    expect(text).toContain(path.join("src", "main.js"));
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain("its files are withheld by the site");
    expect(text).toContain("currently unavailable due to potential licensing issues");
    expect(text).toContain("another asset");
    expect(text).not.toContain("Its files: (none");
    // Nothing locked: a later build asks the site again (the files may come back).
    const lock = await readFile(project.lockfile, "utf8").catch(() => "{}");
    expect(lock).not.toContain("withdrawn-tracks");
  });
});

describe("a locked asset without files", () => {
  const locked = (extra: object) => ({
    pageUrl: `${replica.url}/content/withdrawn-tracks`,
    title: "Withdrawn Tracks",
    author: { name: "lamoot", url: null },
    licenses: ["GPL 2.0"],
    attribution: "",
    type: "Music",
    main: null,
    files: {},
    ...extra,
  });

  it("carries the withdrawn fact in the lockfile: the message says so without asking the site", async () => {
    await writeFile(project.lockfile, formatLockfile({ version: LOCKFILE_VERSION, assets: { "withdrawn-tracks": locked({ filesUnavailable: true }) }, specifiers: [] }));
    const { code, text } = await failure("vite8", "oga:withdrawn-tracks");
    expect(code).toBe("OGA_NO_FILE");
    expect(text).toContain("its files are withheld by the site");
    expect(replica.requests.count()).toBe(0);
  });

  it("without that fact: the site lists no files for it", async () => {
    await writeFile(project.lockfile, formatLockfile({ version: LOCKFILE_VERSION, assets: { "withdrawn-tracks": locked({}) }, specifiers: [] }));
    const { code, text } = await failure("vite8", "oga:withdrawn-tracks/a.ogg");
    expect(code).toBe("OGA_NO_FILE");
    expect(text).toContain('"oga:withdrawn-tracks/a.ogg"');
    expect(text).toContain("the site lists no files for it");
    expect(text).toContain("another asset");
  });
});
