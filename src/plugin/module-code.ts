import type { LockedAsset } from "../store/lockfile.js";

/** What an asset module exposes as `meta`. */
export interface AssetMeta {
  id: string;
  title: string;
  author: { name: string; url: string | null };
  licenses: string[];
  attribution: string;
  pageUrl: string;
}

/** `meta` of a locked asset. */
export function assetMeta(id: string, asset: LockedAsset): AssetMeta {
  return { id, title: asset.title, author: asset.author, licenses: asset.licenses, attribution: asset.attribution, pageUrl: asset.pageUrl };
}

/** A file to import from a generated module: its name and the module id that yields its URL. */
export interface FileImport {
  name: string;
  moduleId: string;
}

/**
 * Every file is its own module and records import them: a bundler emits an asset when its module
 * loads, so this keeps files nobody imports out of `dist`.
 */
function imports(files: FileImport[]): string {
  return files.map((f, i) => `import f${i} from ${JSON.stringify(f.moduleId)};\n`).join("");
}

function record(files: FileImport[]): string {
  return `{ ${files.map((f, i) => `${JSON.stringify(f.name)}: f${i}`).join(", ")} }`;
}

/**
 * `oga:<id>`: default = URL of the main file, `files` = `{ name: url }`, `meta`.
 * The `"main"` view leaves `files` out, so a default-only import emits the main file alone.
 */
export function assetModuleCode(meta: AssetMeta, main: FileImport | null, files: FileImport[], view: "full" | "main"): string {
  const metaCode = `export const meta = ${JSON.stringify(meta)};\n`;
  if (view === "main") {
    return (main ? `import main from ${JSON.stringify(main.moduleId)};\nexport default main;\n` : `export default null;\n`) + metaCode;
  }
  const mainIndex = main ? files.findIndex((f) => f.moduleId === main.moduleId) : -1;
  return imports(files) + `export const files = ${record(files)};\nexport default ${mainIndex === -1 ? "null" : `f${mainIndex}`};\n` + metaCode;
}

/** `oga:<id>/<glob>`: default = `{ name: url }` of the matching files. */
export function globModuleCode(files: FileImport[]): string {
  return imports(files) + `export default ${record(files)};\n`;
}
