import { readFile } from "node:fs/promises";
import path from "node:path";
import pLimit from "p-limit";

/**
 * Blobs read at once for the bundler, across every module of a build. A glob over a zip pack
 * can reference thousands of blobs from one module, and a bundler reads all the files a module
 * references at the same moment: 1000 open files, past macOS's default limit of 256 (EMFILE).
 */
const BLOB_READS = 16;
const blobReads = pLimit(BLOB_READS);

/** How the current bundler turns a file into a URL. Decided once, in the plugin's `configResolved`. */
export type UrlStrategy =
  /**
   * Vite 7/8: delegate to Vite's own asset handling (hashing, `base`, inlining, `/@fs/` in dev,
   * SSR). When set (a build past its first blobs, see `UNLOADED_BLOBS` in index.ts), `load` has
   * Vite load the `?url` module now (`this.load`), so it reads the blob under our limit of reads
   * at once, before the module that imports it exists.
   */
  | { kind: "vite"; load?: (request: string) => Promise<void> }
  /**
   * Plain Rollup: emit the file and let Rollup write a relative, import.meta-based URL. `emitted`
   * holds this build's reference per blob (clear it at `buildStart`), so a blob several modules
   * use is read and emitted once.
   */
  | {
      kind: "rollup";
      emitFile(file: { type: "asset"; name: string; originalFileName: string; source: Uint8Array }): string;
      emitted: Map<string, Promise<string>>;
    };

/** How generated module code reaches a file's URL: declarations to put first, then an expression. */
export interface FileUrlReference {
  /** `import` lines (each ending in a newline), or `""`. */
  imports: string;
  /** A JS expression whose value is the URL. */
  expression: string;
}

/**
 * The URL of the cached blob at `blobPath`, for a generated module; `binding` is a local name
 * the module may use for it. This is the only place that turns a cached file into a URL, and a
 * module that references a file this way makes the bundler emit it when the module loads.
 *
 * Under Vite an `import … from "<abs path>?url"` behaves exactly like a local asset import, while
 * `emitFile` + `ROLLUP_FILE_URL` ignores `base` on Vite 7. Under Rollup, `?url` stays unresolved,
 * so the file is emitted. Dev (Vite) never reaches the emit branch.
 */
export async function fileUrlReference(blobPath: string, strategy: UrlStrategy, binding: string): Promise<FileUrlReference> {
  if (strategy.kind === "vite") {
    const request = blobPath.split(path.sep).join("/") + "?url";
    const { load } = strategy;
    if (load) await blobReads(() => load(request));
    return { imports: `import ${binding} from ${JSON.stringify(request)};\n`, expression: binding };
  }
  let ref = strategy.emitted.get(blobPath);
  if (!ref) {
    ref = blobReads(() => readFile(blobPath)).then((source) => strategy.emitFile({ type: "asset", name: path.basename(blobPath), originalFileName: blobPath, source }));
    strategy.emitted.set(blobPath, ref);
    ref.catch(() => strategy.emitted.delete(blobPath));
  }
  return { imports: "", expression: `import.meta.ROLLUP_FILE_URL_${await ref}` };
}
