// The archive store against the machine's limits: running out of open files (EMFILE) while
// reading a zip is a problem of this machine, reported as OGA_CACHE with the path and the way
// out, never blamed on a damaged zip (OGA_ARCHIVE).
import { execFile } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { zip } from "../replica/index.js";
import { tempDir } from "./setup.js";

const run = promisify(execFile);
const worker = fileURLToPath(new URL("./emfile-worker.ts", import.meta.url));

it("running out of open files is OGA_CACHE naming the file and `ulimit -n`, not a damaged zip", async () => {
  const { dir, remove } = await tempDir();
  try {
    const zipPath = path.join(dir, "pack.zip");
    await writeFile(zipPath, zip([{ name: "a/one.txt", data: Buffer.from("one\n") }, { name: "a/two.txt", data: Buffer.from("two\n".repeat(100)) }]));
    const cacheDir = path.join(dir, "cache");
    // A low limit, so exhausting it is quick.
    const script = `ulimit -n 128 && exec "$0" --import tsx "$@"`;
    const { stdout } = await run("bash", ["-c", script, process.execPath, worker, cacheDir, zipPath, "a/two.txt"]);
    const { listing, extraction } = JSON.parse(stdout) as Record<"listing" | "extraction", { code?: string; message?: string }>;
    expect(listing.code).toBe("OGA_CACHE");
    expect(listing.message).toContain(`Could not read the zip pack.zip at ${zipPath} (EMFILE: too many open files)`);
    expect(listing.message).toContain("ulimit -n");
    expect(extraction.code).toBe("OGA_CACHE");
    expect(extraction.message).toMatch(new RegExp(`Could not create ${path.join(cacheDir, "tmp")}/\\S+\\.entry\\.tmp \\(EMFILE: too many open files\\)`));
    expect(await readdir(path.join(cacheDir, "tmp"))).toEqual([]);
  } finally {
    await remove();
  }
});
