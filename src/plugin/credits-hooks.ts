/**
 * The credits feature's glue to the bundler hooks, kept out of `index.ts`: the license check in
 * `load`, the `oga:credits` module, its fill-in in `renderChunk`, the files and the share-alike
 * line in `generateBundle`, and hot updates of the list in dev.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LockedAsset } from "../store/lockfile.js";
import {
  creditFor,
  creditsFiles,
  creditsForAssets,
  shareAlikeSummary,
  sortCredits,
  type Credit,
} from "../project/credits.js";
import type { ResolvedOgaOptions } from "../project/options.js";
import { parseSpecifier } from "../project/specifier.js";
import { CREDITS_MODULE_ID, CreditsPlaceholder, DEV_CREDITS_EVENT, DEV_CREDITS_PATH, bundledAssetIds, devCreditsModuleCode, type OgaModuleMeta } from "./credits-module.js";
import type { HookContext } from "./hook-context.js";
import { fromVirtualId, isVirtualId } from "./virtual-id.js";

/** The plugin context calls the credits feature makes beyond {@link HookContext}. */
type CreditsContext = HookContext & {
  emitFile(file: { type: "asset"; fileName: string; source: string }): string;
};

/** A module node as Vite's module graphs give it. */
type DevModule = object;
interface DevEnvironment {
  moduleGraph: {
    getModuleById(id: string): DevModule | undefined;
    invalidateModule(module: DevModule, seen: Set<DevModule>, timestamp: number, isHmr: boolean): void;
  };
  hot: { send(payload: unknown): void };
}
type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
/** The parts of Vite's dev server used to keep `oga:credits` current (Vite 7 and 8). */
export interface CreditsDevServer {
  config: { base: string };
  middlewares: { use(middleware: Middleware): unknown };
  environments: Record<string, DevEnvironment>;
}

export class CreditsBuild {
  private readonly placeholder = new CreditsPlaceholder();
  /**
   * Build only: assets with a module loaded in this build that references some of their files.
   * Vite (`?url`) and our Rollup path (`emitFile`) emit a file when a module referencing it loads,
   * so the file lands in the output even when tree-shaking later drops the module; it ships, so
   * it is credited.
   */
  private readonly loadedFiles = new Map<string, Set<string>>();
  /** Dev only: every asset loaded since the server started, by id. */
  private readonly seen = new Map<string, Credit>();
  private server: CreditsDevServer | undefined;
  /** Dev only: URL of the current list (see `devCreditsModuleCode`). */
  private endpoint: string | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: Pick<ResolvedOgaOptions, "licenses" | "creditsFiles">,
    private readonly log: (message: string) => void,
    private readonly lockedAsset: () => { asset(id: string): LockedAsset | undefined },
  ) {}

  /**
   * Checks an asset against the allow-list when its module loads; in dev also adds it to the list.
   * @throws OgaError `OGA_LICENSE` when none of its licenses is allowed.
   */
  admit(parsed: { kind: string; id: string }, asset: LockedAsset): void {
    const id = parsed.id;
    const license = this.options.licenses.choose(id, asset.licenses);
    // A build credits what its bundle holds, at its end (`collect`); only the dev list grows here.
    if (!this.server) return;
    const credit = creditFor(id, asset, license);
    const before = this.seen.get(id);
    this.seen.set(id, credit);
    if (!before || JSON.stringify(before) !== JSON.stringify(credit)) this.scheduleReload();
  }

  /** A module of asset `id` that references the files `names` of it has loaded: those files ship. */
  filesShipped(id: string, names: readonly string[]): void {
    let shipped = this.loadedFiles.get(id);
    if (!shipped) this.loadedFiles.set(id, (shipped = new Set()));
    for (const name of names) shipped.add(name);
  }

  /** `buildStart`: a watch rebuild starts from nothing. */
  startBuild(): void {
    this.loadedFiles.clear();
  }

  /** Code of the `oga:credits` module: the current list in dev, a placeholder in a build. */
  moduleCode(dev: boolean): string {
    return dev ? devCreditsModuleCode(sortCredits(this.seen.values()), this.endpoint) : this.placeholder.moduleCode();
  }

  /** `renderChunk`: fills the placeholder with the credits of every chunk of the output. */
  fillPlaceholder(code: string, chunks: readonly { moduleIds: readonly string[] }[]): ReturnType<CreditsPlaceholder["fill"]> {
    if (!this.placeholder.isIn(code)) return null;
    return this.placeholder.fill(code, this.collect(chunks));
  }

  /** `generateBundle`: writes the credits files and reports share-alike licenses in one line. */
  emitFiles(ctx: HookContext, outputs: readonly { type: string; moduleIds?: string[] }[]): void {
    const chunks = outputs.flatMap((o) => (o.type === "chunk" && o.moduleIds ? [{ moduleIds: o.moduleIds }] : []));
    const credits = this.collect(chunks);
    const c = ctx as CreditsContext;
    const shipped = (id: string) => [...(this.loadedFiles.get(id) ?? [])];
    for (const file of creditsFiles(this.options.creditsFiles, credits, shipped)) c.emitFile({ type: "asset", fileName: file.fileName, source: file.source });
    const summary = shareAlikeSummary(credits);
    if (summary) this.log(summary);
  }

  /** `configureServer`: remembers the server so new assets can refresh the credits module. */
  watch(server: CreditsDevServer): void {
    this.server = server;
    const endpoint = (this.endpoint = server.config.base + DEV_CREDITS_PATH);
    server.middlewares.use((req, res, next) => {
      if (req.url?.split("?")[0] !== endpoint) return next();
      res.setHeader("Content-Type", "application/json");
      res.setHeader("Cache-Control", "no-store");
      res.end(JSON.stringify(sortCredits(this.seen.values())));
    });
  }

  private collect(chunks: readonly { moduleIds: readonly string[] }[]): Credit[] {
    // Only our own modules belong to an asset, and their ids say which (see `assetOfModule`). A
    // rendered module that one of ours imports (a blob's `?url` module) needs no walk to its
    // importers: a module of ours that references a blob has loaded it, so its asset is in
    // `loadedFiles` already.
    const ids = bundledAssetIds(chunks, { meta: (id) => (isVirtualId(id) ? assetOfModule(id) : undefined), importers: () => [] });
    for (const id of this.loadedFiles.keys()) ids.add(id);
    const session = this.lockedAsset();
    return creditsForAssets(ids, (id) => session.asset(id), this.options.licenses);
  }

  /**
   * Tells every environment the new list, batched: the assets of one page arrive in a burst.
   * Served copies of the module are invalidated too, so a page loaded later starts current.
   */
  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      const list = sortCredits(this.seen.values());
      for (const env of Object.values(this.server?.environments ?? {})) {
        const module = env.moduleGraph.getModuleById(CREDITS_MODULE_ID);
        if (!module) continue;
        env.moduleGraph.invalidateModule(module, new Set(), Date.now(), true);
        env.hot.send({ type: "custom", event: DEV_CREDITS_EVENT, data: list });
      }
    }, 50);
    this.reloadTimer.unref();
  }
}

/**
 * What `load` records as `meta.oga` on one of our modules, read from its id instead: the id
 * encodes the specifier, and so the asset. Asking the bundler (`getModuleInfo`) would cross into
 * Rolldown once per module, which builds a fresh module info each time. A module that failed to
 * load fails the build before its credits are collected, so the id tells no more than `meta` would.
 */
function assetOfModule(id: string): Pick<OgaModuleMeta, "asset" | "specifier"> | undefined {
  const specifier = fromVirtualId(id)?.specifier;
  if (specifier === undefined) return undefined;
  try {
    const parsed = parseSpecifier(specifier);
    return parsed.kind === "credits" ? undefined : { asset: parsed.id, specifier };
  } catch {
    return undefined;
  }
}
