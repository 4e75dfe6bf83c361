/**
 * The lockfile's text on disk: canonical (sorted keys at every level, inside lists too, specifiers
 * sorted once each, trailing newline), written only when it changes, and a reading error that keeps
 * what went wrong as its cause.
 */
import { mkdir, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OgaError } from "../../src/errors.js";
import { LockfileFieldError } from "../../src/store/lockfile-fields.js";
import { emptyLockfile, formatLockfile, parseLockfile, readLockfile, writeLockfile, type LockedAsset, type Lockfile } from "../../src/store/lockfile.js";
import { nameRecord } from "../../src/store/name-record.js";
import { withResourceLimit } from "./resource-limit.js";

const asset = {
  title: "A",
  pageUrl: "https://opengameart.org/content/a",
  author: { url: null, name: "Me" },
  collaborators: [{ url: "https://opengameart.org/users/b", name: "B" }],
  licenses: ["CC0"],
  attribution: "",
  type: null,
  main: "a.ogg",
  files: nameRecord([["a.ogg", { url: "https://opengameart.org/a.ogg", size: 3 }]]),
} as unknown as LockedAsset;

const EXPECTED = `{
  "assets": {
    "a": {
      "attribution": "",
      "author": {
        "name": "Me",
        "url": null
      },
      "collaborators": [
        {
          "name": "B",
          "url": "https://opengameart.org/users/b"
        }
      ],
      "files": {
        "a.ogg": {
          "size": 3,
          "url": "https://opengameart.org/a.ogg"
        }
      },
      "licenses": [
        "CC0"
      ],
      "main": "a.ogg",
      "pageUrl": "https://opengameart.org/content/a",
      "title": "A",
      "type": null
    }
  },
  "specifiers": [
    "oga:a",
    "oga:b"
  ],
  "version": 1
}
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "oga-lock-text-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the lockfile's text", () => {
  it("sorts keys at every level, objects inside lists included, and lists each specifier once, sorted", () => {
    const lock: Lockfile = { version: 1, assets: nameRecord([["a", asset]]), specifiers: ["oga:b", "oga:a", "oga:b"] };
    expect(formatLockfile(lock)).toBe(EXPECTED);
  });

  it("a missing file reads as the empty lockfile, and the empty lockfile has nothing in it", async () => {
    const lock = await readLockfile(path.join(dir, "none.json"));
    expect({ ...lock, assets: { ...lock.assets } }).toEqual({ version: 1, assets: {}, specifiers: [] });
    expect(formatLockfile(emptyLockfile())).toBe('{\n  "assets": {},\n  "specifiers": [],\n  "version": 1\n}\n');
  });

  it("writes only when the text changes, whole, into a directory it creates", async () => {
    const file = path.join(dir, "sub", "oga.lock.json");
    const lock: Lockfile = { version: 1, assets: nameRecord([["a", asset]]), specifiers: ["oga:a", "oga:b"] };
    expect(await writeLockfile(file, lock)).toBe(true);
    expect(await readFile(file, "utf8")).toBe(EXPECTED);
    expect(await writeLockfile(file, lock)).toBe(false);
    expect(await writeLockfile(file, { ...lock, specifiers: ["oga:a"] })).toBe(true);
    expect(await readdir(path.dirname(file))).toEqual(["oga.lock.json"]);
  });

  it("a write that fails leaves no temp file behind", async () => {
    // The lockfile's path is a directory with something in it: the rename over it fails.
    const target = path.join(dir, "lockdir");
    await mkdir(path.join(target, "inner"), { recursive: true });
    await expect(writeLockfile(target, emptyLockfile())).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["lockdir"]);
  });

  it("out of open files, a write fails with that reason (not a missing temp file) and leaves the old lockfile alone", async () => {
    const file = path.join(dir, "oga.lock.json");
    await writeLockfile(file, emptyLockfile());
    const lock: Lockfile = { version: 1, assets: nameRecord([["a", asset]]), specifiers: ["oga:a", "oga:b"] };
    // No descriptor left: the temp file cannot even be created, so cleaning up finds nothing.
    const error = await withResourceLimit("nofile", 0, () => writeLockfile(file, lock).then(() => undefined, (e: unknown) => e));
    expect((error as NodeJS.ErrnoException).code).toBe("EMFILE");
    expect((error as Error).message).toMatch(new RegExp(`^EMFILE: too many open files, open '${file}\\.\\d+\\.[0-9a-f]{8}\\.tmp'$`));
    expect(await readdir(dir)).toEqual(["oga.lock.json"]);
    expect(await readFile(file, "utf8")).toBe(formatLockfile(emptyLockfile()));
  });

  it("a corrupt lockfile's error keeps the reason as its cause", () => {
    const causeOf = (text: string): unknown => {
      try {
        parseLockfile(text, "oga.lock.json");
      } catch (error) {
        expect(error).toBeInstanceOf(OgaError);
        return (error as OgaError).cause;
      }
      throw new Error("read fine");
    };
    expect(causeOf("{")).toBeInstanceOf(SyntaxError);
    const fieldError = causeOf(JSON.stringify({ version: 1, assets: 1 }));
    expect(fieldError).toBeInstanceOf(LockfileFieldError);
    expect(fieldError).toMatchObject({ name: "LockfileFieldError", field: "assets", why: "is 1, expected an object" });
  });
});
