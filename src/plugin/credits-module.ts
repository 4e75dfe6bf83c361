/**
 * `oga:credits` and the credits files, the way Vite 8's `build.license` works: walk the output
 * chunks' module ids, so only what the bundle really holds is listed (lazy chunks included).
 *
 * In a build the module is a placeholder that `renderChunk` fills once every chunk is known, so
 * code that imports `oga:credits` before anything else still gets the whole list. In dev it is
 * the list of assets loaded so far, refreshed as imports are added.
 */
import { randomBytes } from "node:crypto";
import type MagicString from "magic-string";
import type { Credit } from "../project/credits.js";
import { CREDITS_SPECIFIER } from "../project/specifier.js";
import { magicString } from "./magic-string.js";
import { toVirtualId } from "./virtual-id.js";

/** The resolved id of `oga:credits`, which the dev server's module graphs know it by. */
export const CREDITS_MODULE_ID = toVirtualId(CREDITS_SPECIFIER);

/** What `load` records on every asset, file and glob module (`meta.oga`). */
export interface OgaModuleMeta {
  specifier: string;
  /** The asset id the module belongs to. */
  asset: string;
  pageUrl: string;
}

/** What the credits need of the module graph: the asset of a module of ours (as in `meta.oga`) and who imports it. */
export interface ModuleGraphReader {
  meta(id: string): Pick<OgaModuleMeta, "asset"> | undefined;
  importers(id: string): readonly string[];
}

/**
 * Asset ids of the `oga:` modules the given chunks render, deduplicated. Chunks list only the
 * modules they render, so an asset whose modules were tree-shaken away is not credited.
 *
 * A module of ours that only passes a URL on (`import u from "<blob>?url"; export default u`)
 * renders nothing under Rollup, which points importers straight at Vite's `?url` module; so a
 * rendered module imported by one of ours (a blob's `?url` module) counts for that module's
 * asset too.
 */
export function bundledAssetIds(chunks: Iterable<{ moduleIds: readonly string[] }>, graph: ModuleGraphReader): Set<string> {
  const ids = new Set<string>();
  for (const chunk of chunks) {
    for (const moduleId of chunk.moduleIds) {
      const own = graph.meta(moduleId);
      if (own) {
        ids.add(own.asset);
        continue;
      }
      for (const importer of graph.importers(moduleId)) {
        const meta = graph.meta(importer);
        if (meta) ids.add(meta.asset);
      }
    }
  }
  return ids;
}

/**
 * The build-time stand-in for the list. A string literal survives every minifier (comments do
 * not), and `JSON.parse` of the unreplaced token throws, so a missed replacement is loud, never an
 * empty credits screen. The random part keeps user code from ever matching it.
 */
export class CreditsPlaceholder {
  readonly token = `__OGA_CREDITS_${randomBytes(6).toString("hex")}__`;
  /** `JSON.parse("<token>")` as rendered (any quote style a plugin before us may have picked). */
  private readonly call = new RegExp(`JSON\\.parse\\(\\s*(["'\`])${this.token}\\1\\s*\\)`, "g");
  /** The bare literal, should some tool have rewritten the call around it. */
  private readonly literal = new RegExp(`(["'\`])${this.token}\\1`, "g");

  /** The module code `load` returns for `oga:credits` in a build. */
  moduleCode(): string {
    return `export const credits = /* @__PURE__ */ JSON.parse(${JSON.stringify(this.token)});\nexport default credits;\n`;
  }

  /** True when the chunk holds the placeholder (cheap test before any work). */
  isIn(code: string): boolean {
    return code.includes(this.token);
  }

  /**
   * Replaces the placeholder with the list as an indented array literal: readable in the output,
   * one line per field. That moves every later line of the chunk, so the map (magic-string,
   * hires) is what keeps the rest of the chunk pointing at its sources.
   */
  fill(code: string, credits: readonly Credit[]): { code: string; map: ReturnType<MagicString["generateMap"]> } | null {
    const s = magicString(code);
    let replaced = false;
    for (const match of code.matchAll(this.call)) {
      s.overwrite(match.index!, match.index! + match[0].length, JSON.stringify(credits, null, 2));
      replaced = true;
    }
    if (!replaced) {
      for (const match of code.matchAll(this.literal)) {
        s.overwrite(match.index!, match.index! + match[0].length, JSON.stringify(JSON.stringify(credits)));
        replaced = true;
      }
    }
    return replaced ? { code: s.toString(), map: s.generateMap({ hires: true }) } : null;
  }
}

/** Where the dev server answers with the credits known so far, under Vite's `base`. */
export const DEV_CREDITS_PATH = "@oga/credits.json";
/** Custom hot event carrying the whole list when an asset is added in dev. */
export const DEV_CREDITS_EVENT = "oga:credits";

/**
 * The dev-server module. The array object survives hot updates (`import.meta.hot.data`) and is
 * refilled in place, so every importer's `credits` stays current without a page reload.
 *
 * The list embedded at serve time can be incomplete: Vite serves this module while the page's
 * other `oga:` imports are still loading. A browser evaluates it only after its whole static
 * graph has loaded, so it asks the server once more then (top-level await, before any importer
 * runs), and takes later additions (a lazily loaded level) from a custom hot event. A hot update
 * of the module itself would be dropped if it arrived before the module ran. Lists only grow in
 * dev, so every source is merged by id.
 */
export function devCreditsModuleCode(credits: readonly Credit[], endpoint: string | undefined): string {
  return [
    `const credits = import.meta.hot?.data.credits ?? [];`,
    `const refill = (next) => {`,
    `  const byId = new Map(credits.map((c) => [c.id, c]));`,
    `  for (const c of next) byId.set(c.id, c);`,
    `  credits.splice(0, credits.length, ...[...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));`,
    `};`,
    `refill(${JSON.stringify(credits)});`,
    `if (import.meta.hot) {`,
    `  import.meta.hot.data.credits = credits;`,
    `  import.meta.hot.accept();`,
    `  import.meta.hot.on(${JSON.stringify(DEV_CREDITS_EVENT)}, refill);`,
    `}`,
    ...(endpoint
      ? [`if (typeof document !== "undefined") refill(await (await fetch(${JSON.stringify(endpoint)}, { cache: "no-store" })).json());`]
      : []),
    `export { credits };`,
    `export default credits;`,
    ``,
  ].join("\n");
}
