/**
 * A blob is served without hashing only while its stamp matches every stat field the stamp keeps;
 * any difference (format, size, mtime, ctime, inode) means hashing it again, and a blob whose
 * bytes changed is "modified", however its size compares. Real files on disk.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Cache } from "../../src/store/cache.js";
import { withResourceLimit } from "./resource-limit.js";

const BODY = Buffer.from("the bytes of a blob");
const SHA = createHash("sha256").update(BODY).digest("hex");

let dir: string;
let cache: Cache;
let blob: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "oga-stamps-"));
  // No racy window: a stamp is recorded at once.
  cache = await Cache.open(path.join(dir, "cache"), { racyWindowMs: 0 });
  const temp = cache.tempPath();
  await writeFile(temp, BODY);
  blob = await cache.commitBlob(temp, SHA, "a.ogg");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function stampFile(): Promise<string> {
  const names = await readdir(path.join(dir, "cache", "stamps"));
  expect(names).toHaveLength(1);
  return path.join(dir, "cache", "stamps", names[0]!);
}

describe("blob stamps", () => {
  it("a verified blob is stamped, and the stamp vouches for it", async () => {
    expect(await cache.checkBlob(SHA, "a.ogg")).toBe("ok");
    expect(await cache.isStamped(SHA, "a.ogg")).toBe(true);
    expect(await cache.isStamped(SHA, "b.ogg")).toBe(false);
  });

  for (const field of ["format", "size", "mtimeMs", "ctimeMs", "ino"] as const) {
    it(`a stamp with another ${field} vouches for nothing: the blob is hashed again and stamped anew`, async () => {
      expect(await cache.checkBlob(SHA, "a.ogg")).toBe("ok");
      const file = await stampFile();
      const right = JSON.parse(await readFile(file, "utf8")) as Record<string, number>;
      await writeFile(file, JSON.stringify({ ...right, [field]: right[field]! + 1 }));
      expect(await cache.isStamped(SHA, "a.ogg")).toBe(false);
      expect(await cache.checkBlob(SHA, "a.ogg")).toBe("ok");
      expect(JSON.parse(await readFile(file, "utf8"))).toEqual(right);
    });
  }

  it("a stamp that is not an object vouches for nothing", async () => {
    expect(await cache.checkBlob(SHA, "a.ogg")).toBe("ok");
    const file = await stampFile();
    const right = await readFile(file, "utf8");
    for (const wrong of ["null", "1", '"x"']) {
      await writeFile(file, wrong);
      expect(await cache.isStamped(SHA, "a.ogg"), wrong).toBe(false);
      expect(await cache.checkBlob(SHA, "a.ogg")).toBe("ok");
      expect(JSON.parse(await readFile(file, "utf8"))).toEqual(JSON.parse(right));
    }
  });

  it("a blob rewritten with other bytes of the same size is modified, and loses its stamp", async () => {
    expect(await cache.checkBlob(SHA, "a.ogg")).toBe("ok");
    await writeFile(blob, Buffer.from("THE BYTES OF A BLOB"));
    expect(await cache.isStamped(SHA, "a.ogg")).toBe(false);
    expect(await cache.checkBlob(SHA, "a.ogg")).toBe("modified");
    expect(await readdir(path.join(dir, "cache", "stamps"))).toEqual([]);
  });

  it("a stamp without the stat fields vouches for nothing, not even for a blob that is gone", async () => {
    expect(await cache.checkBlob(SHA, "a.ogg")).toBe("ok");
    const file = await stampFile();
    // A damaged stamp (a hand edit, a torn copy of the cache): the format alone.
    const { format } = JSON.parse(await readFile(file, "utf8")) as { format: number };
    await writeFile(file, JSON.stringify({ format }));
    await rm(blob);
    expect(await cache.isStamped(SHA, "a.ogg")).toBe(false);
    expect(await cache.checkBlob(SHA, "a.ogg")).toBe("missing");
  });

  it("a blob path the file system cannot stat (a symlink loop) is OGA_CACHE naming it, not a missing blob", async () => {
    await rm(blob);
    await symlink(path.basename(blob), blob);
    for (const check of [() => cache.checkBlob(SHA, "a.ogg"), () => cache.isStamped(SHA, "a.ogg")]) {
      const error = await check().then(
        () => undefined,
        (e: unknown) => e as NodeJS.ErrnoException,
      );
      expect(error?.code).toBe("OGA_CACHE");
      expect((error?.cause as NodeJS.ErrnoException | undefined)?.code).toBe("ELOOP");
      expect(error?.message).toContain(`Could not read ${blob} (ELOOP`);
      expect(error?.message).toContain("A directory or a link sits where the cache");
    }
  });

  it("a blob removed while it is being hashed (another process cleaning the cache) is missing", async () => {
    // The race made certain: the real blob is removed just as the real hashing starts.
    const hashing = cache as unknown as { hashBlob(file: string): Promise<string> };
    const hashBlob = hashing.hashBlob.bind(cache);
    vi.spyOn(hashing, "hashBlob").mockImplementationOnce(async (file) => {
      await rm(file);
      return hashBlob(file);
    });
    // `full`: hashed even though commitBlob stamped it.
    expect(await cache.checkBlob(SHA, "a.ogg", { full: true })).toBe("missing");
    expect(await readdir(path.dirname(blob))).toEqual([]);
  });

  it("a blob that cannot be opened for hashing (no file descriptor left) is OGA_CACHE naming it, not missing", async () => {
    // "missing" would send the build to download it again; EMFILE says what to fix.
    const error = await withResourceLimit("nofile", 0, () =>
      cache.checkBlob(SHA, "a.ogg", { full: true }).then(
        () => undefined,
        (e: unknown) => e as NodeJS.ErrnoException,
      ),
    );
    expect(error?.code).toBe("OGA_CACHE");
    expect((error?.cause as NodeJS.ErrnoException | undefined)?.code).toBe("EMFILE");
    expect(error?.message).toContain(`Could not read ${blob} (EMFILE`);
    expect(error?.message).toContain("`ulimit -n`");
    expect(await cache.checkBlob(SHA, "a.ogg", { full: true })).toBe("ok");
  });

  it("a missing blob is missing, a directory in its place is modified", async () => {
    await rm(blob);
    expect(await cache.checkBlob(SHA, "a.ogg")).toBe("missing");
    expect(await cache.isStamped(SHA, "a.ogg")).toBe(false);
    await mkdir(blob);
    expect(await cache.checkBlob(SHA, "a.ogg")).toBe("modified");
    expect(await cache.isStamped(SHA, "a.ogg")).toBe(false);
  });
});
