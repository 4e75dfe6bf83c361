import { existsSync } from "node:fs";
import path from "node:path";
import { OgaError, isOgaError } from "../errors.js";
import { resolveOptions, type OgaPluginOptions, type ResolvedOgaOptions } from "../project/options.js";
import { AssetResolver, mainFileName } from "../project/resolve-asset.js";
import { SCRIPT, STYLESHEET, URL_SCRIPT, findCssUrls, findNewUrls, type SingleFileSpecifier } from "../project/source-references.js";
import { isMissingFromCache, missingImportsError, type MissingImport } from "../project/missing-imports.js";
import { parseSpecifier } from "../project/specifier.js";
import { writeExtractionRecords } from "../store/extraction-index.js";
import { StampSet, stampSetScope } from "../store/stamp-sets.js";
import { escapeControls } from "../untrusted-text.js";
import { SessionImports } from "../asset-page/session-imports.js";
import type { AssetPageDevServer } from "./asset-page-server.js";
import { CreditsBuild } from "./credits-hooks.js";
import { mayHaveDefaultOnlyImports, pointDefaultImports } from "./default-imports.js";
import { fileUrlReference, type UrlStrategy } from "./file-url.js";
import { magicString } from "./magic-string.js";
import type { HookContext, ViteResolvedConfig } from "./hook-context.js";
import { assetMeta, assetModuleCode, fileModuleCode, globModuleCode, type FileUrl } from "./module-code.js";
import { DownloadReport } from "./report.js";
import { UrlReferenceError, rewriteCssUrls, rewriteNewUrls } from "./url-references.js";
import { fromVirtualId, isVirtualId, toVirtualId } from "./virtual-id.js";

export const PLUGIN_NAME = "vite-plugin-oga";

/** Files Rollup may open at once when the user sets no `maxParallelFileOps` (see the `options` hook). */
const ROLLUP_PARALLEL_FILE_OPS = 128;

/**
 * Blobs a build leaves the bundler to load on its own, as it loads a local asset import. Past
 * these, each module has Vite load its blobs itself (`this.load`), at most 16 read at once
 * (file-url.ts), so that a glob over a pack of thousands never meets EMFILE: at most 144 blobs
 * are open at any moment, well under macOS's default of 256 files. A blob handed over costs the
 * bundler only its import, which it resolves either way, while each `this.load` is one more
 * crossing into Rolldown (~70 µs of the main thread in a fresh `vite build` process).
 */
const UNLOADED_BLOBS = 128;
const OGA_SOURCE = /^(?:oga:|\0oga:)/;
/** Stands in for a module the cache lacks until the build fails at its end: every export an `oga:` module has. */
const MISSING_MODULE_CODE = "export default null;\nexport const files = {};\nexport const meta = null;\n";
const VIRTUAL = /^\0oga:/;
/** The plugin object; `index.ts` and `rollup.ts` give it the bundler's own type. */
export interface OgaPluginObject {
  name: string;
  enforce: "pre";
  [hook: string]: unknown;
}

/** `file` relative to the project root when inside it (plain Rollup has no root but the cwd), else absolute. */
function shownPath(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
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
  const log = (text: string) => {
    // Messages carry page text (names from zips, error messages): escaped before any terminal sees them.
    const message = escapeControls(text);
    const line = `[${PLUGIN_NAME}] ${message}`;
    const logger = logTarget?.environment?.logger ?? vite?.logger;
    if (logger) logger.info(line, { timestamp: true });
    else if (logTarget?.info) logTarget.info(message);
    else process.stderr.write(line + "\n");
  };
  const report = new DownloadReport(log, () => options.url);
  /** Dev only: the files each asset's modules referenced, for the asset page. */
  const sessionImports = new SessionImports();
  const credits = new CreditsBuild(options, log, () => getResolver().session);

  const getResolver = (): AssetResolver =>
    (resolver ??= new AssetResolver(options, { onDownloadStart: (f) => report.started(f), onFile: (f) => report.finished(f) }));
  /** Plain Rollup: this build's emitted blobs (see `UrlStrategy`). */
  const emitted = new Map<string, Promise<string>>();
  /**
   * Whether the bundler resolves a blob's `?url` request to the request itself, learned from the
   * first blob of each build: then the others load by that id without a resolve each (a crossing
   * into Rolldown and through every resolver: ~0.1 ms a file, more than the load). A cache dir
   * behind a symlink resolves elsewhere, and keeps resolving.
   */
  let blobRequestIsId: boolean | undefined;
  /** Whether the lockfile existed when this build started (see `loadModule`). */
  let lockfileAtStart = false;
  /** Blobs this build may still leave to the bundler to load (see `strategyFor`). */
  let unloadedBlobs = UNLOADED_BLOBS;
  /**
   * Each environment's cold-build downloads, started at its start (`project/fetch-ahead.ts`).
   * Stopping them leaves running what an import joined (Vite may build environments at once).
   */
  const aheads = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const stopFetchAhead = async (environment: string): Promise<void> => {
    const running = aheads.get(environment);
    aheads.delete(environment);
    running?.controller.abort();
    await running?.done;
  };
  /** The stamps the last build of this project checked, so this one need not read them blob by blob. */
  let stampSet: StampSet | undefined;
  /** How the module `importer`, which references `files` blobs, gets their URLs. */
  const strategyFor = (ctx: HookContext, importer: string, files: number): UrlStrategy => {
    if (!vite) return { kind: "rollup", emitFile: (file) => ctx.emitFile(file), emitted };
    // The dev server reads nothing up front (it serves /@fs/ URLs on request).
    if (vite.command === "serve") return { kind: "vite" };
    if (files <= unloadedBlobs) {
      unloadedBlobs -= files;
      return { kind: "vite" };
    }
    return {
      kind: "vite",
      load: async (request) => {
        if (blobRequestIsId) {
          await ctx.load({ id: request });
          return;
        }
        const resolved = await ctx.resolve(request, importer);
        if (!resolved || resolved.external) return;
        blobRequestIsId ??= resolved.id === request;
        await ctx.load({ id: resolved.id });
      },
    };
  };

  /**
   * Dev: write the lockfile and declarations shortly after new imports resolve, batched, and say
   * what that batch downloaded (a dev server has no end of build to wait for).
   */
  const scheduleFlush = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      report.end();
      getResolver()
        .session.flush({ neverShrink: true })
        .catch((error: unknown) => log(`could not write the lockfile or declarations: ${(error as Error).message}`));
    }, 50);
    flushTimer.unref();
  };

  /** Writes the lockfile and the declarations (see `LockSession.flush`), as a plugin error on failure. */
  const writeProjectFiles = async (ctx: HookContext, { neverShrink = false }: { neverShrink?: boolean } = {}): Promise<void> => {
    try {
      await getResolver().session.flush({ neverShrink });
    } catch (error) {
      ctx.error(pluginError(error, `could not write the lockfile or declarations: ${(error as Error).message}`));
    }
  };

  /** `src/main.js: ` for the user's file that wrote the import, and the specifier as written there. */
  const originOf = (specifier: string, id: string, origin = origins.get(id)) => ({
    where: origin ? shownPath(options.root, origin.importer) : "",
    specifier: origin?.specifier ?? specifier,
  });

  /**
   * The bundler error for `error`: code, one message naming the import (control characters in it
   * escaped for the terminal, line breaks kept: ours are the message's layout, a page's are
   * escaped where its text enters one), and no stack or cause chain (the message says it all)
   * unless `OGA_DEBUG=1` or the error is not one of ours.
   */
  const pluginError = (error: unknown, message: string) => {
    const ours = isOgaError(error);
    // An empty stack is what makes Vite 7 print the message alone and Vite 8 print it once.
    const detail = options.debug || !ours ? { cause: error } : { stack: "" };
    return { code: ours ? error.code : "OGA_UNEXPECTED", message: escapeControls(message, "\n"), plugin: PLUGIN_NAME, ...detail };
  };

  const fail = (ctx: HookContext, error: unknown, specifier: string, id: string, origin = origins.get(id)): never => {
    const { where, specifier: userSpecifier } = originOf(specifier, id, origin);
    const message = error instanceof Error ? error.message : String(error);
    const what = message.startsWith(`"${userSpecifier}"`) ? "" : `"${userSpecifier}": `;
    return ctx.error(pluginError(error, `${where ? `${where}: ` : ""}${what}${message}`));
  };

  const missing: MissingImport[] = [];
  /**
   * A build goes on past imports the cache lacks (offline, site unreachable) and names them all
   * in one error at the end (`missing-imports.ts`); meanwhile each gets a stand-in module with
   * every export an `oga:` module may have, so importers still link. The dev server shows each
   * failing module at once instead.
   */
  const gatherMissing = (error: unknown, specifier: string, id: string, origin = origins.get(id)): boolean => {
    if (vite?.command === "serve" || !isMissingFromCache(error)) return false;
    missing.push({ ...originOf(specifier, id, origin), error });
    return true;
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
      // server turns watched files into imports and fails on a missing one. A build looks once, at
      // its start: a look per module is a syscall per module on the warm path.
      if (vite?.command === "serve" ? existsSync(res.options.lockfile) : lockfileAtStart) ctx.addWatchFile(res.options.lockfile);
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
      const strategy = strategyFor(ctx, id, names.length);
      const pending = await res.eachFile(parsed.id, names, specifier);
      const files = await Promise.all(
        pending.map(async (file, i): Promise<FileUrl> => ({ name: names[i]!, ...(await fileUrlReference((await file).path, strategy, `f${i}`)) })),
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
      if (gatherMissing(error, specifier, id.split("?")[0]!)) return { code: MISSING_MODULE_CODE, moduleSideEffects: false };
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
    const stylesheet = STYLESHEET.test(file);
    // Most files that mention `oga:` only import it: nothing to rewrite, no MagicString to load.
    const rewrites = stylesheet ? findCssUrls(code).length > 0 : mayHaveDefaultOnlyImports(code) || (URL_SCRIPT.test(file) && findNewUrls(code).length > 0);
    if (!rewrites) return null;
    const s = magicString(code);
    try {
      let changed: boolean;
      if (stylesheet) changed = await rewriteCssUrls(code, file, s, stylesheetBlob);
      else {
        const imports = pointDefaultImports(code, s);
        changed = (URL_SCRIPT.test(file) && rewriteNewUrls(code, s)) || imports;
      }
      return changed ? { code: s.toString(), map: s.generateMap({ hires: true }) } : null;
    } catch (error) {
      if (!(error instanceof UrlReferenceError)) throw error;
      // Left as written: the build fails at its end, naming this reference with the other missing imports.
      if (gatherMissing(error.cause, error.specifier, "", { importer: file, specifier: error.specifier })) return null;
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

    /**
     * Rollup (and so Vite 7) opens up to `maxParallelFileOps` files at once, 1000 by default, to
     * read modules and write the output: a glob over a pack of a thousand entries then fails
     * with EMFILE where only 256 files may be open (macOS's default). Unless the user chose a
     * value, a lower one; Rolldown (Vite 8) has no such option and keeps its own limits.
     */
    options(this: { meta?: { rolldownVersion?: string } }, inputOptions: { maxParallelFileOps?: number }) {
      if (this.meta?.rolldownVersion !== undefined || inputOptions.maxParallelFileOps !== undefined) return null;
      return { ...inputOptions, maxParallelFileOps: ROLLUP_PARALLEL_FILE_OPS };
    },

    async buildStart(this: HookContext, inputOptions?: { input?: unknown }) {
      logTarget = this;
      emitted.clear();
      blobRequestIsId = undefined;
      unloadedBlobs = UNLOADED_BLOBS;
      missing.length = 0;
      credits.startBuild();
      const environment = this.environment?.name ?? "";
      await stopFetchAhead(environment);
      // A set still open is one whose build never reached `buildEnd`: it keeps what it learnt.
      void stampSet?.close();
      stampSet = new StampSet(options.cacheDir, stampSetScope(options.lockfile, this.environment?.name));
      const res = getResolver();
      await res.session.reload();
      lockfileAtStart = existsSync(res.options.lockfile);
      // A cold build (no lockfile, or one naming files the cache lacks) starts what its imports will
      // download now, not as the bundler reaches each one; a warm build pays one probe for this.
      // The dev server fetches what the page asks for, when it asks.
      const cold = res.lockedFileMissing() || (!lockfileAtStart && !options.offline);
      if (cold) res.client.preload();
      if (cold && vite?.command !== "serve") {
        const controller = new AbortController();
        const done = import("../project/fetch-ahead.js").then(({ fetchAhead }) => fetchAhead(res, inputOptions?.input, controller.signal));
        aheads.set(environment, { controller, done });
      }
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

    renderChunk(code: string, _chunk: unknown, _output: unknown, meta: { chunks: Record<string, { moduleIds: string[] }> }) {
      return credits.fillPlaceholder(code, Object.values(meta.chunks));
    },

    async generateBundle(this: HookContext, _output: unknown, bundle: Record<string, { type: string; moduleIds?: string[] }>, isWrite?: boolean) {
      credits.emitFiles(this, Object.values(bundle));
      // Without a write (`build.write: false`, Rollup's `generate()`) the bundle is done here.
      if (!isWrite) await writeProjectFiles(this);
    },

    async writeBundle(this: HookContext) {
      await writeProjectFiles(this);
    },

    async buildEnd(this: HookContext, error?: Error) {
      if (flushTimer) clearTimeout(flushTimer);
      // Every import has its files by now: what is still running was for sources this build does
      // not import. Stopped, and waited for, so that no temp file outlives the build.
      await stopFetchAhead(this.environment?.name ?? "");
      report.end();
      // Every zip entry is extracted by now; a caller may remove or copy the cache once the build returns.
      await writeExtractionRecords();
      // Every blob was checked in `load`, so the set knows this build's files.
      await stampSet?.close();
      stampSet = undefined;
      if (missing.length > 0) {
        const gathered = missingImportsError(missing, { debug: options.debug });
        missing.length = 0;
        this.error(pluginError(gathered, gathered.message));
      }
      // The dev server writes as imports resolve, and once more when it closes. A build writes
      // only once its bundle is complete (above): a failed build leaves the lockfile and the
      // declarations exactly as they were.
      if (vite?.command === "serve" && !error) await writeProjectFiles(this, { neverShrink: true });
    },
  };
}
