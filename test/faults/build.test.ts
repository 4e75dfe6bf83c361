// The fault matrix through a real `vite build` with the plugin, where most users meet it: the
// build either succeeds with the right bytes emitted, or fails with an error that names the
// importer's specifier and the cause. The cache and the lockfile stay valid either way, and a
// build after the fault is gone succeeds.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeSharedStores } from "../../src/project/resolve-asset.js";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { readLockfile } from "../../src/store/lockfile.js";
import { minimalAsset, startReplica, type Replica } from "../replica/index.js";
import { buildFixture, bytesOf, listFiles, makeProject, testOptions } from "../plugin/helpers.js";
import { expectCacheValid, expectLockfileValid, FAST, filePath, servedBytes, sha256 } from "./helpers.js";

let replica: Replica;
let project: Awaited<ReturnType<typeof makeProject>>;
let counter = 0;

beforeAll(async () => {
  replica = await startReplica();
});
afterAll(async () => {
  await closeSharedStores();
  await replica.close();
});
beforeEach(async () => {
  project = await makeProject("game");
  replica.faults.clear();
  replica.requests.reset();
});
afterEach(() => project.cleanup());

/** Another machine's cache (removed with the project): a build there must download. */
const freshCache = (): string => path.join(path.dirname(project.cacheDir), "fresh-cache");

/** Plugin options with the matrix's short retry delays and timeout. */
function options(extra: OgaPluginOptions = {}): OgaPluginOptions {
  return testOptions(project, replica.url, {
    retries: FAST.retries!,
    retryDelaySeconds: FAST.retryDelaySeconds!,
    timeoutSeconds: FAST.timeoutSeconds!,
    ...extra,
  });
}

/** A fresh asset with one generated file; its specifier imports exactly that file. */
function freshAsset(size = 300_000): { slug: string; name: string; path: string; specifier: string } {
  const slug = `fault-build-${++counter}`;
  const name = `${slug}.ogg`;
  replica.catalogue.addAsset(minimalAsset(slug, { files: [{ path: name, body: { generate: { size } } }] }));
  return { slug, name, path: filePath(name), specifier: `oga:${slug}/${name}` };
}

async function importing(specifier: string): Promise<void> {
  await writeFile(path.join(project.root, "src/main.js"), `import x from ${JSON.stringify(specifier)};\nglobalThis.__oga = { x };\n`);
}

/** Builds with Vite 8 and checks the emitted file is byte for byte what the replica serves. */
async function expectBuilds(slug: string, name: string, extra: OgaPluginOptions = {}): Promise<void> {
  const result = await buildFixture("vite8", project.root, options(extra));
  const emitted = await bytesOf(result.values.x as string, result.outDir);
  expect(sha256(emitted)).toBe(sha256(await servedBytes(replica, slug, name)));
  await expectCacheValid(project.cacheDir);
  await expectLockfileValid(project.lockfile);
}

/** The build's error: its plugin code and all its text (Vite 8 nests plugin errors). */
async function buildFailure(extra: OgaPluginOptions = {}): Promise<{ code: string; text: string }> {
  try {
    await buildFixture("vite8", project.root, options(extra));
  } catch (error) {
    const e = error as { message: string; code?: string; pluginCode?: string; errors?: { message: string; pluginCode?: string; code?: string }[] };
    const inner = e.errors?.[0];
    return { code: inner?.pluginCode ?? inner?.code ?? e.pluginCode ?? e.code ?? "", text: [e.message, ...(e.errors ?? []).map((i) => i.message)].join("\n") };
  }
  throw new Error("the build did not fail");
}

describe("transfer faults in a build", () => {
  it("connection reset mid-body: the build succeeds and pins the right hash", async () => {
    const { slug, name, path: urlPath, specifier } = freshAsset();
    await importing(specifier);
    replica.faults.add({ path: urlPath, kind: "reset", afterBytes: 120_000, times: 1 });
    await expectBuilds(slug, name);
    expect(replica.requests.filter(urlPath).map((r) => r.status)).toEqual([200, 206]);
    const lock = await readLockfile(project.lockfile);
    expect(lock.assets[slug]!.files[name]!.sha256).toBe(sha256(await servedBytes(replica, slug, name)));
  });

  it("a file larger than maxFileSize: OGA_TOO_LARGE naming the import and the option", async () => {
    const { slug, name, specifier } = freshAsset(5_000);
    await importing(specifier);
    const { code, text } = await buildFailure({ maxFileSize: 1_000 });
    expect(code).toBe("OGA_TOO_LARGE");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain("maxFileSize");
    await expectCacheValid(project.cacheDir);
    await expectBuilds(slug, name, { maxFileSize: 5_000 });
  });

  it("an asset page whose markup lacks the files section: OGA_PARSE, not an empty module", async () => {
    const { slug, name, specifier } = freshAsset(5_000);
    await importing(`oga:${slug}`);
    replica.faults.add({
      path: `/content/${slug}`,
      kind: "markup",
      edit: (html) => html.replace(/<div class="field field-name-field-art-files[\s\S]*?<\/div><\/div><\/div>(<\/div>)*/, ""),
    });
    const { code, text } = await buildFailure();
    expect(code).toBe("OGA_PARSE");
    expect(text).toContain(`"oga:${slug}"`);
    expect(text).toContain("files section");
    await expectCacheValid(project.cacheDir);
    replica.faults.clear();
    await importing(specifier);
    await expectBuilds(slug, name);
  });
});

describe("upstream changes", () => {
  it("the file changes between describe and download: the build takes the bytes it downloaded, whole", async () => {
    const { slug, name, path: urlPath, specifier } = freshAsset(5_000);
    await importing(specifier);
    // Hold the file request until the page was read and locked, then change the file.
    replica.faults.add({ path: urlPath, kind: "delay", ms: 300, times: 1 });
    const building = buildFixture("vite8", project.root, options());
    await expect.poll(() => replica.requests.count(urlPath), { interval: 5 }).toBe(1);
    replica.catalogue.setFileContent(slug, name, Buffer.from("version two"));
    const result = await building;
    expect((await bytesOf(result.values.x as string, result.outDir)).toString()).toBe("version two");
    const locked = (await readLockfile(project.lockfile)).assets[slug]!.files[name]!;
    expect(locked).toMatchObject({ sha256: sha256(Buffer.from("version two")), size: 11 });
    await expectCacheValid(project.cacheDir);
    await expectLockfileValid(project.lockfile);
  });

  it("the file changes after it was locked: OGA_INTEGRITY naming the import and `oga update`; nothing wrong stored", async () => {
    const { slug, name, specifier } = freshAsset(5_000);
    await importing(specifier);
    await expectBuilds(slug, name);
    const original = await servedBytes(replica, slug, name);
    const lockBefore = await readFile(project.lockfile, "utf8");
    replica.catalogue.setFileContent(slug, name, Buffer.from("someone re-uploaded it"));
    // A fresh machine (its own cache): must download, finds other bytes.
    const { code, text } = await buildFailure({ cacheDir: freshCache() });
    expect(code).toBe("OGA_INTEGRITY");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain(`${name} changed upstream: the lockfile expects sha256 ${sha256(original)}`);
    expect(text).toContain(`the site now serves a 22-byte file instead of 5000 bytes`);
    expect(text).toContain(`oga update ${slug}`);
    // The advice once, naming the asset (not also the store's generic "Run `oga update` …").
    expect(text).not.toContain("Run `oga update` to accept");
    expect(await readFile(project.lockfile, "utf8")).toBe(lockBefore);
    await expectCacheValid(freshCache());
    replica.catalogue.setFileContent(slug, name, original);
    await expectBuilds(slug, name, { cacheDir: freshCache() });
  });

  it("the file changes after it was locked, to as many bytes: the downloaded bytes' sha256 catches it", async () => {
    const { slug, name, specifier } = freshAsset(5_000);
    await importing(specifier);
    await expectBuilds(slug, name);
    const original = await servedBytes(replica, slug, name);
    const changed = Buffer.from(original);
    changed[changed.length - 1] = changed[changed.length - 1]! ^ 0xff;
    replica.catalogue.setFileContent(slug, name, changed);
    const lockBefore = await readFile(project.lockfile, "utf8");
    replica.requests.reset();
    const { code, text } = await buildFailure({ cacheDir: freshCache() });
    expect(code).toBe("OGA_INTEGRITY");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain(`${name} changed upstream: the lockfile expects sha256 ${sha256(original)} but the site now serves sha256 ${sha256(changed)}`);
    expect(text).toContain(`oga update ${slug}`);
    // The whole body came (the length told nothing), and none of it was kept.
    expect(replica.requests.filter(filePath(name)).map((r) => r.status)).toEqual([200]);
    expect(await listFiles(path.join(freshCache(), "files"))).toEqual([]);
    expect(await readFile(project.lockfile, "utf8")).toBe(lockBefore);
    await expectCacheValid(freshCache());
  });

  it("the cache directory is removed while this process's store has it open: the next build recreates it", async () => {
    const { slug, name, specifier } = freshAsset(5_000);
    await importing(specifier);
    await expectBuilds(slug, name);
    await rm(project.cacheDir, { recursive: true });
    replica.requests.reset();
    await expectBuilds(slug, name);
    expect(replica.requests.filter(filePath(name)).map((r) => r.status)).toEqual([200]);
  });

  it("the cache cannot be written (tmp/ is a file): OGA_CACHE naming the path and the system error, not OGA_INTEGRITY", async () => {
    const { slug, name, specifier } = freshAsset(5_000);
    await importing(specifier);
    await rm(path.join(project.cacheDir, "tmp"), { recursive: true, force: true });
    await mkdir(project.cacheDir, { recursive: true });
    await writeFile(path.join(project.cacheDir, "tmp"), "not a directory");
    const { code, text } = await buildFailure();
    expect(code).toBe("OGA_CACHE");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain(`Could not create ${path.join(project.cacheDir, "tmp")} (EEXIST: file already exists)`);
    expect(text).toContain("A file sits where the cache");
    expect(text).not.toContain("OGA_INTEGRITY");
    await rm(path.join(project.cacheDir, "tmp"));
    await expectBuilds(slug, name);
  });

  it("a file that disappears (404) after it was described and locked: OGA_NOT_FOUND naming the import", async () => {
    const { slug, name, specifier } = freshAsset(5_000);
    await importing(specifier);
    await expectBuilds(slug, name);
    const body = await servedBytes(replica, slug, name);
    replica.catalogue.removeFile(slug, name);
    const { code, text } = await buildFailure({ cacheDir: freshCache() });
    expect(code).toBe("OGA_NOT_FOUND");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain(name);
    await expectCacheValid(freshCache());
    await expectLockfileValid(project.lockfile);
    replica.catalogue.addFile(slug, { path: name, body });
    await expectBuilds(slug, name, { cacheDir: freshCache() });
  });
});

describe("configuration faults", () => {
  it.each([
    ["empty id", "oga:"],
    ["'..' as the id", "oga:../secrets"],
    ["'..' in the file path", "oga:battle-theme-a/../../etc/passwd"],
    ["an absolute path", "oga:/etc/passwd"],
    ["a query string", "oga:battle-theme-a?url"],
  ])("a malformed specifier (%s): OGA_BAD_INPUT naming it, before any request", async (_, specifier) => {
    await importing(specifier);
    const { code, text } = await buildFailure();
    expect(code).toBe("OGA_BAD_INPUT");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain("valid forms");
    expect(replica.requests.length).toBe(0);
    await expectCacheValid(project.cacheDir);
  });

  it("offline with an empty cache: OGA_OFFLINE naming the import and `oga prefetch`, no request", async () => {
    const { slug, name, specifier } = freshAsset(5_000);
    await importing(specifier);
    const { code, text } = await buildFailure({ offline: true });
    expect(code).toBe("OGA_OFFLINE");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain("oga prefetch");
    expect(replica.requests.length).toBe(0);
    await expectCacheValid(project.cacheDir);
    await expectBuilds(slug, name);
    replica.requests.reset();
    await expectBuilds(slug, name, { offline: true });
    expect(replica.requests.length).toBe(0);
  });

  it("frozen with a stale lockfile (the import is not in it): OGA_FROZEN, lockfile untouched", async () => {
    const first = freshAsset(5_000);
    await importing(first.specifier);
    await expectBuilds(first.slug, first.name);
    const lockBefore = await readFile(project.lockfile, "utf8");
    const added = freshAsset(5_000);
    await importing(added.specifier);
    replica.requests.reset();
    const { code, text } = await buildFailure({ frozen: true });
    expect(code).toBe("OGA_FROZEN");
    expect(text).toContain(`"${added.specifier}"`);
    expect(text).toContain("oga prefetch");
    // Refused from the lockfile alone: not even the asset page was asked for.
    expect(replica.requests.length).toBe(0);
    expect(await readFile(project.lockfile, "utf8")).toBe(lockBefore);
    await expectCacheValid(project.cacheDir);
    await expectBuilds(added.slug, added.name); // unfrozen, the lockfile takes the new import
    await expectBuilds(added.slug, added.name, { frozen: true });
  });

  it("frozen with a stale lock (the pinned file changed upstream): OGA_FROZEN naming `oga update`", async () => {
    const { slug, name, specifier } = freshAsset(5_000);
    await importing(specifier);
    await expectBuilds(slug, name);
    const original = await servedBytes(replica, slug, name);
    replica.catalogue.setFileContent(slug, name, Buffer.from("re-uploaded"));
    const { code, text } = await buildFailure({ frozen: true, cacheDir: freshCache() });
    expect(code).toBe("OGA_FROZEN");
    expect(text).toContain(`"${specifier}"`);
    expect(text).toContain(`${name} no longer matches the sha256 in the frozen lockfile`);
    expect(text).toContain(`oga update ${slug}`);
    await expectCacheValid(freshCache());
    replica.catalogue.setFileContent(slug, name, original);
    await expectBuilds(slug, name, { frozen: true, cacheDir: freshCache() });
  });
});
