/**
 * A zip is checked before anything in it is used: hostile entry paths, a path listed twice, and
 * what it would unpack to (in all, per byte zipped, per entry) refuse the whole archive with
 * OGA_ARCHIVE; an entry that inflates to other bytes than it declares is refused while inflating.
 * Real zip files (the replica's writer) on disk, read by the store as a build reads them.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { zip, type ZipEntry } from "../replica/zip.js";
import { isOgaError, type OgaError } from "../../src/errors.js";
import { RATIO_CHECK_FLOOR, listArchive, type ListArchiveOptions } from "../../src/store/archive.js";
import { extractEntry, type ExtractEntryOptions } from "../../src/store/archive-extract.js";
import { Cache } from "../../src/store/cache.js";
import { useTempDir } from "./setup.js";
import { withResourceLimit } from "./resource-limit.js";

const sha256Hex = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

const temp = useTempDir("file");
let cache: Cache;
beforeAll(async () => {
  cache = await Cache.open(path.join(temp.dir, "cache"));
});

let zips = 0;
async function zipFile(entries: ZipEntry[]): Promise<{ file: string; bytes: Buffer }> {
  const bytes = zip(entries);
  const file = path.join(temp.dir, `z${++zips}.zip`);
  await writeFile(file, bytes);
  return { file, bytes };
}

/** What `work` rejected with (undefined when it resolved). */
const rejection = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => undefined,
    (e: unknown) => e,
  );

async function refusal(work: Promise<unknown>): Promise<OgaError> {
  const error = await rejection(work);
  expect(isOgaError(error, "OGA_ARCHIVE"), `expected OGA_ARCHIVE, got ${String(error)}`).toBe(true);
  return error as OgaError;
}

const data = (text: string) => Buffer.from(text);
const list = async (entries: ZipEntry[], options: ListArchiveOptions = {}) => listArchive((await zipFile(entries)).file, { label: "pack.zip", ...options });

async function extract(entries: ZipEntry[], entry: string, options: ExtractEntryOptions = {}) {
  const { file, bytes } = await zipFile(entries);
  return extractEntry(cache, { path: file, sha256: sha256Hex(bytes), label: "pack.zip" }, entry, options);
}

/**
 * Rewrites a 16-bit or 32-bit field in every local and central header of a zip (`local: null`:
 * a field only central headers have).
 */
function patched(bytes: Buffer, local: number | null, central: number, value: number, width: 2 | 4): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i + 4 <= out.length; i++) {
    const signature = out.readUInt32LE(i);
    const at = signature === 0x04034b50 && local !== null ? i + local : signature === 0x02014b50 ? i + central : -1;
    if (at < 0) continue;
    if (width === 2) out.writeUInt16LE(value, at);
    else out.writeUInt32LE(value, at);
  }
  return out;
}

describe("entry paths", () => {
  const hostile: [string, string, string][] = [
    ["a NUL character", "a\0b.png", "contains a NUL character"],
    ["an absolute path", "/etc/passwd", "has an absolute path"],
    ["a drive letter", "C:evil.png", "has an absolute path"],
    ["a lower-case drive letter", "c:/evil.png", "has an absolute path"],
    ["'..' at the start", "../evil.png", "climbs out of the archive with '..' (zip-slip)"],
    ["'..' inside", "png/../../evil.png", "climbs out of the archive with '..' (zip-slip)"],
  ];
  for (const [what, name, why] of hostile) {
    it(`refuses the whole archive for ${what}`, async () => {
      const error = await refusal(list([{ name: "ok.png", data: data("ok") }, { name, data: data("x") }]));
      expect(error.message).toBe(`pack.zip is refused: its entry ${JSON.stringify(name)} ${why}. Nothing was extracted; report the pack to its author.`);
    });
  }

  it("reads Windows separators as '/': a '..' behind a backslash is zip-slip too, and folders keep their files", async () => {
    const error = await refusal(list([{ name: "ok.png", data: data("ok") }, { name: "png\\..\\..\\evil.png", data: data("x") }]));
    expect(error.message).toBe(`pack.zip is refused: its entry "png/../../evil.png" climbs out of the archive with '..' (zip-slip). Nothing was extracted; report the pack to its author.`);
    const entries = await list([{ name: "png\\tiles\\a.png", data: data("a") }]);
    expect(entries.map((e) => e.path)).toEqual(["png/tiles/a.png"]);
  });

  it("leaves out what archivers add behind the user's back, unless asked for it", async () => {
    const entries: ZipEntry[] = [
      { name: "a.png", data: data("a") },
      { name: "__MACOSX/._a.png", data: data("fork") },
      { name: "png/.DS_Store", data: data("finder") },
      { name: "png/Thumbs.db", data: data("thumbs") },
    ];
    expect((await list(entries)).map((e) => e.path)).toEqual(["a.png"]);
    expect((await list(entries, { includeJunk: true })).map((e) => e.path)).toEqual(["__MACOSX/._a.png", "a.png", "png/.DS_Store", "png/Thumbs.db"]);
  });

  it("refuses a symbolic link", async () => {
    const error = await refusal(list([{ name: "link.png", data: data("/etc/passwd"), mode: 0o120777 }]));
    expect(error.message).toContain('its entry "link.png" is a symbolic link');
  });

  it("reads the symlink type only in attributes written on Unix: a zip made on Windows holds files", async () => {
    // The same entry mode 0o120777 (a Unix symlink), but "version made by" says MS-DOS/Windows,
    // where the high half of the external attributes is not a file mode: the entry is a file.
    const unix = zip([{ name: "notes.txt", data: data("plain text"), mode: 0o120777 }]);
    const windows = patched(unix, null, 4, 0x0014, 2);
    const file = path.join(temp.dir, `windows${++zips}.zip`);
    await writeFile(file, windows);
    expect((await listArchive(file, { label: "pack.zip" })).map((e) => e.path)).toEqual(["notes.txt"]);
    const entry = await extractEntry(cache, { path: file, sha256: sha256Hex(windows), label: "pack.zip" }, "notes.txt");
    expect(await readFile(entry.path, "utf8")).toBe("plain text");
  });

  it("keeps names that only look like the hostile ones, normalising '.' and empty segments", async () => {
    const entries = await list([
      { name: "a..b.png", data: data("1") },
      { name: "./png//c.png", data: data("2") },
      { name: "dir:x.png", data: data("3") },
      { name: "exec.sh", data: data("4"), mode: 0o100755 },
    ]);
    expect(entries.map((e) => e.path)).toEqual(["a..b.png", "dir:x.png", "exec.sh", "png/c.png"]);
  });

  it("refuses a path listed twice, once it is asked for", async () => {
    const error = await refusal(list([{ name: "a.png", data: data("1") }, { name: "./a.png", data: data("2") }]));
    expect(error.message).toBe('pack.zip is refused: it lists "a.png" twice, so which one is meant is ambiguous.');
  });
});

describe("what an archive may unpack to", () => {
  const tenBytes = [{ name: "a.bin", data: Buffer.alloc(6, 1) }, { name: "b.bin", data: Buffer.alloc(4, 2) }];

  it("in all: up to maxTotalSize", async () => {
    expect((await list(tenBytes, { maxTotalSize: 10 })).map((e) => e.size)).toEqual([6, 4]);
    const error = await refusal(list(tenBytes, { maxTotalSize: 9 }));
    expect(error.message).toBe("pack.zip is refused: it declares 10 bytes unpacked in 2 entries, over the limit of 9 (a zip bomb?). Nothing was extracted; raise archives.maxTotalSize if the pack is genuine.");
  });

  it("per byte zipped, once past the floor", async () => {
    const zeros = [{ name: "zeros.bin", data: Buffer.alloc(RATIO_CHECK_FLOOR + 1), method: "deflate" as const }];
    const { file, bytes } = await zipFile(zeros);
    const ratio = (RATIO_CHECK_FLOOR + 1) / bytes.length;
    expect(await listArchive(file, { label: "pack.zip", maxRatio: Math.ceil(ratio) })).toHaveLength(1);
    // The limit is the most allowed: a zip at exactly maxRatio times its size passes.
    expect(await listArchive(file, { label: "pack.zip", maxRatio: ratio })).toHaveLength(1);
    const error = await refusal(listArchive(file, { label: "pack.zip", maxRatio: Math.floor(ratio) }));
    expect(error.message).toBe(
      `pack.zip is refused: it declares ${RATIO_CHECK_FLOOR + 1} bytes unpacked in 1 entries from ${bytes.length} zipped, ${Math.round(ratio)} times its size (the limit is ${Math.floor(ratio)}) (a zip bomb?). Nothing was extracted; raise archives.maxRatio if the pack is genuine.`,
    );
  });

  it("below the floor the ratio is not checked", async () => {
    const zeros = [{ name: "zeros.bin", data: Buffer.alloc(RATIO_CHECK_FLOOR), method: "deflate" as const }];
    expect(await list(zeros, { maxRatio: 1 })).toHaveLength(1);
  });
});

describe("extracting an entry", () => {
  // Each test its own zip bytes: an entry once extracted from an archive is reused from the cache.
  const files = (name: string) => [{ name, data: data("twelve bytes") }];

  it("up to maxEntrySize bytes, verified into the cache", async () => {
    const entry = await extract(files("png/a.png"), "png/a.png", { maxEntrySize: 12 });
    expect(entry.size).toBe(12);
    expect(entry.sha256).toBe(sha256Hex(data("twelve bytes")));
    expect(path.basename(entry.path)).toBe("a.png");
  });

  it("refuses an entry that declares more than maxEntrySize", async () => {
    const error = await refusal(extract(files("png/b.png"), "png/b.png", { maxEntrySize: 11 }));
    expect(error.message).toBe('pack.zip: entry "png/b.png" declares 12 bytes, over the limit of 11 (a zip bomb?). Nothing was extracted; raise archives.maxEntrySize if the pack is genuine.');
  });

  it("refuses an entry extracted earlier once maxEntrySize is below its size, and reuses it at the size", async () => {
    const { file, bytes } = await zipFile(files("png/lowered.png"));
    const archive = { path: file, sha256: sha256Hex(bytes), label: "pack.zip" };
    expect((await extractEntry(cache, archive, "png/lowered.png")).extracted).toBe(true);
    const error = await refusal(extractEntry(cache, archive, "png/lowered.png", { maxEntrySize: 11 }));
    expect(error.message).toBe('pack.zip: entry "png/lowered.png" is 12 bytes, over the limit of 11 (a zip bomb?). Nothing was extracted; raise archives.maxEntrySize if the pack is genuine.');
    expect((await extractEntry(cache, archive, "png/lowered.png", { maxEntrySize: 12 })).extracted).toBe(false);
  });

  it("refuses an entry that inflates past what it declares, and leaves nothing in the cache", async () => {
    const lying = [{ name: "bomb.bin", data: Buffer.alloc(200_000), method: "deflate" as const, declaredSize: 1000 }];
    const error = await refusal(extract(lying, "bomb.bin"));
    expect(error.message).toContain('pack.zip: entry "bomb.bin" inflates to more than the 1000 bytes it declares');
    const files = await readdir(path.join(temp.dir, "cache", "files"), { recursive: true });
    expect(files.filter((name) => name.endsWith("bomb.bin"))).toEqual([]);
  });

  it("refuses an entry that inflates to fewer bytes than it declares", async () => {
    const short = [{ name: "short.bin", data: Buffer.alloc(100, 7), method: "deflate" as const, declaredSize: 150 }];
    const error = await refusal(extract(short, "short.bin"));
    // yauzl's own size check answers first; ours stands behind it.
    expect(error.message).toMatch(/^pack\.zip is not a valid zip archive \(not enough bytes in the stream/);
  });

  async function extractPatched(bytes: Buffer, entry: string) {
    const file = path.join(temp.dir, `patched${++zips}.zip`);
    await writeFile(file, bytes);
    return extractEntry(cache, { path: file, sha256: sha256Hex(bytes), label: "pack.zip" }, entry);
  }

  it("refuses an encrypted entry", async () => {
    // Flagged encrypted, and sized as a stored encrypted entry is (12 bytes of header on top).
    const plain = zip([{ name: "locked.png", data: data("twenty bytes, secret"), method: "store" }]);
    const bytes = patched(patched(plain, 6, 8, 0x0001, 2), 22, 24, 8, 4);
    const error = await refusal(extractPatched(bytes, "locked.png"));
    expect(error.message).toBe('pack.zip: entry "locked.png" is encrypted; encrypted packs are not supported.');
  });

  it("refuses an entry in a compression method other than stored or deflated", async () => {
    const bytes = patched(zip([{ name: "bz.png", data: data("bzip2?"), method: "store" }]), 8, 10, 12, 2);
    const error = await refusal(extractPatched(bytes, "bz.png"));
    expect(error.message).toBe('pack.zip: entry "bz.png" uses compression method 12; only stored and deflated entries are supported.');
  });

  it("refuses an entry whose bytes fail its CRC-32, and stores nothing", async () => {
    const bytes = patched(zip([{ name: "bad.png", data: data("damaged"), method: "store" }]), 14, 16, 0x12345678, 4);
    const error = await refusal(extractPatched(bytes, "bad.png"));
    expect(error.message).toBe('pack.zip: entry "bad.png" fails its CRC-32 check; the archive is damaged.');
  });

  it("extracts again when the blob of an earlier extraction was damaged", async () => {
    const entries = [{ name: "png/again.png", data: data("the right bytes") }];
    const first = await extract(entries, "png/again.png");
    await writeFile(first.path, "the wrong bytes");
    const again = await extract(entries, "png/again.png");
    expect(again.extracted).toBe(true);
    expect(await readFile(again.path, "utf8")).toBe("the right bytes");
  });

  it("reuses a verified earlier extraction without opening the zip again", async () => {
    const bytes = zip([{ name: "png/warm.png", data: data("extracted once") }]);
    const file = path.join(temp.dir, `warm${++zips}.zip`);
    await writeFile(file, bytes);
    const archive = { path: file, sha256: sha256Hex(bytes), label: "pack.zip" };
    const first = await extractEntry(cache, archive, "png/warm.png");
    expect(first.extracted).toBe(true);
    // A rebuild that finds the blob intact takes it as it is: a zip that no longer reads is never touched.
    await writeFile(file, "not a zip any more");
    const again = await extractEntry(cache, archive, "png/warm.png");
    expect(again).toEqual({ entry: "png/warm.png", path: first.path, sha256: first.sha256, size: 14, extracted: false });
    expect(await readFile(again.path, "utf8")).toBe("extracted once");
  });

  it("refuses an archive digest that is not a sha256 (it would name a folder outside the cache)", async () => {
    const { file } = await zipFile(files("png/d.png"));
    const error = await rejection(extractEntry(cache, { path: file, sha256: "../../elsewhere", label: "pack.zip" }, "png/d.png"));
    expect(isOgaError(error, "OGA_BAD_INPUT"), `expected OGA_BAD_INPUT, got ${String(error)}`).toBe(true);
    expect((error as Error).message).toBe('Not a sha256 digest: "../../elsewhere".');
  });

  it("a cache that cannot take the entry's temp file is OGA_CACHE naming that file, not a damaged zip", async () => {
    const broken = await Cache.open(path.join(temp.dir, "broken-cache"));
    // Its tmp/ folder replaced by a file: nothing can be created in it.
    await rm(path.join(broken.dir, "tmp"), { recursive: true, force: true });
    await writeFile(path.join(broken.dir, "tmp"), "");
    const { file, bytes } = await zipFile(files("png/e.png"));
    const error = await rejection(extractEntry(broken, { path: file, sha256: sha256Hex(bytes), label: "pack.zip" }, "png/e.png"));
    expect(isOgaError(error, "OGA_CACHE"), `expected OGA_CACHE, got ${String(error)}`).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^Could not create ${path.join(broken.dir, "tmp")}/\\S+\\.entry\\.tmp \\(`));
    expect((error as Error).message).toContain(`A file sits where the cache ${broken.dir} needs a directory: remove it (or the whole cache) and run again.`);
    expect(await readdir(path.join(broken.dir, "files"), { recursive: true }).catch(() => [])).toEqual([]);
  });

  it("a disk that refuses the entry mid-way is OGA_CACHE naming the temp file and EFBIG, not a damaged zip; nothing is left, and it extracts once there is room", async () => {
    const big = randomBytes(3 << 20);
    const { file, bytes } = await zipFile([{ name: "music/big.ogg", data: big, method: "store" }]);
    const archive = { path: file, sha256: sha256Hex(bytes), label: "pack.zip" };
    const tmp = path.join(cache.dir, "tmp");
    const error = await withResourceLimit("fsize", 1 << 20, () => rejection(extractEntry(cache, archive, "music/big.ogg")));
    expect(isOgaError(error, "OGA_CACHE"), `expected OGA_CACHE, got ${String(error)}`).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(`^Could not extract "music/big\\.ogg" of pack\\.zip into ${tmp}/\\S+\\.entry\\.tmp \\(EFBIG: file too large\\)\\. The disk holding the cache ${cache.dir} is full`),
    );
    expect((await readdir(tmp)).filter((name) => name.endsWith(".entry.tmp"))).toEqual([]);
    expect((await readdir(path.join(cache.dir, "files"), { recursive: true })).filter((name) => name.endsWith("big.ogg"))).toEqual([]);
    const entry = await extractEntry(cache, archive, "music/big.ogg");
    expect(entry.sha256).toBe(sha256Hex(big));
  });

  it("refuses to extract a path the archive lists twice", async () => {
    const error = await refusal(extract([{ name: "twice.png", data: data("1") }, { name: "./twice.png", data: data("2") }], "twice.png"));
    expect(error.message).toBe('pack.zip is refused: it lists "twice.png" twice, so which one is meant is ambiguous.');
  });

  it("names an entry the archive lacks", async () => {
    const error = await rejection(extract(files("png/c.png"), "png/b.png"));
    expect(isOgaError(error, "OGA_NO_FILE")).toBe(true);
    expect((error as Error).message).toBe('pack.zip has no entry "png/b.png".');
  });
});
