/**
 * An unknown asset's error names the page URL the client really asked for. The resolver used to
 * rebuild it with encodeURIComponent, which leaves `!'()*` alone while the site (and the client)
 * escape them, so the message named a URL that was never requested.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startReplica, type Replica } from "../replica/index.js";
import { resolveOptions } from "../../src/project/options.js";
import { AssetResolver, closeSharedStores } from "../../src/project/resolve-asset.js";

let replica: Replica;
let base: string;
beforeAll(async () => {
  replica = await startReplica();
  base = await mkdtemp(path.join(os.tmpdir(), "oga-not-found-"));
});
afterAll(async () => {
  await closeSharedStores();
  await replica.close();
  await rm(base, { recursive: true, force: true });
});

it("names the requested page URL, encoded the site's way", async () => {
  const options = resolveOptions({ url: replica.url, cacheDir: path.join(base, "cache"), frozen: false, dts: false }, path.join(base, "project"), {});
  const resolver = new AssetResolver(options);
  const error = await resolver.asset("no-such-asset(2)", "oga:no-such-asset(2)").then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(error?.code).toBe("OGA_NOT_FOUND");
  const requested = replica.requests.last("/content/")!.path;
  expect(requested).toBe("/content/no-such-asset%282%29");
  expect(error?.message).toContain(`(tried the page ${replica.url}${requested})`);
});
