/**
 * What the resolver asks of the site client and how it reports back, through the replica over
 * HTTP with injected faults: the retry and timeout options reach the client, a failure is not
 * remembered (the next resolve asks again), concurrent lookups of different assets stay apart,
 * offline mode reaches the page lookup, a pin's size refuses a changed file before its body,
 * and each refusal names the import.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { minimalAsset, startReplica } from "../replica/index.js";
import { isOgaError, type OgaError } from "../../src/errors.js";
import { closeSharedStores, type AssetResolver } from "../../src/project/resolve-asset.js";
import { parseSpecifier } from "../../src/project/specifier.js";
import { parseLockfile } from "../../src/store/lockfile.js";
import { failure, projectResolver, useResolverSite } from "./resolver-harness.js";

const site = useResolverSite("resolver-client", (replica) => {
  replica.catalogue.addAsset(minimalAsset("flaky", { files: [{ path: "flaky.ogg", body: Buffer.from("flaky bytes") }] }));
  replica.catalogue.addAsset(minimalAsset("stalls", { files: [{ path: "stalls.ogg", body: Buffer.from("stalled bytes") }] }));
  replica.catalogue.addAsset(minimalAsset("grows", { files: [{ path: "grows.ogg", body: Buffer.from("short") }] }));
  replica.catalogue.addAsset(minimalAsset("big", { files: [{ path: "big.bin", body: Buffer.alloc(512 * 1024, 7) }] }));
  replica.catalogue.addAsset(minimalAsset("cut", { files: [{ path: "cut.bin", body: Buffer.alloc(4096, 3) }] }));
  replica.catalogue.addAsset(minimalAsset("unsized", { files: [{ path: "unsized.ogg", body: Buffer.from("size unknown") }] }));
  replica.catalogue.addAsset(
    minimalAsset("three-files", {
      files: [
        { path: "zz.ogg", body: Buffer.from("z") },
        { path: "aa.ogg", body: Buffer.from("a") },
        { path: "mm.ogg", body: Buffer.from("m") },
      ],
    }),
  );
});


describe("the client options", () => {
  it("retries: 0 fails on one 503 and names the page tried; the failure is not remembered", async () => {
    const { resolver } = await site.resolver({ retries: 0 });
    const fault = site.replica.faults.add({ path: "/content/flaky", kind: "status", status: 503, times: 1 });
    const error = await failure(resolver.asset("flaky", "oga:flaky"));
    expect(fault.hits).toBe(1);
    expect(error.code).toBe("OGA_HTTP");
    expect(error.message).toMatch(
      new RegExp(`^"oga:flaky": cannot fetch the page ${escape(site.replica.url)}/content/flaky and it is not cached \\(.+\\)\\. Check the network or OGA_URL, or run \`oga prefetch\` once while online\\.$`),
    );
    expect(isOgaError(error.cause, "OGA_HTTP")).toBe(true);
    // The fault has fired: the next resolve asks the site again and gets the asset.
    expect(Object.keys((await resolver.asset("flaky", "oga:flaky")).files)).toEqual(["flaky.ogg"]);
  });

  it("timeoutSeconds bounds a file that never answers", { timeout: 15_000 }, async () => {
    const { resolver } = await site.resolver({ retries: 0, timeoutSeconds: 1 });
    await resolver.asset("stalls", "oga:stalls");
    const hang = site.replica.faults.add({ path: /stalls\.ogg/, kind: "hang" });
    try {
      const error = await failure(resolver.file("stalls", "stalls.ogg", "oga:stalls/stalls.ogg"));
      expect(error.message).toMatch(/^"oga:stalls\/stalls\.ogg": cannot fetch .*stalls\.ogg and it is not cached/);
    } finally {
      hang.remove();
    }
  });
});

it("keeps concurrent lookups of different assets apart", async () => {
  const { resolver } = await site.resolver();
  const [three, flaky] = await Promise.all([resolver.asset("three-files", "oga:three-files"), resolver.asset("flaky", "oga:flaky")]);
  expect(Object.keys(three.files).sort()).toEqual(["aa.ogg", "mm.ogg", "zz.ogg"]);
  expect(Object.keys(flaky.files)).toEqual(["flaky.ogg"]);
});

it("selects an asset's files sorted by name, whatever order the page lists them in", async () => {
  const { resolver } = await site.resolver();
  const files = await resolver.prefetch([parseSpecifier("oga:three-files")]);
  expect(files.map((f) => f.name)).toEqual(["aa.ogg", "mm.ogg", "zz.ogg"]);
});

it("offline: the page lookup makes no request and names the import", async () => {
  const { resolver } = await site.resolver({ offline: true });
  const before = site.replica.requests.count();
  const error = await failure(resolver.asset("three-files", "oga:three-files"));
  expect(error.code).toBe("OGA_OFFLINE");
  expect(error.message).toBe(`"oga:three-files": not in the cache and offline mode is on. Run \`oga prefetch\` while online, or build without OGA_OFFLINE / offline: true.`);
  expect(site.replica.requests.count()).toBe(before);
});

it("shares one client between the resolvers of one cache and site", async () => {
  const one = await site.resolver({}, "shared");
  const two = await site.resolver({}, "shared");
  expect(one.resolver.client).toBeDefined();
  expect(two.resolver.client).toBe(one.resolver.client);
  expect((await site.resolver({}, "not-shared")).resolver.client).not.toBe(one.resolver.client);
});

it("closeSharedStores closes the shared clients' connections, and resolvers made afterwards get a client of their own", async () => {
  // Idle connections kept for a minute: only closing the client closes them within the wait below.
  const server = await startReplica({ keepAliveTimeoutMs: 60_000 });
  server.catalogue.addAsset(minimalAsset("closing", { files: [{ path: "closing.ogg", body: Buffer.from("closing bytes") }] }));
  try {
    const before = await projectResolver(server.url, site.base, "closing");
    await before.resolver.prefetch([parseSpecifier("oga:closing")]);
    // Kept alive for the next request until the client is closed.
    expect(server.openConnections()).toBeGreaterThan(0);
    await closeSharedStores();
    await vi.waitFor(() => expect(server.openConnections()).toBe(0), { timeout: 5_000 });
    const after = await projectResolver(server.url, site.base, "closing");
    expect(after.resolver.client).not.toBe(before.resolver.client);
    await after.resolver.prefetch([parseSpecifier("oga:closing")]);
  } finally {
    await closeSharedStores();
    await server.close();
  }
});

it("reports a download's start once however many chunks its body comes in", async () => {
  const started: string[] = [];
  const { resolver } = await site.resolver({}, undefined, { onDownloadStart: (f) => started.push(f.name) });
  const [file] = await resolver.prefetch([parseSpecifier("oga:big")]);
  expect(file).toMatchObject({ size: 512 * 1024, transfer: "downloaded" });
  expect(started).toEqual(["big.bin"]);
});

describe("selectFiles", () => {
  it("gives a file the asset has, and refuses one it has not, naming its files", async () => {
    const { resolver } = await site.resolver();
    const asset = await resolver.asset("three-files", "oga:three-files");
    const select = (specifier: string) => resolver.selectFiles(parseSpecifier(specifier) as Parameters<AssetResolver["selectFiles"]>[0], asset);
    expect(select("oga:three-files/mm.ogg")).toEqual(["mm.ogg"]);
    for (const specifier of ["oga:three-files/nope.ogg", "oga:three-files/*.png"]) {
      let error: unknown;
      try {
        select(specifier);
      } catch (e) {
        error = e;
      }
      expect(isOgaError(error, "OGA_NO_FILE"), specifier).toBe(true);
      expect((error as Error).message).toContain("aa.ogg, mm.ogg, zz.ogg");
    }
  });
});

describe("a refused file", () => {
  it("of an asset the site does not have keeps the site's answer as its cause", async () => {
    const { resolver } = await site.resolver();
    const error = await failure(resolver.asset("no-such-asset", "oga:no-such-asset"));
    expect(error.code).toBe("OGA_NOT_FOUND");
    expect(isOgaError(error.cause, "OGA_NOT_FOUND")).toBe(true);
  });

  it("whose body ends short keeps the store's reason as its cause", async () => {
    const { resolver } = await site.resolver({ retries: 0 });
    await resolver.asset("cut", "oga:cut");
    const cut = site.replica.faults.add({ path: /cut\.bin/, kind: "truncate", afterBytes: 100 });
    try {
      const error = await failure(resolver.file("cut", "cut.bin", "oga:cut/cut.bin"));
      expect(error.message.startsWith(`"oga:cut/cut.bin": `)).toBe(true);
      expect(isOgaError(error.cause), String(error.cause)).toBe(true);
      expect(error.message).toContain((error.cause as Error).message.slice(0, 40));
      expect(error.code).toBe((error.cause as OgaError).code);
    } finally {
      cut.remove();
    }
  });

  it("that the asset does not have names the asset's files", async () => {
    const { resolver } = await site.resolver();
    const error = await failure(resolver.file("three-files", "nope.ogg", "oga:three-files/nope.ogg"));
    expect(error.code).toBe("OGA_NO_FILE");
    expect(error.message).toContain(`"oga:three-files/nope.ogg"`);
    expect(error.message).toContain("aa.ogg, mm.ogg, zz.ogg");
    // The same through a batch: a name without a zip in it never goes looking inside zips.
    const [batched] = await resolver.eachFile("three-files", ["nope.ogg"], "oga:three-files/nope.ogg");
    expect((await failure(batched!)).message).toBe(error.message);
  });

  it("inside a zip with a name no file system holds is refused as such in a batch", async () => {
    const { resolver } = await site.resolver();
    const name = `tiles.zip/${"y".repeat(300)}.png`;
    const [entry] = await resolver.eachFile("dungeon-pack", [name], "oga:dungeon-pack/**");
    const error = await failure(entry!);
    expect(error.code).toBe("OGA_ARCHIVE");
    expect(error.message).toContain(`asset "dungeon-pack" has a zip entry whose name has the segment "${"y".repeat(40)}…" (304 bytes)`);
  });

  it("over maxFileSize keeps the store's reason after the import's name", async () => {
    const { resolver } = await site.resolver({ maxFileSize: 4 });
    const error = await failure(resolver.prefetch([parseSpecifier("oga:flaky")]));
    expect(error.code).toBe("OGA_TOO_LARGE");
    expect(isOgaError(error.cause, "OGA_TOO_LARGE")).toBe(true);
    expect(error.message).toBe(`"oga:flaky": ${(error.cause as Error).message}`);
  });
});

describe("a pin's size", () => {
  it("refuses a file that changed length upstream before reading its body", async () => {
    const project = "grows";
    const first = await site.resolver({}, project);
    await first.resolver.prefetch([parseSpecifier("oga:grows")]);
    await first.resolver.session.flush();
    site.replica.catalogue.setFileContent("grows", "grows.ogg", Buffer.from("much longer now"));
    try {
      const other = await site.resolver({ cacheDir: path.join(site.base, project, "other-cache") }, project);
      const error = await failure(other.resolver.file("grows", "grows.ogg", "oga:grows/grows.ogg"));
      expect(error.code).toBe("OGA_INTEGRITY");
      expect(error.message).toContain("a 15-byte file instead of 5 bytes");
    } finally {
      site.replica.catalogue.setFileContent("grows", "grows.ogg", Buffer.from("short"));
    }
  });

  it("unknown in the lock (null) is no reason to refuse the pinned bytes", async () => {
    const project = "unsized";
    const first = await site.resolver({}, project);
    const [file] = await first.resolver.prefetch([parseSpecifier("oga:unsized")]);
    await first.resolver.session.flush();
    const lock = parseLockfile(await readFile(first.lockfile, "utf8"), first.lockfile);
    lock.assets["unsized"]!.files["unsized.ogg"]!.size = null;
    await writeFile(first.lockfile, JSON.stringify(lock, null, 2));
    const other = await site.resolver({ cacheDir: path.join(site.base, project, "other-cache") }, project);
    const again = await other.resolver.file("unsized", "unsized.ogg", "oga:unsized/unsized.ogg");
    expect(again).toMatchObject({ sha256: file!.sha256, size: 12, transfer: "downloaded" });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
