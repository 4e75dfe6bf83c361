/**
 * The asset page's data about the project: every asset of the lock session (the lockfile plus
 * what this dev session resolved), which files its imports use, and single assets described on
 * demand (a search result, or a project asset whose description is not cached yet).
 */
import pLimit from "p-limit";
import type { OgaClient } from "../client.js";
import { OgaError, isOgaError } from "../errors.js";
import type { LicensePolicy } from "../project/license-policy.js";
import { globMatcher, parseSpecifier, SPECIFIER_PREFIX, type ParsedSpecifier } from "../project/specifier.js";
import type { Asset } from "../site/types.js";
import { lockedAssetFromAsset, type Lockfile } from "../store/lockfile.js";
import { assetView, type AssetView } from "./asset-view.js";
import type { SessionImports } from "./session-imports.js";

/** Pages described at once for the asset page: it browses, the site is run by volunteers. */
const DESCRIBE_CONCURRENCY = 2;

/** What the asset page reads of the plugin's state; everything else it derives. */
export interface AssetPageSource {
  readonly policy: LicensePolicy;
  readonly offline: boolean;
  /** The lock session's current lockfile (in memory: it holds this session's new assets too). */
  lock(): Lockfile;
  /** The plugin's client: same site or mirror, cache and politeness as the build. */
  client(): Pick<OgaClient, "describe" | "search" | "fetchFile">;
  readonly imports: SessionImports;
}

/**
 * A project asset: its view, whether this dev session has loaded it yet, and whether its page's
 * description was at hand (else the page asks for it, for a preview).
 */
export type ProjectAssetView = AssetView & { loaded: boolean; inProject: true; described: boolean };

export interface ProjectView {
  offline: boolean;
  /** The `licenses` option as canonical names, `null` when every license is allowed. */
  allowed: readonly string[] | null;
  assets: ProjectAssetView[];
}

/** Answers the page's questions about the project and single assets. */
export class ProjectAssets {
  private readonly limit = pLimit(DESCRIBE_CONCURRENCY);

  constructor(private readonly source: AssetPageSource) {}

  /** Every asset in the lock session, by id, with previews from cached descriptions only (no request). */
  async list(): Promise<ProjectView> {
    const lock = this.source.lock();
    const ids = Object.keys(lock.assets).sort();
    const assets = await Promise.all(
      ids.map(async (id) => {
        const description = await this.cachedDescription(id);
        return this.projectView(id, lock, description);
      }),
    );
    return { offline: this.source.offline, allowed: this.source.policy.allowed, assets };
  }

  /**
   * One asset, described (from the cache, else from the site unless offline). A project asset
   * keeps its locked record; another gets the record a build would lock.
   * @throws OgaError `OGA_BAD_INPUT` for a malformed id, `OGA_NOT_FOUND`, `OGA_OFFLINE`, network errors.
   */
  async describe(id: string): Promise<AssetView & { loaded: boolean; inProject: boolean; described: boolean }> {
    const parsed = parseAssetId(id);
    const lock = this.source.lock();
    const cached = await this.cachedDescription(parsed);
    if (lock.assets[parsed]) {
      // The project's own record needs no page: without one, it is shown without a preview.
      const description = cached ?? (this.source.offline ? null : await this.fetchDescription(parsed).catch(() => null));
      return this.projectView(parsed, lock, description);
    }
    const description = cached ?? (await this.fetchDescription(parsed));
    const view = assetView(parsed, lockedAssetFromAsset(description), this.source.policy, new Set(), description.previews);
    return { ...view, loaded: false, inProject: false, described: true };
  }

  private projectView(id: string, lock: Lockfile, description: Asset | null): ProjectAssetView {
    const locked = lock.assets[id]!;
    const view = assetView(id, locked, this.source.policy, this.importedFiles(id, locked.main, lock.specifiers), description?.previews ?? null);
    return { ...view, loaded: this.source.imports.has(id), inProject: true, described: description !== null };
  }

  /**
   * The files some import uses: those this session's modules referenced, and those the
   * lockfile's specifiers select (a default import of the asset: its main file).
   */
  private importedFiles(id: string, main: string | null, specifiers: readonly string[]): { has(name: string): boolean } {
    const session = this.source.imports.filesOf(id);
    const own = specifiers.flatMap((specifier): ParsedSpecifier[] => {
      try {
        const parsed = parseSpecifier(specifier);
        return parsed.kind !== "credits" && parsed.id === id ? [parsed] : [];
      } catch {
        return [];
      }
    });
    const tests = own.map((parsed) => (parsed.kind === "glob" ? globMatcher(parsed.pattern) : (name: string) => name === (parsed.kind === "file" ? parsed.file : main)));
    return { has: (name) => session.has(name) || tests.some((test) => test(name)) };
  }

  private async cachedDescription(id: string): Promise<Asset | null> {
    try {
      return await this.source.client().describe(id, { offline: true });
    } catch (error) {
      if (isOgaError(error, "OGA_OFFLINE")) return null;
      throw error;
    }
  }

  private fetchDescription(id: string): Promise<Asset> {
    if (this.source.offline) {
      return Promise.reject(new OgaError("OGA_OFFLINE", `"${id}" is not described in the cache, and offline mode is on (offline: true or OGA_OFFLINE=1).`));
    }
    return this.limit(() => this.source.client().describe(id));
  }
}

/** An asset id as the page sends it, checked with the import grammar (`oga:<id>`). */
function parseAssetId(id: string): string {
  let parsed: ParsedSpecifier | undefined;
  try {
    parsed = parseSpecifier(SPECIFIER_PREFIX + id);
  } catch {
    parsed = undefined;
  }
  if (parsed?.kind !== "asset") throw new OgaError("OGA_BAD_INPUT", `${JSON.stringify(id)} is not an asset id (the last part of an asset's page URL).`);
  return parsed.id;
}
