/**
 * An offline build with an empty cache (or a site out of reach) fails with one error that lists
 * every import the cache lacks, where it is written, and the one command that fetches them all;
 * no stack trace or cause chain unless OGA_DEBUG=1. Under Vite 8, Vite 7 and Rollup.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildFixture, testOptions, type Bundler } from "./helpers.js";
import { useReplicaProject } from "./hooks.js";

const { replica, project } = useReplicaProject("game");

const MAIN = `import music from "oga:battle-theme-a";
import { files as sprites, meta } from "oga:tiny-sprites";
import jump from "oga:retro-sfx-pack/jump.wav";
import tracks from "oga:imminent-threat/*.ogg";
const hero = new URL("oga:tiny-sprites/hero_16.png", import.meta.url).href;
globalThis.__oga = { music, sprites, meta, jump, tracks, hero };
`;
const SPECIFIERS = ["oga:battle-theme-a", "oga:tiny-sprites", "oga:retro-sfx-pack/jump.wav", "oga:imminent-threat/*.ogg", "oga:tiny-sprites/hero_16.png"];

type BuildError = Error & { code?: string; pluginCode?: string; errors?: BuildError[] };

async function offlineFailure(bundler: Bundler): Promise<{ errors: BuildError[]; thrown: BuildError }> {
  await writeFile(path.join(project.root, "src/main.js"), MAIN);
  const thrown = await buildFixture(bundler, project.root, testOptions(project, replica.url, { offline: true })).then(
    () => {
      throw new Error("the offline build did not fail");
    },
    (e: BuildError) => e,
  );
  // Vite 8 wraps the plugins' errors in "Build failed with N errors".
  return { errors: thrown.errors ?? [thrown], thrown };
}

afterEach(() => {
  delete process.env.OGA_DEBUG;
});

describe.each<Bundler>(["vite8", "vite7", "rollup"])("%s, offline with an empty cache", (bundler) => {
  it("fails with one OGA_OFFLINE error naming every import, where it is written, and the one command", async () => {
    const { errors } = await offlineFailure(bundler);
    expect(errors).toHaveLength(1);
    const error = errors[0]!;
    expect(error.pluginCode ?? error.code).toBe("OGA_OFFLINE");
    const message = error.message;
    expect(message).toMatch(/5 imports not in the cache, and offline mode is on:/);
    // Relative to the root under Vite; plain Rollup knows no root, so the path is absolute there.
    const where = bundler === "rollup" ? path.join(project.root, "src", "main.js") : path.join("src", "main.js");
    for (const specifier of SPECIFIERS) expect(message).toContain(`\n  ${where}: "${specifier}"\n`);
    expect(message.match(/oga prefetch/g)).toHaveLength(1);
    // The message is all there is: no cause chain, no stack frames of ours.
    expect(error.cause).toBeUndefined();
    expect(error.stack ?? "").not.toMatch(/\bat .*(plugin|project)[\\/]/);
    expect(message).not.toContain("Caused by");
  });

  it("keeps the stack and every gathered error as the cause with OGA_DEBUG=1", async () => {
    process.env.OGA_DEBUG = "1";
    const { errors } = await offlineFailure(bundler);
    const cause = errors[0]!.cause as { cause?: AggregateError } | undefined;
    expect(cause?.cause).toBeInstanceOf(AggregateError);
    expect(cause!.cause!.errors).toHaveLength(SPECIFIERS.length);
    for (const gathered of cause!.cause!.errors) expect((gathered as { code?: string }).code).toBe("OGA_OFFLINE");
  });
});
