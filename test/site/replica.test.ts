/**
 * The site client against the local replica of OpenGameArt: real pages, real HTTP.
 */
import { basename } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { assetPageUrl } from "../../src/site/asset-id.js";
import { SiteHttp } from "../../src/site/http.js";
import { parseAssetPage } from "../../src/site/parse-asset.js";
import { searchAssets } from "../../src/site/search.js";
import type { Person, SearchResult } from "../../src/site/types.js";
import { deedOf } from "../replica/asset-page.js";
import { startReplica, type Replica, type ReplicaAsset } from "../replica/index.js";

const SITE = "https://opengameart.org";

let replica: Replica;
let http: SiteHttp;

beforeAll(async () => {
  replica = await startReplica();
  http = new SiteHttp({ origin: replica.url, userAgent: "vite-plugin-oga/test", connections: 4, retries: 1, retryMinDelayMs: 1, timeoutSeconds: 10 });
});
afterAll(async () => {
  await http?.close();
  await replica?.close();
});

function expectedPeople(asset: ReplicaAsset): { author: Partial<Person>; submitter: Person } {
  const submitter = { id: asset.submitter.slug, name: asset.submitter.name, url: `${SITE}/users/${asset.submitter.slug}` };
  switch (asset.author.kind) {
    case "submitter":
      return { author: submitter, submitter };
    case "link":
      return { author: { id: null, name: asset.author.name, url: new URL(asset.author.url).href }, submitter };
    case "text":
      return { author: { id: null, name: asset.author.name, url: null }, submitter };
  }
}

async function describeAsset(slug: string) {
  const { pageUrl } = assetPageUrl(replica.url, slug);
  const page = await http.getPage(pageUrl);
  return parseAssetPage(page.html, pageUrl);
}

/** The shown date and the head agree, in the site's zone: the head's exact offset wins. */
function siteOffset(date: Date): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: "America/Los_Angeles", timeZoneName: "longOffset" }).formatToParts(date).find((p) => p.type === "timeZoneName")!.value;
  return name.replace("GMT", "");
}

describe("asset pages of the replica", () => {
  it("every art asset of the catalogue parses to what the catalogue holds", async () => {
    const art = replica.catalogue.assets().filter((a) => a.kind === "art");
    expect(art.length).toBeGreaterThan(10);
    for (const expected of art) {
      const asset = await describeAsset(expected.slug);
      const context = `asset ${expected.slug}`;
      expect(asset.id, context).toBe(expected.slug);
      expect(asset.pageUrl, context).toBe(`${SITE}/content/${encodeURIComponent(expected.slug)}`);
      expect(asset.title, context).toBe(expected.title);
      expect(asset.type, context).toBe(expected.type);
      expect(asset.tags, context).toEqual(expected.tags);
      expect(asset.licenses, context).toEqual(expected.licenses);
      expect(asset.favorites, context).toBe(expected.favorites);
      expect(Date.parse(asset.postedAt!), context).toBe(expected.postedAt.getTime());
      expect(asset.postedAt!.slice(-6), context).toBe(siteOffset(expected.postedAt));
      expect(Date.parse(asset.updatedAt!), context).toBe(expected.updatedAt.getTime());
      expect(asset.collaborators, context).toEqual(expected.collaborators.map((u) => ({ id: u.slug, name: u.name, url: `${SITE}/users/${u.slug}` })));
      expect({ ...asset.licenseUrls }, context).toEqual(Object.fromEntries(expected.licenses.map((l) => [l, deedOf(l)])));
      expect(asset.previews.map((p) => [p.kind, decodeURIComponent(new URL(p.url).pathname)]), context).toEqual(
        expected.previews.map((p) => (/\.(mp3|ogg|wav)$/.test(p) ? ["audio", `/sites/default/files/audio_preview/${p}.ogg`] : ["image", `/sites/default/files/${p}`])),
      );
      expect(asset.filesUnavailable, context).toBe(expected.filesUnavailable);
      expect({ author: asset.author, submitter: asset.submitter }, context).toMatchObject(expectedPeople(expected));
      expect(asset.collections, context).toEqual(replica.catalogue.collectionsOf(expected.slug).map((c) => c.slug));
      expect(asset.attribution === "", context).toBe(!expected.attribution);
      expect(asset.copyrightNotice === "", context).toBe(!expected.copyrightNotice);
      expect(asset.description === "", context).toBe(expected.description.replace(/<[^>]*>/g, "").trim() === "");
      const files = expected.filesUnavailable ? [] : expected.files;
      expect(
        asset.files.map((f) => ({ name: f.name, label: f.label, size: f.size, mime: f.mime, downloads: f.downloads, origin: new URL(f.url).origin })),
        context,
      ).toEqual(
        files.map((f) => ({
          name: basename(f.path),
          label: f.label,
          size: f.size,
          mime: f.mime,
          downloads: f.downloads,
          // The site's own files are on opengameart.org, relative links included.
          origin: f.host ? new URL(f.host).origin : SITE,
        })),
      );
    }
  });

  it("file URLs from the page (on opengameart.org) download from the replica through openFile", async () => {
    const asset = await describeAsset("strange-file-names");
    expect(asset.files.length).toBeGreaterThan(3);
    for (const file of asset.files) {
      expect(new URL(file.url).origin).toBe(SITE);
      const before = replica.requests.count();
      const response = await http.openFile(file.url);
      let bytes = 0;
      for await (const chunk of response.body) bytes += (chunk as Buffer).length;
      expect(bytes, file.name).toBe(file.size);
      expect(replica.requests.count() - before, file.name).toBe(1);
    }
  });

  it("audio previews point at the site's player files, which the replica serves", async () => {
    const asset = await describeAsset("battle-theme-a");
    expect(asset.previews).toEqual([
      {
        kind: "audio",
        url: `${SITE}/sites/default/files/audio_preview/battleThemeA.mp3.ogg`,
        oggUrl: `${SITE}/sites/default/files/audio_preview/battleThemeA.mp3.ogg`,
        mp3Url: `${SITE}/sites/default/files/battleThemeA.mp3`,
        thumbnailUrl: `${SITE}/sites/default/files/styles/medium/public/audio_preview/battleThemeA.mp3.png?itok=W4vF0rm1`,
      },
    ]);
    const response = await http.openFile(asset.previews[0]!.url);
    await response.body.resume().once("end", () => undefined);
    expect(response.status).toBe(200);
  });

  it("withheld files: the site's notice is read, the asset described with no files", async () => {
    const asset = await describeAsset("withdrawn-tracks");
    expect(asset).toMatchObject({ files: [], filesUnavailable: true, title: "Withdrawn Tracks", licenses: ["GPL 2.0"] });
    const html = (await http.getPage(`${replica.url}/content/withdrawn-tracks`)).html;
    expect(html).toContain("File(s) currently unavalable");
    expect(html).not.toContain("field-name-field-art-files");
  });

  it("/node/<n> reads the same asset under its slug", async () => {
    const expected = replica.catalogue.getAsset("battle-theme-a")!;
    const { pageUrl } = assetPageUrl(replica.url, `/node/${expected.nodeId}`);
    const page = await http.getPage(pageUrl);
    const asset = parseAssetPage(page.html, pageUrl);
    expect(asset.id).toBe("battle-theme-a");
    expect(asset.pageUrl).toBe(`${SITE}/content/battle-theme-a`);
  });

  it("a collection page is refused with OGA_PARSE naming its assets", async () => {
    const collection = replica.catalogue.assets().find((a) => a.kind === "collection")!;
    let error: unknown;
    try {
      await describeAsset(collection.slug);
    } catch (e) {
      error = e;
    }
    expect(isOgaError(error, "OGA_PARSE")).toBe(true);
    expect((error as Error).message).toMatch(/collection/);
    expect((error as Error).message).toContain(collection.members[0]!);
  });

  it("a missing asset is OGA_NOT_FOUND", async () => {
    let error: unknown;
    try {
      await describeAsset("no-such-asset-anywhere");
    } catch (e) {
      error = e;
    }
    expect(isOgaError(error, "OGA_NOT_FOUND")).toBe(true);
  });
});

describe("search against the replica", () => {
  async function collect(iterable: AsyncIterable<SearchResult>): Promise<SearchResult[]> {
    const out: SearchResult[] = [];
    for await (const result of iterable) out.push(result);
    return out;
  }

  it("walks all pages and finds every art asset once", async () => {
    const art = replica.catalogue.assets().filter((a) => a.kind === "art");
    const itemsPerPage = Math.ceil(art.length / 4);
    const before = replica.requests.count((r) => r.pathname === "/art-search-advanced");
    const results = await collect(searchAssets(http, { itemsPerPage, sortBy: "created" }, { delaySeconds: 0 }));
    expect(results.map((r) => r.id).sort()).toEqual(art.map((a) => a.slug).sort());
    expect(replica.requests.count((r) => r.pathname === "/art-search-advanced") - before).toBe(4);
  });

  it("stops after three pages with pageLimit and keeps the site's order", async () => {
    const full = await collect(searchAssets(http, { itemsPerPage: 5 }, { delaySeconds: 0 }));
    const limited = await collect(searchAssets(http, { itemsPerPage: 5, pageLimit: 3 }, { delaySeconds: 0 }));
    expect(limited).toHaveLength(15);
    expect(limited).toEqual(full.slice(0, 15));
    const favorites = limited.map((r) => replica.catalogue.getAsset(r.id)!.favorites);
    expect(favorites).toEqual([...favorites].sort((a, b) => b - a));
  });

  it("filters by type and license", async () => {
    const results = await collect(searchAssets(http, { types: ["music"], licenses: ["cc-by-30"], itemsPerPage: 3 }, { delaySeconds: 0 }));
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) {
      const asset = replica.catalogue.getAsset(result.id)!;
      expect(asset.type).toBe("Music");
      expect(asset.licenses).toContain("CC-BY 3.0");
    }
  });
});
