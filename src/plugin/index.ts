import { existsSync } from "node:fs";
import path from "node:path";
import MagicString from "magic-string";
import { OgaError, isOgaError } from "../errors.js";
import { resolveOptions, type OgaPluginOptions, type ResolvedOgaOptions } from "../project/options.js";
import { AssetResolver, mainFileName } from "../project/resolve-asset.js";
import { SCRIPT, STYLESHEET, URL_SCRIPT, type SingleFileSpecifier } from "../project/source-references.js";
import { parseSpecifier } from "../project/specifier.js";
import { SessionImports } from "../asset-page/session-imports.js";
import type { AssetPageDevServer } from "./asset-page-server.js";
import { CreditsBuild } from "./credits-hooks.js";
import { pointDefaultImports } from "./default-imports.js";
import { fileUrlReference, type UrlStrategy } from "./file-url.js";
import type { HookContext, ViteResolvedConfig } from "./hook-context.js";
import { assetMeta, assetModuleCode, fileModuleCode, globModuleCode, type FileUrl } from "./module-code.js";
import { DownloadReport } from "./report.js";
import { UrlReferenceError, rewriteCssUrls, rewriteNewUrls } from "./url-references.js";
import { fromVirtualId, isVirtualId, toVirtualId } from "./virtual-id.js";

export const PLUGIN_NAME = "vite-plugin-oga";

const OGA_SOURCE = /^(?:oga:|\0oga:)/;
const VIRTUAL = /^\0oga:/;
/** The plugin object; `index.ts` and `rollup.ts` give it the bundler's own type. */
export interface OgaPluginObject {
  name: string;
  enforce: "pre";
  [hook: string]: unknown;
}

/**
 * Creates the plugin. Works in Vite 8 (Rolldown), Vite 7 and plain Rollup 4. `resolveId` only
 * parses (Vite's dependency scanner calls it); every request to the site happens in `load`.
 */
export function ogaPlugin(userOptions: OgaPluginOptions = {}): OgaPluginObject {
  // Resolved (and checked) now, so a bad option fails when the config loads; again against Vite's
  // root once it is known, since relative paths and the declarations default depend on it.
  let options: ResolvedOgaOptions = resolveOptions(userOptions, process.cwd());
  let vite: ViteResolvedConfig | undefined;
  let resolver: AssetResolver | undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  /**
   * Resolved id → the user's file that imported it and the specifier the user wrote there (Vite 8
   * drops "imported by" from errors).
   */
  const origins = new Map<string, { importer: string; specifier: string }>();
  /** Specifiers written in user code (not imports our own modules make). */
  const userSpecifiers = new Set<string>();
  let logTarget: HookContext | undefined;
  const log = (message: string) => {
    const line = `[${PLUGIN_NAME}] ${message}`;
    const logger = logTarget?.environment?.logger ?? vite?.logger;
    if (logger) logger.info(line, { timestamp: true });
    else if (logTarget?.info) logTarget.info(message);
    else process.stderr.write(line + "\n");
  };
  const report = new DownloadReport(log);
  /** Dev only: the files each asset's modules referenced, for the asset page. */
  const sessionImports = new SessionImports();
  const credits = new CreditsBuild(options, log, () => getResolver().session);

  const getResolver = (): AssetResolver =>
    (resolver ??= new AssetResolver(options, { onDownloadStart: (f) => report.started(f), onFile: (f) => report.finished(f) }));
  /** Plain Rollup: this build's emitted blobs (see `UrlStrategy`). */
  const emitted = new Map<string, Promise<string>>();
  const strategyFor = (ctx: HookContext): UrlStrategy => (vite ? { kind: "vite" } : { kind: "rollup", emitFile: (file) => ctx.emitFile(file), emitted });

  /** Dev: write the lockfile and declarations shortly after new imports resolve, batched. */
  const scheduleFlush = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      getResolver()
        .session.flush({ neverShrink: true })
        .catch((error: unknown) => log(`could not write the lockfile or declarations: ${(error as Error).message}`));
    }, 50);
    flushTimer.unref();
  };

  const fail = (ctx: HookContext, error: unknown, specifier: string, id: string, origin = origins.get(id)): never => {
    const where = origin ? `${path.relative(options.root, origin.importer) || origin.importer}: ` : "";
    const userSpecifier = origin?.specifier ?? specifier;
    const code = isOgaError(error) ? error.code : "OGA_UNEXPECTED";
    const message = error instanceof Error ? error.message : String(error);
    const what = message.startsWith(`"${userSpecifier}"`) ? "" : `"${userSpecifier}": `;
    return ctx.error({ code, message: `${where}${what}${message}`, cause: error, plugin: PLUGIN_NAME });
  };

  async function loadModule(ctx: HookContext, id: string): Promise<{ code: string; moduleSideEffects: false; meta?: unknown } | null> {
    const decoded = fromVirtualId(id);
    if (!decoded) return null;
    const { specifier, view } = decoded;
    try {
      const parsed = parseSpecifier(specifier);
      if (parsed.kind === "credits") return { code: credits.moduleCode(vite?.command === "serve"), moduleSideEffects: false };
      const res = getResolver();
      // Lockfile edits reload importers (dev) and rebuild (watch). Only once it exists: Vite's dev
      // server turns watched files into imports and fails on a missing one.
      if (existsSync(res.options.lockfile)) ctx.addWatchFile(res.options.lockfile);
      const asset = await res.asset(parsed.id, specifier);
      // Refuses an asset with no allowed license here, where the importing file is known.
      credits.admit(parsed, asset);
      const main = mainFileName(asset);
      const names = parsed.kind === "asset" && view === "main" ? (main ? [main] : []) : await res.select(parsed, asset);
      // The bundler emits the files a loaded module references, so they ship and are credited.
      if (names.length > 0) credits.filesShipped(parsed.id, names);
      if (vite?.command === "serve") sessionImports.record(parsed.id, names);
      // Each module references its files' blobs itself (no module per file: in a warm build the
      // module count is what the plugin costs), all of them in the cache before the code exists.
      const strategy = strategyFor(ctx);
      const files = await Promise.all(
        names.map(async (name, i): Promise<FileUrl> => {
          const file = await res.file(parsed.id, name, specifier);
          return { name, ...(await fileUrlReference(file.path, strategy, `f${i}`)) };
        }),
      );
      let code: string;
      if (parsed.kind === "file") {
        code = fileModuleCode(files[0]!);
      } else if (parsed.kind === "glob") {
        code = globModuleCode(files);
      } else {
        code = assetModuleCode(assetMeta(parsed.id, asset), files.find((f) => f.name === main) ?? null, files, view);
      }
      if (userSpecifiers.has(specifier)) res.recordSpecifier(specifier);
      if (vite?.command === "serve") scheduleFlush();
      return { code, moduleSideEffects: false, meta: { oga: { specifier, asset: parsed.id, pageUrl: asset.pageUrl } } };
    } catch (error) {
      return fail(ctx, error, specifier, id.split("?")[0]!);
    }
  }

  /** A stylesheet's `url(oga:…)`: resolved, locked, license-checked and credited like an import. */
  async function stylesheetBlob(parsed: SingleFileSpecifier): Promise<string> {
    const res = getResolver();
    const asset = await res.asset(parsed.id, parsed.specifier);
    credits.admit(parsed, asset);
    const name = parsed.kind === "file" ? (await res.select(parsed, asset))[0] : mainFileName(asset);
    if (!name) throw new OgaError("OGA_NO_FILE", `"${parsed.specifier}": asset "${parsed.id}" has no main file; name one of its files.`);
    const file = await res.file(parsed.id, name, parsed.specifier);
    credits.filesShipped(parsed.id, [name]);
    res.recordSpecifier(parsed.specifier);
    if (vite?.command === "serve") {
      sessionImports.record(parsed.id, [name]);
      scheduleFlush();
    }
    return file.path;
  }

  /** The `pre` transform: default-only imports, `new URL("oga:…")` and stylesheet `url(oga:…)`. */
  async function transformUserCode(ctx: HookContext, code: string, file: string) {
    const s = new MagicString(code);
    try {
      let changed: boolean;
      if (STYLESHEET.test(file)) changed = await rewriteCssUrls(code, file, s, stylesheetBlob);
      else {
        const imports = pointDefaultImports(code, s);
        changed = (URL_SCRIPT.test(file) && rewriteNewUrls(code, s)) || imports;
      }
      return changed ? { code: s.toString(), map: s.generateMap({ hires: true }) } : null;
    } catch (error) {
      if (!(error instanceof UrlReferenceError)) throw error;
      return fail(ctx, error.cause, error.specifier, "", { importer: file, specifier: error.specifier });
    }
  }

  return {
    name: PLUGIN_NAME,
    enforce: "pre",

    configResolved(config: ViteResolvedConfig) {
      vite = config;
      options = resolveOptions(userOptions, config.root);
      // Push onto the resolved list: returning `server.fs.allow` from `config` would replace
      // Vite's default and make the user's own `src/` answer 403.
      config.server.fs.allow.push(options.cacheDir);
    },

    /**
     * The lockfile is a watched dependency of every `oga:` module, so that a user's edit reloads
     * them. The plugin's own writes must not: each would reload the whole page mid-load.
     */
    async hotUpdate({ file, read }: { file: string; read(): string | Promise<string> }) {
      if (path.resolve(file) !== options.lockfile) return;
      const session = getResolver().session;
      if ((await read()) === session.lastWritten) return [];
      await session.reload();
    },

    async configureServer(server: Parameters<CreditsBuild["watch"]>[0] & AssetPageDevServer) {
      credits.watch(server);
      // Loaded only here: a build never serves the page.
      const { mountAssetPage } = await import("./asset-page-server.js");
      mountAssetPage(server, {
        // Read when asked: `configResolved` settled the options, the session lives per lockfile.
        get policy() {
          return options.licenses;
        },
        get offline() {
          return options.offline;
        },
        lock: () => getResolver().session.lock,
        client: () => getResolver().client,
        imports: sessionImports,
      });
    },

    async buildStart(this: HookContext) {
      logTarget = this;
      emitted.clear();
      credits.startBuild();
      await getResolver().session.reload();
    },

    resolveId: {
      filter: { id: OGA_SOURCE },
      handler(source: string, importer: string | undefined) {
        // Same check as the filter: Vite 5's dev server ignores hook filters.
        if (!OGA_SOURCE.test(source)) return null;
        const id = isVirtualId(source) ? source : toVirtualId(source);
        // Our own modules import blobs, never `oga:` ids; only user code is an origin.
        if (importer && !isVirtualId(importer)) {
          const specifier = fromVirtualId(id)?.specifier ?? source;
          origins.set(id, { importer, specifier });
          userSpecifiers.add(specifier);
        }
        return id;
      },
    },

    load: {
      filter: { id: VIRTUAL },
      handler(this: HookContext, id: string) {
        if (!VIRTUAL.test(id)) return null;
        logTarget ??= this;
        return loadModule(this, id);
      },
    },

    transform: {
      order: "pre",
      filter: { code: "oga:" },
      handler(this: HookContext, code: string, id: string) {
        const file = id.split("?")[0]!;
        if (isVirtualId(id) || !(SCRIPT.test(file) || STYLESHEET.test(file)) || !code.includes("oga:")) return null;
        return transformUserCode(this, code, file);
      },
    },

    renderChunk(this: HookContext, code: string, _chunk: unknown, _output: unknown, meta: { chunks: Record<string, { moduleIds: string[] }> }) {
      return credits.fillPlaceholder(this, code, Object.values(meta.chunks));
    },

    generateBundle(this: HookContext, _output: unknown, bundle: Record<string, { type: string; moduleIds?: string[] }>) {
      credits.emitFiles(this, Object.values(bundle));
    },

    async buildEnd(this: HookContext, error?: Error) {
      if (flushTimer) clearTimeout(flushTimer);
      try {
        // A failed build may have resolved nothing (offline, site down): regenerating the
        // declarations from that would wipe the user's committed types. Locked downloads still count.
        await getResolver().session.flush({ declarations: !error, neverShrink: vite?.command === "serve" });
      } catch (error) {
        this.error({ code: isOgaError(error) ? error.code : "OGA_UNEXPECTED", message: `could not write the lockfile or declarations: ${(error as Error).message}`, cause: error });
      } finally {
        report.end();
      }
    },
  };
}
