import type { Plugin } from "rollup";
import { ogaPlugin } from "./plugin/index.js";
import type { OgaPluginOptions } from "./project/options.js";

/**
 * The same plugin for plain Rollup 4: files are emitted with `emitFile` and referenced through
 * `import.meta.ROLLUP_FILE_URL_<ref>`.
 *
 * @example
 * ```js
 * // rollup.config.js
 * import oga from "vite-plugin-oga/rollup";
 * export default { input: "src/main.js", output: { dir: "dist" }, plugins: [oga()] };
 * ```
 */
export function oga(options: OgaPluginOptions = {}): Plugin {
  return ogaPlugin(options) as unknown as Plugin;
}

export default oga;
export { oga as "module.exports" };
export type { OgaPluginOptions } from "./project/options.js";
export { OgaError, isOgaError } from "./errors.js";
