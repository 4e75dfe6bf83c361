/**
 * Puts a cached blob at a user-chosen path (`oga download --out`). The file appears whole or not
 * at all: it is linked or copied to a temp name beside the target and renamed over it, so a
 * reader (or a crash) never sees half a file.
 */
import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { safeFileName } from "../store/file-name.js";

/** `DIR/<id>/<name>` with both segments made safe (ids and names come from a web page). */
export function outputPath(outDir: string, assetId: string, fileName: string): string {
  return path.join(path.resolve(outDir), safeFileName(decodeSlug(assetId)), safeFileName(fileName));
}

/** Asset ids are kept in the site's percent-encoding; people expect `é`, not `%C3%A9`, in folder names. */
function decodeSlug(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/**
 * Hard-link `source` to `target` when both are on one file system (no extra disk space, instant
 * for big packs), else copy. The blob is never modified in place by the cache — it writes new
 * blobs and renames — so sharing its inode is safe for the cache; a user editing the linked file
 * in place would be caught by the cache's hash check and fetched again.
 */
export async function placeFile(source: string, target: string): Promise<"linked" | "copied"> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    let how: "linked" | "copied";
    try {
      await link(source, temp);
      how = "linked";
    } catch {
      // EXDEV (other file system), EPERM (file systems without links), …: a copy always works.
      await copyFile(source, temp);
      how = "copied";
    }
    await rename(temp, target);
    // POSIX rename() does nothing when both names are links to one inode (a second `--out` run
    // over an earlier link), which would leave the temp name behind.
    await rm(temp, { force: true });
    return how;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
