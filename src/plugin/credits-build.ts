/**
 * The credits feature's glue to the bundler hooks, kept out of `index.ts`: the license check in
 * `load`, the `oga:credits` module, its fill-in in `renderChunk`, the files and the share-alike
 * line in `generateBundle`, and hot updates of the list in dev.
 */
import type { LockedAsset } from "../store/lockfile.js";
import { creditFor, sortCredits, type Credit } from "./credits-format.js";
import {
  CREDITS_MODULE_ID,
  CreditsPlaceholder,
  bundledAssetIds,
  creditsFileNames,
  creditsFiles,
  creditsForAssets,
  devCreditsModuleCode,
  ogaMetaOf,
  shareAlikeSummary,
  type CreditsOption,
} from "./credits.js";
import type { HookContext } from "./hook-context.js";
import { createLicensePolicy, type LicensePolicy } from "./license-policy.js";

/** The plugin context calls the credits feature makes beyond {@link HookContext}. */
type CreditsContext = HookContext & {
  getModuleInfo(id: string): { meta?: unknown; importers?: readonly string[] } | null;
  emitFile(file: { type: "asset"; fileName: string; source: string }): string;
};

/** A module node as Vite's module graphs give it. */
interface DevModule {
  url: string;
}
interface DevEnvironment {
  moduleGraph: {
    getModuleById(id: string): DevModule | undefined;
    invalidateModule(module: DevModule, seen: Set<DevModule>, timestamp: number, isHmr: boolean): void;
  };
  hot: { send(payload: unknown): void };
}
/** The parts of Vite's dev server used to refresh `oga:credits` (Vite 7 and 8). */
export interface CreditsDevServer {
  environments: Record<string, DevEnvironment>;
}

/** Options the feature reads (a subset of the plugin's). */
export interface CreditsUserOptions {
  licenses?: string[];
  credits?: CreditsOption;
}

export class CreditsBuild {
  private readonly policy: LicensePolicy;
  private readonly fileNames: string[];
  private readonly placeholder = new CreditsPlaceholder();
  /**
   * Build only: assets with a file module loaded in this build. Vite (`?url`) and our Rollup path
   * (`emitFile`) emit a file when its module loads, so the file lands in the output even when
   * tree-shaking later drops the module; it ships, so it is credited.
   */
  private readonly loadedFiles = new Set<string>();
  /** Dev only: every asset loaded since the server started, by id. */
  private readonly seen = new Map<string, Credit>();
  private server: CreditsDevServer | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;

  /**
   * @throws OgaError `OGA_BAD_INPUT` for an unknown license name or a bad credits file name, so
   * a misconfiguration fails when the config loads rather than on the first import.
   */
  constructor(
    options: CreditsUserOptions,
    private readonly log: (message: string) => void,
    private readonly lockedAsset: () => { asset(id: string): LockedAsset | undefined },
  ) {
    this.policy = createLicensePolicy(options.licenses);
    this.fileNames = creditsFileNames(options.credits);
  }

  /**
   * Checks an asset against the allow-list when its module loads; in dev also adds it to the list.
   * @throws OgaError `OGA_LICENSE` when none of its licenses is allowed.
   */
  admit(parsed: { kind: string; id: string }, asset: LockedAsset): void {
    const id = parsed.id;
    const credit = creditFor(id, asset, this.policy.choose(id, asset.licenses));
    if (parsed.kind === "file") this.loadedFiles.add(id);
    if (!this.server) return;
    const before = this.seen.get(id);
    this.seen.set(id, credit);
    if (!before || JSON.stringify(before) !== JSON.stringify(credit)) this.scheduleReload();
  }

  /** `buildStart`: a watch rebuild starts from nothing. */
  startBuild(): void {
    this.loadedFiles.clear();
  }

  /** Code of the `oga:credits` module: the current list in dev, a placeholder in a build. */
  moduleCode(dev: boolean): string {
    return dev ? devCreditsModuleCode(sortCredits(this.seen.values())) : this.placeholder.moduleCode();
  }

  /** `renderChunk`: fills the placeholder with the credits of every chunk of the output. */
  fillPlaceholder(ctx: HookContext, code: string, chunks: readonly { moduleIds: readonly string[] }[]): ReturnType<CreditsPlaceholder["fill"]> {
    if (!this.placeholder.isIn(code)) return null;
    return this.placeholder.fill(code, this.collect(ctx, chunks));
  }

  /** `generateBundle`: writes the credits files and reports share-alike licenses in one line. */
  emitFiles(ctx: HookContext, outputs: readonly { type: string; moduleIds?: string[] }[]): void {
    const chunks = outputs.flatMap((o) => (o.type === "chunk" && o.moduleIds ? [{ moduleIds: o.moduleIds }] : []));
    const credits = this.collect(ctx, chunks);
    const c = ctx as CreditsContext;
    for (const file of creditsFiles(this.fileNames, credits)) c.emitFile({ type: "asset", fileName: file.fileName, source: file.source });
    const summary = shareAlikeSummary(credits);
    if (summary) this.log(summary);
  }

  /** `configureServer`: remembers the server so new assets can refresh the credits module. */
  watch(server: CreditsDevServer): void {
    this.server = server;
  }

  private collect(ctx: HookContext, chunks: readonly { moduleIds: readonly string[] }[]): Credit[] {
    const c = ctx as CreditsContext;
    const ids = bundledAssetIds(chunks, {
      meta: (id) => ogaMetaOf(c.getModuleInfo(id)?.meta),
      importers: (id) => c.getModuleInfo(id)?.importers ?? [],
    });
    for (const id of this.loadedFiles) ids.add(id);
    const session = this.lockedAsset();
    return creditsForAssets(ids, (id) => session.asset(id), this.policy);
  }

  /**
   * Sends every environment that has loaded `oga:credits` a hot update of it, batched: the assets
   * of one page arrive in a burst, and one refresh covers them all. Vite's `reloadModule` skips
   * modules with no file on disk, which a virtual module never has, so the update is sent here.
   */
  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      for (const env of Object.values(this.server?.environments ?? {})) {
        const module = env.moduleGraph.getModuleById(CREDITS_MODULE_ID);
        if (!module) continue;
        const timestamp = Date.now();
        env.moduleGraph.invalidateModule(module, new Set(), timestamp, true);
        // The browser knows the module by its served URL, where Vite spells the \0 prefix as
        // `/@id/__x00__`; the graph keeps the raw id as its url.
        const url = module.url.startsWith("\0") ? `/@id/__x00__${module.url.slice(1)}` : module.url;
        // The module accepts itself (credits.ts) and refills its array in place.
        env.hot.send({
          type: "update",
          updates: [{ type: "js-update", timestamp, path: url, acceptedPath: url, explicitImportRequired: false, isWithinCircularImport: false }],
        });
      }
    }, 50);
    this.reloadTimer.unref();
  }
}
