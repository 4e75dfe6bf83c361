import { mkdtemp, mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveOptions } from "../../src/project/options.js";
import { generateDeclarations, globDeclarationName } from "../../src/project/declarations.js";
import { emptyLockfile } from "../../src/store/lockfile.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "oga-opts-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("resolveOptions", () => {
  it("applies defaults relative to the root", () => {
    const o = resolveOptions({}, root, { HOME: "/home/x" });
    expect(o.url).toBe("https://opengameart.org");
    expect(o.lockfile).toBe(path.join(root, "oga.lock.json"));
    expect(o.dts).toBe(path.join(root, "oga-env.d.ts"));
    expect(o.offline).toBe(false);
    expect(o.frozen).toBe(false);
  });

  it("reads the search delay from OGA_SEARCH_DELAY, as oga search does, and refuses a bad one", () => {
    expect(resolveOptions({}, root, {}).searchDelaySeconds).toBeUndefined();
    expect(resolveOptions({}, root, { OGA_SEARCH_DELAY: " 2.5 " }).searchDelaySeconds).toBe(2.5);
    expect(resolveOptions({}, root, { OGA_SEARCH_DELAY: "0" }).searchDelaySeconds).toBe(0);
    for (const bad of ["soon", "-1"]) expect(() => resolveOptions({}, root, { OGA_SEARCH_DELAY: bad }), bad).toThrow(/OGA_SEARCH_DELAY: expected a number of seconds >= 0/);
  });

  it("puts the declarations in src/ when src/ exists (create-vite includes only src)", async () => {
    await mkdir(path.join(root, "src"));
    expect(resolveOptions({}, root, {}).dts).toBe(path.join(root, "src/oga-env.d.ts"));
    expect(resolveOptions({ dts: false }, root, {}).dts).toBe(false);
  });

  it("lets OGA_* override options, and freezes by default under CI", () => {
    const env = { OGA_URL: "http://127.0.0.1:9/", OGA_CACHE_DIR: "/c", OGA_OFFLINE: "1", OGA_FROZEN: "1" };
    const o = resolveOptions({ url: "http://other", cacheDir: "/d", offline: false, frozen: false }, root, env);
    expect([o.url, o.cacheDir, o.offline, o.frozen]).toEqual(["http://127.0.0.1:9", "/c", true, true]);
    expect(resolveOptions({}, root, { CI: "true" }).frozen).toBe(true);
    expect(resolveOptions({ frozen: false }, root, { CI: "true" }).frozen).toBe(false);
    expect(resolveOptions({}, root, { CI: "true", OGA_FROZEN: "0" }).frozen).toBe(false);
  });
});

describe("declarations", () => {
  it("declares a glob by its own name when it has at most one *, else through a one-* pattern that matches it", () => {
    expect(globDeclarationName("oga:x/*.png")).toBe("oga:x/*.png");
    expect(globDeclarationName("oga:x/{a,b}.png")).toBe("oga:x/{a,b}.png");
    expect(globDeclarationName("oga:x/**/*.png")).toBe("oga:x/*.png");
    expect(globDeclarationName("oga:x/a*b*c.wav")).toBe("oga:x/a*c.wav");
    expect(globDeclarationName("oga:x/{a,b}/**/*.wav")).toBe("oga:x/*.wav");
  });

  it("merges globs that collapse to one pattern and is deterministic", () => {
    const lock = emptyLockfile();
    lock.assets.x = {
      pageUrl: "p", title: "X", author: { name: "a", url: null }, licenses: [], attribution: "", type: null, main: "a.png",
      files: { "a.png": { url: "u", size: 1 }, "b.png": { url: "u", size: 1 }, "c.wav": { url: "u", size: 1 } },
    };
    lock.specifiers = ["oga:x/**/{a,zz}*.png", "oga:x/**/b*.png"];
    const text = generateDeclarations(lock);
    expect(text.match(/declare module "oga:x\/\*\.png"/g)).toHaveLength(1);
    expect(text).toContain(`const matches: { readonly "a.png": string; readonly "b.png": string; }`);
    expect(text).toContain('declare module "oga:x/c.wav"');
    expect(generateDeclarations({ ...lock, specifiers: [...lock.specifiers].reverse() })).toBe(text);
  });
});
