/**
 * What the resolver passes to the store and reports back, through the replica over HTTP: the
 * download limit from the options, one "download started" event per file with its locked size,
 * one "file ready" event per file, the pin (sha256, size, ETag) recorded in the lock session, and
 * a warm second resolve that costs no request.
 */
import path from "node:path";
import { expect, it, vi } from "vitest";
import { minimalAsset } from "../replica/index.js";
import { isOgaError } from "../../src/errors.js";
import type { ResolvedFile } from "../../src/project/resolve-asset.js";
import { parseSpecifier } from "../../src/project/specifier.js";
import { useResolverSite } from "./resolver-harness.js";

const site = useResolverSite("resolver-downloads", (replica) => {
  replica.catalogue.addAsset(minimalAsset("two-files", { files: [{ path: "a.ogg", body: Buffer.alloc(3000, 1) }, { path: "b.ogg", body: Buffer.alloc(5, 2) }] }));
});

it("refuses a file over maxFileSize, as the options say", async () => {
  const { resolver: r } = await site.resolver({ maxFileSize: 1000 }, "limit");
  const error = await r.file("two-files", "a.ogg", "oga:two-files/a.ogg").then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isOgaError(error, "OGA_TOO_LARGE")).toBe(true);
  expect(await r.file("two-files", "b.ogg", "oga:two-files/b.ogg")).toMatchObject({ size: 5, transfer: "downloaded" });
});

it("reports each download once with its locked size, each file once, and pins what it got", async () => {
  const started: { asset: string; name: string; size: number | null }[] = [];
  const ready: ResolvedFile[] = [];
  const { resolver: r } = await site.resolver({}, "events", { onDownloadStart: (f) => started.push(f), onFile: (f) => ready.push(f) });
  const files = await r.prefetch([parseSpecifier("oga:two-files"), parseSpecifier("oga:credits")]);
  expect(files.map((f) => f.name)).toEqual(["a.ogg", "b.ogg"]);
  expect(started.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
    { asset: "two-files", name: "a.ogg", size: 3000 },
    { asset: "two-files", name: "b.ogg", size: 5 },
  ]);
  expect(ready.map((f) => [f.name, f.transfer]).sort()).toEqual([
    ["a.ogg", "downloaded"],
    ["b.ogg", "downloaded"],
  ]);
  const locked = r.session.asset("two-files")!.files["a.ogg"]!;
  expect(locked).toMatchObject({ size: 3000, sha256: files[0]!.sha256 });
  expect(typeof locked.etag).toBe("string");
  // oga:credits names no asset and is not recorded as one.
  expect(r.session.lock.specifiers).toEqual(["oga:two-files"]);

  // Warm: the pin and the cache agree, so no request at all.
  const before = site.replica.requests.count();
  const again = await r.file("two-files", "a.ogg", "oga:two-files/a.ogg");
  expect(again.transfer).toBe("none");
  expect(site.replica.requests.count()).toBe(before);
});

it("an import that joined a transfer started ahead keeps it when the ahead is stopped", async () => {
  const { resolver: r } = await site.resolver({}, "ahead");
  site.replica.requests.reset();
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const fault = site.replica.faults.add({ path: /\/a\.ogg$/, kind: "wait", until: held });
  try {
    const ahead = new AbortController();
    const fetchedAhead = r.fetchAhead(parseSpecifier("oga:two-files/a.ogg"), ahead.signal);
    await vi.waitFor(() => expect(fault.hits).toBe(1));
    const imported = r.file("two-files", "a.ogg", "oga:two-files/a.ogg");
    // The asset is in the session by now: the import joins within the microtasks before this.
    await new Promise((resolve) => setImmediate(resolve));
    ahead.abort();
    // The one who stopped gives up at once; the transfer goes on for the import.
    await expect(fetchedAhead).rejects.toThrow();
    release();
    expect(await imported).toMatchObject({ name: "a.ogg", size: 3000, transfer: "downloaded" });
    expect(site.replica.requests.count(/\/a\.ogg$/)).toBe(1);
    expect(r.session.asset("two-files")!.files["a.ogg"]!.sha256).toBe((await imported).sha256);
  } finally {
    fault.remove();
  }
});
