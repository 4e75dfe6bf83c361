/**
 * What a build prints about downloads, read from Vite's own logger: at most one start line and
 * one summary whose counts add up and agree with what was really fetched, sizes in kB/MB, what
 * came from the cache, and nothing at all for a build that touched no network.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ogaPlugin } from "../../src/plugin/index.js";
import { formatSize } from "../../src/project/human-units.js";
import { readLockfile } from "../../src/store/lockfile.js";
import { testOptions } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("game");

/** A Vite logger that keeps every info line in `lines` and drops the rest. */
function capturingLogger(lines: string[]) {
  return {
    info: (message: string) => void lines.push(message),
    warn: () => undefined,
    warnOnce: () => undefined,
    error: () => undefined,
    clearScreen: () => undefined,
    hasErrorLogged: () => false,
    hasWarned: false,
  };
}

/** Builds src/main.js with Vite 8 or 7 and returns the plugin's log lines. */
async function buildLogged(bundler: "vite8" | "vite7", code: string): Promise<string[]> {
  await writeFile(path.join(project.root, "src/main.js"), code);
  const lines: string[] = [];
  const logger = capturingLogger(lines);
  const { build } = bundler === "vite8" ? await import("vite") : ((await import("vite7")) as unknown as typeof import("vite"));
  await build({
    root: project.root,
    configFile: false,
    customLogger: logger,
    plugins: [ogaPlugin(testOptions(project, replica.url)) as never],
    build: { outDir: path.join(project.root, "dist"), emptyOutDir: true, write: false, rollupOptions: { input: path.join(project.root, "src/main.js") } },
  });
  return lines.filter((l) => l.includes("[vite-plugin-oga]")).map((l) => l.slice(l.indexOf("[vite-plugin-oga]") + "[vite-plugin-oga] ".length));
}

/** The size of the locked files, as the summary prints it. */
async function lockedSize(files: [string, string][]): Promise<string> {
  const lock = await readLockfile(project.lockfile);
  return formatSize(files.reduce((sum, [id, name]) => sum + lock.assets[id]!.files[name]!.size!, 0));
}

describe.each(["vite8", "vite7"] as const)("the download log on %s", (bundler) => {
  it("counts each file once, in kB, says what came from the cache, and stays silent without network work", async () => {
    const first = await buildLogged(bundler, `import music from "oga:battle-theme-a";\nimport { files } from "oga:retro-sfx-pack";\nglobalThis.__oga = { music, files };\n`);
    const downloaded: [string, string][] = [["battle-theme-a", "battleThemeA.mp3"], ["retro-sfx-pack", "coin.wav"], ["retro-sfx-pack", "explosion.wav"], ["retro-sfx-pack", "jump.wav"]];
    const summary = first.at(-1)!;
    expect(summary).toMatch(/^4 files in \d+(\.\d)? s: 4 downloaded \(\d+(\.\d)? kB\)$/);
    expect(summary).toContain(`(${await lockedSize(downloaded)})`);
    expect(first.slice(0, -1).every((line) => line === `downloading from ${new URL(replica.url).host}…`)).toBe(true);
    expect(first.length).toBeLessThanOrEqual(2);

    const second = await buildLogged(bundler, `import music from "oga:battle-theme-a";\nimport { files } from "oga:retro-sfx-pack";\nimport hero from "oga:tiny-sprites/hero_16.png";\nglobalThis.__oga = { music, files, hero };\n`);
    expect(second.at(-1)).toBe(`5 files in ${second.at(-1)!.split(" ")[3]} s: 1 downloaded (${await lockedSize([["tiny-sprites", "hero_16.png"]])}), 4 from the cache`);

    expect(await buildLogged(bundler, `import music from "oga:battle-theme-a";\nglobalThis.__oga = { music };\n`)).toEqual([]);
  });
});

describe("the download log of the dev server", () => {
  it("sums up each batch of imports once they resolve, not when the server closes", async () => {
    await writeFile(path.join(project.root, "src/main.js"), `import { files } from "oga:retro-sfx-pack";\nglobalThis.__oga = { files };\n`);
    const lines: string[] = [];
    const logger = capturingLogger(lines);
    const { createServer } = await import("vite");
    const server = await createServer({
      root: project.root,
      configFile: false,
      customLogger: logger,
      server: { port: 0, host: "127.0.0.1" },
      optimizeDeps: { noDiscovery: true, include: [] },
      plugins: [ogaPlugin(testOptions(project, replica.url)) as never],
    });
    try {
      await server.listen();
      const base = `http://127.0.0.1:${(server.httpServer!.address() as { port: number }).port}`;
      const main = await (await fetch(`${base}/src/main.js`)).text();
      const id = /from\s+["']([^"']*oga:[^"']*)["']/.exec(main)![1]!;
      expect((await fetch(base + id)).status).toBe(200);
      const ours = () => lines.filter((l) => l.includes("[vite-plugin-oga]")).map((l) => l.slice(l.indexOf("]") + 2));
      await expect.poll(ours, { timeout: 5000 }).toContainEqual(expect.stringMatching(/^3 files in \d+(\.\d)? s: 3 downloaded \(\d+(\.\d)? kB\)$/));
    } finally {
      await server.close();
    }
  });
});
