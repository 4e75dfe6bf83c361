/**
 * What the in-process resolver tests share: a resolver for a project directory (its own lockfile
 * and cache unless told otherwise) against the replica, its session read from disk, and the
 * OgaError a piece of work fails with.
 */
import path from "node:path";
import { expect } from "vitest";
import { isOgaError, type OgaError } from "../../src/errors.js";
import { resolveOptions, type OgaPluginOptions } from "../../src/project/options.js";
import { AssetResolver, type ResolveEvents } from "../../src/project/resolve-asset.js";

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

/** The OgaError `work` fails with; fails the test when it succeeds or throws anything else. */
export async function failure(work: Promise<unknown>): Promise<OgaError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isOgaError(error), `expected an OgaError, got ${String(error)}`).toBe(true);
  return error as OgaError;
}
