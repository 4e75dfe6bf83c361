import { readFile } from "node:fs/promises";
import path from "node:path";

/** How the current bundler turns a file into a URL. Decided once, in the plugin's `configResolved`. */
export type UrlStrategy =
  /** Vite 7/8: delegate to Vite's own asset handling (hashing, `base`, inlining, `/@fs/` in dev, SSR). */
  | { kind: "vite" }
  /** Plain Rollup: emit the file and let Rollup write a relative, import.meta-based URL. */
  | { kind: "rollup"; emitFile(file: { type: "asset"; name: string; originalFileName: string; source: Uint8Array }): string };

/**
 * The code of a module whose default export is the URL of the cached blob at `blobPath`.
 * This is the only place that turns a cached file into a URL.
 *
 * Under Vite an `import … from "<abs path>?url"` behaves exactly like a local asset import, while
 * `emitFile` + `ROLLUP_FILE_URL` ignores `base` on Vite 7. Under Rollup, `?url` stays unresolved,
 * so the file is emitted. Dev (Vite) never reaches the emit branch.
 */
export async function fileUrlModuleCode(blobPath: string, strategy: UrlStrategy): Promise<string> {
  if (strategy.kind === "vite") {
    const request = blobPath.split(path.sep).join("/") + "?url";
    return `import url from ${JSON.stringify(request)};\nexport default url;\n`;
  }
  const ref = strategy.emitFile({ type: "asset", name: path.basename(blobPath), originalFileName: blobPath, source: await readFile(blobPath) });
  return `export default import.meta.ROLLUP_FILE_URL_${ref};\n`;
}
