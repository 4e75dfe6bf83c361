// Run in a child process by archive.test.ts: exhausts this process's open files, then lists a
// zip and extracts one of its entries, printing what each attempt threw as JSON lines.
// argv: <cache dir> <zip path> <entry path>
import { closeSync, openSync } from "node:fs";
import { listArchive } from "../../src/store/archive.js";
import { extractEntry } from "../../src/store/archive-extract.js";
import { Cache } from "../../src/store/cache.js";
import { hashFile } from "../../src/store/fs-utils.js";

const [cacheDir = "", zipPath = "", entry = ""] = process.argv.slice(2);
const cache = await Cache.open(cacheDir);
const archive = { path: zipPath, sha256: await hashFile(zipPath), label: "pack.zip" };
await import("yauzl"); // loaded now: loading it needs files too
const outcome = async (attempt: () => Promise<unknown>) =>
  attempt().then(
    () => ({ ok: true }),
    (error: { code?: string; message?: string }) => ({ code: error.code, message: error.message }),
  );

const held: number[] = [];
try {
  for (;;) held.push(openSync("/dev/null", "r"));
} catch {
  // EMFILE: every file this process may open is open.
}
const listing = await outcome(() => listArchive(zipPath, { label: "pack.zip" }));
// One file free: enough to open the zip, not to also create the entry's temp file.
closeSync(held.pop()!);
const extraction = await outcome(() => extractEntry(cache, archive, entry));
for (const fd of held) closeSync(fd);
process.stdout.write(`${JSON.stringify({ listing, extraction })}\n`);
