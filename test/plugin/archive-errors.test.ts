import { existsSync } from "node:fs";
import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AMPLIFIER_ENTRIES, AMPLIFIER_ENTRY_SIZE, BOMB_SIZE } from "../replica/index.js";
import { buildFailure, buildFixture, type Bundler, listFiles, testOptions } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("packs");

const LIMIT = 1 << 20;

const failure = (bundler: Bundler, specifier: string) => buildFailure(bundler, project, replica.url, specifier, { archives: { maxEntrySize: LIMIT } });

const CASES: [what: string, specifier: string, ...expected: string[]][] = [
  ["zip-slip", "oga:hostile-packs/zip-slip.zip/readme.txt", '"../evil.txt"', "zip-slip"],
  ["an absolute path", "oga:hostile-packs/absolute.zip/readme.txt", '"/tmp/oga-absolute-x"', "absolute path"],
  ["a symlink", "oga:hostile-packs/symlink.zip/readme.txt", '"link"', "symbolic link"],
  ["a bomb past the limit", "oga:hostile-packs/bomb.zip/bomb.bin", `declares ${BOMB_SIZE} bytes, over the limit of ${LIMIT}`, "zip bomb"],
  ["a bomb lying about its size", "oga:hostile-packs/lying-bomb.zip/small.bin", "inflates to more than the 1000 bytes it declares", "zip bomb"],
  ["a truncated archive", "oga:hostile-packs/truncated.zip/a.txt", "truncated.zip is not a valid zip archive"],
  [
    "an archive unpacking to ~1000 times its size",
    "oga:hostile-packs/amplifier.zip/zeros-1.bin",
    `amplifier.zip is refused: it declares ${AMPLIFIER_ENTRIES * AMPLIFIER_ENTRY_SIZE + 15} bytes unpacked in ${AMPLIFIER_ENTRIES + 1} entries from `,
    "(the limit is 100)",
    "raise archives.maxRatio",
  ],
  ["a glob reaching a hostile archive", "oga:hostile-packs/**/*.txt", "is refused"],
];

describe.each<Bundler>(["vite8", "vite7", "rollup"])("hostile archives under %s", (bundler) => {
  it.each(CASES)("%s fails with OGA_ARCHIVE naming the import; nothing outside the cache, no temp files", async (_what, specifier, ...expected) => {
    const before = await listFiles(project.root);
    const { code, text } = await failure(bundler, specifier);
    expect(code).toBe("OGA_ARCHIVE");
    expect(text).toContain(path.join("src", "main.js"));
    expect(text).toContain(`"${specifier}"`);
    for (const part of expected) expect(text).toContain(part);
    // The project gained nothing but what a failed build may write (the lockfile of what did resolve).
    expect((await listFiles(project.root)).filter((f) => f !== "oga.lock.json" && !f.startsWith("src/oga-env.d.ts"))).toEqual(before);
    expect(existsSync("/tmp/oga-absolute-x")).toBe(false);
    expect(existsSync(path.join(project.cacheDir, "evil.txt"))).toBe(false);
    expect(existsSync(path.join(path.dirname(project.cacheDir), "evil.txt"))).toBe(false);
    expect(await listFiles(path.join(project.cacheDir, "tmp"))).toEqual([]);
    // No blob of hostile content: every blob is a zip the site served or a harmless entry.
    const blobs = (await listFiles(path.join(project.cacheDir, "files"))).map((f) => path.basename(f));
    expect(blobs.filter((b) => !b.endsWith(".zip"))).toEqual([]);
  });

  it("an archive over archives.maxTotalSize: OGA_ARCHIVE naming the import, the sizes and the option; nothing extracted", async () => {
    const specifier = "oga:hostile-packs/amplifier.zip/*.bin";
    const { code, text } = await buildFailure(bundler, project, replica.url, specifier, { archives: { maxTotalSize: 16 << 20, maxRatio: 10_000 } });
    expect(code).toBe("OGA_ARCHIVE");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain(`declares ${AMPLIFIER_ENTRIES * AMPLIFIER_ENTRY_SIZE + 15} bytes unpacked in ${AMPLIFIER_ENTRIES + 1} entries, over the limit of ${16 << 20}`);
    expect(text).toContain("raise archives.maxTotalSize");
    expect(await listFiles(path.join(project.cacheDir, "tmp"))).toEqual([]);
    const blobs = (await listFiles(path.join(project.cacheDir, "files"))).map((f) => path.basename(f));
    expect(blobs.filter((b) => !b.endsWith(".zip"))).toEqual([]);
  });

  it("an entry the archive lacks: OGA_NO_FILE listing what the archive holds", async () => {
    const { code, text } = await failure(bundler, "oga:dungeon-pack/tiles.zip/png/flor.png");
    expect(code).toBe("OGA_NO_FILE");
    expect(text).toContain('tiles.zip has no entry "png/flor.png"');
    expect(text).toContain("png/floor.png");
    expect(text).not.toContain("__MACOSX");
  });
});

describe("archives.maxEntrySize lowered after an entry was extracted", () => {
  it("holds for that entry too: the rebuild fails with OGA_ARCHIVE naming the import, its size and the option", async () => {
    const specifier = "oga:dungeon-pack/tiles.zip/sfx/step.wav";
    await writeFile(path.join(project.root, "src/main.js"), `import x from ${JSON.stringify(specifier)};\nglobalThis.__oga = { x };\n`);
    const first = await buildFixture("vite8", project.root, testOptions(project, replica.url));
    const wav = first.assets.find((a) => a.endsWith(".wav"));
    expect(wav).toBeDefined();
    const size = (await stat(path.join(first.outDir, wav!))).size;

    const { code, text } = await buildFailure("vite8", project, replica.url, specifier, { archives: { maxEntrySize: size - 1 } });
    expect(code).toBe("OGA_ARCHIVE");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain(`entry "sfx/step.wav" is ${size} bytes, over the limit of ${size - 1}`);
    expect(text).toContain("raise archives.maxEntrySize");
    // At the limit it is the same entry, reused from the cache as before.
    const again = await buildFixture("vite8", project.root, testOptions(project, replica.url, { archives: { maxEntrySize: size } }));
    expect(again.assets).toEqual(first.assets);
  });
});
