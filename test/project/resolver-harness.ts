/**
 * What the in-process resolver tests share: the replica and a temp folder for one test file, a
 * resolver for a project directory there (its own lockfile and cache unless told otherwise), its
 * session read from disk, and the OgaError a piece of work fails with.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { startReplica, type Replica } from "../replica/index.js";
import { isOgaError, type OgaError, type OgaErrorCode } from "../../src/errors.js";
import { resolveOptions, type OgaPluginOptions } from "../../src/project/options.js";
import { AssetResolver, closeSharedStores, type ResolveEvents } from "../../src/project/resolve-asset.js";

/** A test file's replica and project folder; see {@link useResolverSite}. */
export interface ResolverSite {
  readonly replica: Replica;
  /** The temp folder every project of the file lives in. */
  readonly base: string;
  /** A resolver for `base/project` (a new project unless named), as {@link projectResolver} makes it. */
  resolver(extra?: OgaPluginOptions, project?: string, events?: ResolveEvents): Promise<{ resolver: AssetResolver; lockfile: string }>;
}

/**
 * Starts the replica (with the assets `addAssets` adds) and a temp folder before the file's tests;
 * after them, closes the shared stores and the replica and removes the folder.
 */
export function useResolverSite(label: string, addAssets: (replica: Replica) => void = () => undefined): ResolverSite {
  let replica: Replica | undefined;
  let base: string | undefined;
  let projects = 0;
  beforeAll(async () => {
    replica = await startReplica();
    addAssets(replica);
    base = await mkdtemp(path.join(os.tmpdir(), `oga-${label}-`));
  });
  afterAll(async () => {
    await closeSharedStores();
    await replica?.close();
    if (base) await rm(base, { recursive: true, force: true, maxRetries: 5 });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useResolverSite: used before its beforeAll ran");
    return value;
  };
  return {
    get replica() {
      return started(replica);
    },
    get base() {
      return started(base);
    },
    resolver(extra = {}, project = `p${++projects}`, events = {}) {
      return projectResolver(started(replica).url, started(base), project, extra, events);
    },
  };
}

/** A resolver for `base/project` (lockfile there, cache in its `cache/`), not frozen and without declarations unless `extra` says so. */
export async function projectResolver(
  url: string,
  base: string,
  project: string,
  extra: OgaPluginOptions = {},
  events: ResolveEvents = {},
): Promise<{ resolver: AssetResolver; lockfile: string }> {
  const root = path.join(base, project);
  const options = resolveOptions({ url, cacheDir: path.join(root, "cache"), frozen: false, dts: false, ...extra }, root, {});
  const resolver = new AssetResolver(options, events);
  await resolver.session.reload();
  return { resolver, lockfile: options.lockfile };
}

/** The OgaError `work` fails with (of `code`, when given); fails the test when it succeeds or throws anything else. */
export async function failure(work: Promise<unknown>, code?: OgaErrorCode): Promise<OgaError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isOgaError(error, code), `expected ${code ?? "an OgaError"}, got ${String(error)}`).toBe(true);
  return error as OgaError;
}
