/**
 * What a frozen lockfile promises, through the resolver the plugin and the CLI share, with the
 * replica over HTTP, a real cache and the lockfile on disk: nothing outside the lock is fetched,
 * a file without a hash is refused, the lockfile is never written, and a zip entry that no longer
 * hashes to its pin is refused.
 */
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseSpecifier } from "../../src/project/specifier.js";
import { parseLockfile } from "../../src/store/lockfile.js";
import { failure, useResolverSite } from "./resolver-harness.js";

const site = useResolverSite("frozen-policy");

/** Locks `specifiers` in a project without freezing, and returns its lockfile's text. */
async function lockedProject(project: string, specifiers: string[]): Promise<string> {
  const { resolver, lockfile } = await site.resolver({ frozen: false }, project);
  await resolver.prefetch(specifiers.map(parseSpecifier));
  expect((await resolver.session.flush()).lockWritten).toBe(true);
  return readFile(lockfile, "utf8");
}

describe("a frozen lockfile", () => {
  it("refuses an asset it does not lock, before any request", async () => {
    const { resolver, lockfile } = await site.resolver({ frozen: true });
    const before = site.replica.requests.count();
    const error = await failure(resolver.asset("battle-theme-a", "oga:battle-theme-a"));
    expect(error.code).toBe("OGA_FROZEN");
    expect(error.message).toContain(`"oga:battle-theme-a" is not in ${lockfile} and the lockfile is frozen`);
    expect(site.replica.requests.count()).toBe(before);
  });

  it("refuses a locked file that has no sha256, before any request, and writes nothing", async () => {
    const text = await lockedProject("no-hash", ["oga:battle-theme-a"]);
    const lock = parseLockfile(text, "x");
    const [name, file] = Object.entries(lock.assets["battle-theme-a"]!.files)[0]!;
    delete file.sha256;
    const { resolver, lockfile } = await site.resolver({ frozen: true }, "no-hash");
    const edited = JSON.stringify(lock, null, 2);
    await writeFile(lockfile, edited);
    await resolver.session.reload();
    const before = site.replica.requests.count();
    const error = await failure(resolver.file("battle-theme-a", name, "oga:battle-theme-a"));
    expect(error.code).toBe("OGA_FROZEN");
    expect(error.message).toContain(`file "${name}" has no hash in ${lockfile} and the lockfile is frozen`);
    expect(site.replica.requests.count()).toBe(before);
    expect((await resolver.session.flush()).lockWritten).toBe(false);
    expect(await readFile(lockfile, "utf8")).toBe(edited);
  });

  it("resolves what it locks and never writes the lockfile, even when the session learnt something", async () => {
    const text = await lockedProject("learns", ["oga:battle-theme-a"]);
    const lock = parseLockfile(text, "x");
    // An ETag the lock does not have yet: a thawed session would record it.
    for (const file of Object.values(lock.assets["battle-theme-a"]!.files)) delete file.etag;
    const { resolver, lockfile } = await site.resolver({ frozen: true }, "learns");
    const edited = JSON.stringify(lock, null, 2);
    await writeFile(lockfile, edited);
    await resolver.session.reload();
    const files = await resolver.prefetch([parseSpecifier("oga:battle-theme-a")]);
    expect(files.length).toBeGreaterThan(0);
    resolver.recordSpecifier("oga:battle-theme-a/other");
    expect(resolver.session.lock.specifiers).not.toContain("oga:battle-theme-a/other");
    expect((await resolver.session.flush()).lockWritten).toBe(false);
    expect(await readFile(lockfile, "utf8")).toBe(edited);
  });
});

describe("a zip entry pinned in the lockfile", () => {
  const specifier = "oga:dungeon-pack/tiles.zip/png/floor.png";

  it("is recorded with its size and sha256 when the lock is not frozen", async () => {
    const lock = parseLockfile(await lockedProject("zip-pin", [specifier]), "x");
    const entry = lock.assets["dungeon-pack"]!.files["tiles.zip"]!.entries!["png/floor.png"]!;
    expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.size).toBeGreaterThan(0);
  });

  for (const frozen of [false, true]) {
    it(`is refused when the archive's entry no longer hashes to the pin (${frozen ? "frozen" : "not frozen"})`, async () => {
      const project = `zip-changed-${frozen}`;
      const lock = parseLockfile(await lockedProject(project, [specifier]), "x");
      const entry = lock.assets["dungeon-pack"]!.files["tiles.zip"]!.entries!["png/floor.png"]!;
      const pinned = "0".repeat(64);
      const actual = entry.sha256;
      entry.sha256 = pinned;
      const { resolver, lockfile } = await site.resolver({ frozen }, project);
      const edited = JSON.stringify(lock, null, 2);
      await writeFile(lockfile, edited);
      await resolver.session.reload();
      const error = await failure(resolver.prefetch([parseSpecifier(specifier)]));
      expect(error.code).toBe("OGA_INTEGRITY");
      expect(error.message).toContain(`tiles.zip/png/floor.png: the lockfile expects sha256 ${pinned} but the archive holds ${actual}`);
      await resolver.session.flush();
      expect(await readFile(lockfile, "utf8")).toBe(edited);
    });
  }
});
