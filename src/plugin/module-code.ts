import type { LockedAsset } from "../store/lockfile.js";
import type { FileUrlReference } from "./file-url.js";

/** What an asset module exposes as `meta`. */
export interface AssetMeta {
  id: string;
  title: string;
  author: { name: string; url: string | null };
  /** Co-authors named on the page, credited with the author (`[]` when none). */
  collaborators: { name: string; url: string | null }[];
  licenses: string[];
  attribution: string;
  /** The canonical page, `https://opengameart.org/content/<id>`, whichever mirror served it. */
  pageUrl: string;
}

/** `meta` of a locked asset. */
export function assetMeta(id: string, asset: LockedAsset): AssetMeta {
  return {
    id,
    title: asset.title,
    author: asset.author,
    collaborators: asset.collaborators ?? [],
    licenses: asset.licenses,
    attribution: asset.attribution,
    pageUrl: asset.pageUrl,
  };
}

/** A file a generated module exposes: its name and how the module reaches its URL (see file-url.ts). */
export interface FileUrl extends FileUrlReference {
  name: string;
}

/**
 * Modules reference exactly the files they expose, straight from the module (no module per
 * file): a bundler emits an asset when a module referencing it loads, so files nobody's module
 * references stay out of `dist`.
 */
function imports(files: readonly FileUrlReference[]): string {
  return files.map((f) => f.imports).join("");
}

function record(files: readonly FileUrl[]): string {
  return `{ ${files.map((f) => `${JSON.stringify(f.name)}: ${f.expression}`).join(", ")} }`;
}

/** `oga:<id>/<file>`: default = the file's URL. */
export function fileModuleCode(file: FileUrlReference): string {
  return `${file.imports}export default ${file.expression};\n`;
}

/**
 * `oga:<id>`: default = URL of the main file, `files` = `{ name: url }`, `meta`.
 * The `"main"` view leaves `files` out (pass only the main file), so a default-only import emits
 * the main file alone. `main` is one of `files`, or `null`.
 */
export function assetModuleCode(meta: AssetMeta, main: FileUrl | null, files: readonly FileUrl[], view: "full" | "main"): string {
  const metaCode = `export const meta = ${JSON.stringify(meta)};\n`;
  if (view === "main") return (main ? fileModuleCode(main) : `export default null;\n`) + metaCode;
  return imports(files) + `export const files = ${record(files)};\nexport default ${main ? main.expression : "null"};\n` + metaCode;
}

/** `oga:<id>/<glob>`: default = `{ name: url }` of the matching files. */
export function globModuleCode(files: readonly FileUrl[]): string {
  return imports(files) + `export default ${record(files)};\n`;
}
