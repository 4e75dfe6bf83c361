import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startReplica } from "../replica/index.js";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { buildFailure, buildFixture, type Bundler, bytesOf, replicaBytes, testOptions } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("game");

/** Builds a main.js that imports `specifier`; returns the error's code and full text. */
const failure = (bundler: Bundler, specifier: string, extra: OgaPluginOptions = {}) => buildFailure(bundler, project, replica.url, specifier, extra);

describe.each<Bundler>(["vite8", "vite7", "rollup"])("errors under %s name the importer, the specifier and what to do", (bundler) => {
  it("unknown asset: the page URL tried", async () => {
    const { code, text } = await failure(bundler, "oga:no-such-asset");
    expect(code).toBe("OGA_NOT_FOUND");
    expect(text).toContain(path.join("src", "main.js"));
    expect(text).toContain('"oga:no-such-asset"');
    expect(text).toContain(`${replica.url}/content/no-such-asset`);
    // Vite 7 prefixes its own "Could not load <id>"; our part of the message never shows the \0 id.
    expect(text.slice(text.indexOf("src/main.js:"))).not.toContain("\0");
  });

  it("file not in the asset: its files", async () => {
    const { code, text } = await failure(bundler, "oga:battle-theme-a/battleThemeB.mp3");
    expect(code).toBe("OGA_NO_FILE");
    expect(text).toContain(path.join("src", "main.js"));
    expect(text).toContain('"oga:battle-theme-a/battleThemeB.mp3"');
    expect(text).toContain("Its files: battleThemeA.mp3, battleThemeA.ogg");
    expect(text).not.toContain("Did you mean");
  });

  it("a file imported by the name it was uploaded as: the stored name to import instead", async () => {
    const { code, text } = await failure(bundler, "oga:battle-theme-a-remix/remix_notes.txt");
    expect(code).toBe("OGA_NO_FILE");
    expect(text).toContain('"oga:battle-theme-a-remix/remix_notes.txt": asset "battle-theme-a-remix" has no file "remix_notes.txt". Did you mean "remix_notes_59.txt"?');
    expect(text).toContain("Its files: battleThemeA_0.mp3, remix_notes_59.txt");
  });

  it("glob matching nothing: the asset's files", async () => {
    const { code, text } = await failure(bundler, "oga:battle-theme-a/*.wav");
    expect(code).toBe("OGA_NO_FILE");
    expect(text).toContain(path.join("src", "main.js"));
    expect(text).toContain('"oga:battle-theme-a/*.wav"');
    expect(text).toContain("Its files: battleThemeA.mp3, battleThemeA.ogg");
  });

  it("malformed specifier: a valid example", async () => {
    const { code, text } = await failure(bundler, "oga:battle-theme-a/../x.mp3");
    expect(code).toBe("OGA_BAD_INPUT");
    expect(text).toContain(path.join("src", "main.js"));
    expect(text).toContain('"oga:battle-theme-a/../x.mp3"');
    expect(text).toContain('"oga:battle-theme-a/battleThemeA.mp3"');
  });

  it("offline miss: names the command that fetches it", async () => {
    const { code, text } = await failure(bundler, "oga:battle-theme-a", { offline: true });
    expect(code).toBe("OGA_OFFLINE");
    expect(text).toContain(path.join("src", "main.js"));
    expect(text).toContain('"oga:battle-theme-a"');
    expect(text).toContain("oga prefetch");
    expect(replica.requests.count()).toBe(0);
  });
});

describe("site unreachable and not cached", () => {
  it("says so, with the specifier, importer and a hint", async () => {
    const dead = await startReplica();
    await dead.close();
    await writeFile(path.join(project.root, "src/main.js"), `import x from "oga:battle-theme-a";\n`);
    const error = await buildFixture("rollup", project.root, testOptions(project, dead.url, { timeoutSeconds: 1 })).catch((e: Error & { pluginCode?: string; code?: string }) => e);
    expect(error).toBeInstanceOf(Error);
    const e = error as Error & { pluginCode?: string; code?: string };
    expect(e.pluginCode ?? e.code).toBe("OGA_UNREACHABLE");
    expect(e.message).toContain(path.join("src", "main.js"));
    expect(e.message).toContain('"oga:battle-theme-a"');
    expect(e.message).toContain("not in the cache");
    expect(e.message).toContain("oga prefetch");
  }, 60_000);
});

describe("offline hit", () => {
  it.each<Bundler>(["vite8", "rollup"])("%s builds from the cache alone, even without the lockfile", async (bundler) => {
    await buildFixture(bundler, project.root, testOptions(project, replica.url));
    await rm(project.lockfile);
    replica.requests.reset();
    const { values, outDir } = await buildFixture(bundler, project.root, testOptions(project, replica.url, { offline: true }));
    expect(replica.requests.count()).toBe(0);
    expect(await bytesOf((values as { music: string }).music, outDir)).toEqual(await replicaBytes(replica, "battle-theme-a", "battleThemeA.mp3"));
  });
});

describe("frozen lockfile", () => {
  it("fails when an import is missing from the lock, and leaves the lock alone", async () => {
    const { code, text } = await failure("vite8", "oga:battle-theme-a", { frozen: true });
    expect(code).toBe("OGA_FROZEN");
    expect(text).toContain(path.join("src", "main.js"));
    expect(text).toContain('"oga:battle-theme-a"');
    expect(text).toContain("oga prefetch");
    expect(replica.requests.count()).toBe(0);
    await expect(readFile(project.lockfile)).rejects.toThrow(/ENOENT/);
  });

  it("fails when a locked file's hash differs upstream, and leaves the lock alone", async () => {
    await buildFixture("vite8", project.root, testOptions(project, replica.url));
    const lockBefore = await readFile(project.lockfile, "utf8");
    replica.catalogue.setFileContent("battle-theme-a", "battleThemeA.mp3", Buffer.from("a different file, same name"));
    try {
      // A fresh cache, as on a CI machine: the file must be downloaded and no longer matches.
      const { code, text } = await failure("vite8", "oga:battle-theme-a", { frozen: true, cacheDir: project.cacheDir + "-ci" });
      expect(code).toBe("OGA_FROZEN");
      expect(text).toContain(path.join("src", "main.js"));
      expect(text).toContain('"oga:battle-theme-a"');
      expect(text).toContain("oga update battle-theme-a");
      expect(text).not.toContain("Run `oga update` to accept");
      expect(await readFile(project.lockfile, "utf8")).toBe(lockBefore);
    } finally {
      await rm(project.cacheDir + "-ci", { recursive: true, force: true });
    }
  });

  it("passes with a complete lock and a warm cache", async () => {
    await buildFixture("vite7", project.root, testOptions(project, replica.url));
    replica.requests.reset();
    const { values } = await buildFixture("vite7", project.root, testOptions(project, replica.url, { frozen: true }));
    expect(replica.requests.count()).toBe(0);
    expect(Object.keys((values as { tracks: object }).tracks)).toHaveLength(3);
  });
});

describe("a failed build", () => {
  it("keeps the declarations the last good build wrote", async () => {
    const dts = path.join(project.root, "src/oga-env.d.ts");
    await buildFixture("vite8", project.root, testOptions(project, replica.url));
    const good = await readFile(dts, "utf8");
    expect(good).toContain('declare module "oga:battle-theme-a"');
    // A new machine offline with the lockfile gone: nothing resolves, the build fails.
    await rm(project.lockfile);
    await failure("vite8", "oga:battle-theme-a", { offline: true, cacheDir: project.cacheDir + "-empty" });
    expect(await readFile(dts, "utf8")).toBe(good);
  });
});
