/**
 * The replica behaves like OpenGameArt.org over real HTTP: pages carry the markup the spec
 * describes, search honours every parameter, files behave like Apache's, faults fire.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseDocument } from "htmlparser2";
import { selectAll, selectOne } from "css-select";
import { getAttributeValue, textContent } from "domutils";
import { PNG } from "pngjs";
import { createHash } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { generatedBytes, minimalAsset, startReplica, type Replica } from "./replica/index.js";
import { MP3_FRAME_BYTES } from "./replica/media.js";
import { DEFAULT_ITEMS_PER_PAGE } from "./replica/search.js";

const SITE = "https://opengameart.org";

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica();
});
afterAll(async () => {
  await replica.close();
});
beforeEach(() => {
  replica.faults.clear();
  replica.requests.reset();
});

const get = (path: string, init?: RequestInit): Promise<Response> => fetch(replica.url + path, init);

async function page(path: string) {
  const response = await get(path);
  const html = await response.text();
  return { response, html, doc: parseDocument(html) };
}

// domhandler's types, named through the functions that use them (it is not a direct dependency).
type Doc = ReturnType<typeof parseDocument>;
type Element = Parameters<typeof getAttributeValue>[0];
type Node = Doc["children"][number] | Doc;
const all = (selector: string, doc: Doc): Element[] => selectAll<Node, Element>(selector, doc);
const texts = (doc: Doc, selector: string): string[] => all(selector, doc).map((e) => textContent(e).trim());
const attr = (doc: Doc, selector: string, name: string): string | undefined => {
  const element = selectOne<Node, Element>(selector, doc);
  return element ? getAttributeValue(element, name) : undefined;
};

async function bytes(path: string, init?: RequestInit): Promise<Buffer> {
  return Buffer.from(await (await get(path, init)).arrayBuffer());
}

describe("asset pages", () => {
  it("renders an art node with the spec's field classes", async () => {
    const { response, doc } = await page("/content/battle-theme-a");
    expect(response.status).toBe(200);
    expect(texts(doc, "h2")[0]).toBe("User login"); // the sidebar comes first
    expect(texts(doc, 'div[property="dc:title"] h2')).toEqual(["Battle Theme A"]);
    expect(attr(doc, 'meta[property="og:title"]', "content")).toBe("Battle Theme A");
    expect(texts(doc, "title")).toEqual(["Battle Theme A | OpenGameArt.org"]);
    expect(all(".node-art.ds-2col-stacked", doc)).toHaveLength(1);
    // Pacific wall clock on the page, exact offsets in the head, canonical URLs on the live host.
    expect(texts(doc, ".field-name-post-date .field-item")).toEqual(["Friday, June 29, 2012 - 14:51"]);
    expect(attr(doc, 'meta[property="article:published_time"]', "content")).toBe("2012-06-29T14:51:00-07:00");
    expect(attr(doc, 'meta[name="dcterms.date"]', "content")).toBe("2012-06-29T14:51-07:00");
    expect(attr(doc, 'meta[property="og:updated_time"]', "content")).toBe("2013-12-15T12:43:00-08:00");
    expect(attr(doc, 'meta[property="og:url"]', "content")).toBe(`${SITE}/content/battle-theme-a`);
    expect(attr(doc, 'link[rel="canonical"]', "href")).toBe(`${SITE}/content/battle-theme-a`);
    // A field the client does not know sits between the date and the art type.
    const fields = all(".group-left > .field", doc).map((e) => /field-name-(\S+)/.exec(getAttributeValue(e, "class")!)![1]);
    expect(fields.slice(0, 4)).toEqual(["author-submitter", "post-date", "field-patreon-link", "field-art-type"]);
    expect(texts(doc, ".field-name-field-art-type .field-item a")).toEqual(["Music"]);
    expect(texts(doc, ".field-name-field-art-tags .field-item a")).toContain("Battle");
    expect(texts(doc, ".field-name-field-art-licenses .license-name")).toEqual(["CC0", "CC-BY 3.0"]);
    expect(texts(doc, ".field-name-favorites .field-item")).toEqual(["254"]);
    expect(texts(doc, '.right-column div[property="content:encoded"]')[0]).toMatch(/battle theme/);
    expect(texts(doc, ".field-name-field-art-attribution .field-items")[0]).toMatch(/cynicmusic/);
    expect(all('.collect-container a[href^="/content/"]', doc).map((a) => getAttributeValue(a, "href"))).toContain(
      "/content/best-orchestral-music",
    );
    // The comments have their own pager, which is not a search pager.
    expect(all("#comments .comment", doc)).toHaveLength(50);
    expect(attr(doc, "#comments li.pager-last a", "href")).toBe("/content/battle-theme-a?page=2");
    // Music previews are the site's player: no <audio>, the URLs in data attributes.
    expect(all(".field-name-field-art-preview audio", doc)).toHaveLength(0);
    expect(attr(doc, ".field-name-field-art-preview .audio-preview-container .play-button", "data-ogg-url")).toBe(
      `${SITE}/sites/default/files/audio_preview/battleThemeA.mp3.ogg`,
    );
    expect(attr(doc, ".field-name-field-art-preview .play-button", "data-mp3-url")).toBe(`${SITE}/sites/default/files/battleThemeA.mp3`);
    expect(attr(doc, ".field-name-field-art-preview img.audio-image", "src")).toMatch(/\/styles\/medium\/public\/audio_preview\/battleThemeA\.mp3\.png/);
  });

  it("lists collaborators as user links, and image previews as a lightbox link around the thumbnail", async () => {
    const remix = await page("/content/battle-theme-a-remix");
    expect(all(".field-name-field-collaborators .field-item a", remix.doc).map((a) => [getAttributeValue(a, "href"), textContent(a)])).toEqual([
      ["/users/cynicmusic", "cynicmusic"],
    ]);
    expect(texts(remix.doc, ".field-name-field-collaborators .field-label")).toEqual(["Collaborators:"]);
    const sprites = await page("/content/tiny-sprites");
    expect(all(".field-name-field-collaborators", sprites.doc)).toHaveLength(0);
    const lightbox = all(".field-name-field-art-preview a.preview-lightbox", sprites.doc);
    expect(lightbox.map((a) => getAttributeValue(a, "href"))).toEqual([`${SITE}/sites/default/files/hero_16.png`, `${SITE}/sites/default/files/boss_64x48.png`]);
    expect(all(".field-name-field-art-preview img", sprites.doc)).toHaveLength(2);
    for (const a of lightbox) {
      const thumbnail = selectOne<Node, Element>("img", a)!;
      expect(getAttributeValue(thumbnail, "src")).toMatch(/^https:\/\/opengameart\.org\/sites\/default\/files\/styles\/medium\/public\//);
      expect((await get(new URL(getAttributeValue(thumbnail, "src")!).pathname)).status).toBe(200);
    }
  });

  it("links each file absolutely, with a type and length that match the served file", async () => {
    const { doc } = await page("/content/battle-theme-a");
    const links = all(".field-name-field-art-files span.file a", doc);
    expect(links.map((a) => textContent(a))).toEqual(["battleThemeA.mp3", "battleThemeA.ogg"]);
    expect(all(".field-name-field-art-files span.file img.file-icon", doc)).toHaveLength(2);
    expect(texts(doc, ".field-name-field-art-files span.dlcount-number")[0]).toBe("[12,345 download(s)]");
    const href = getAttributeValue(links[0]!, "href")!;
    expect(href).toBe(`${SITE}/sites/default/files/battleThemeA.mp3`);
    expect(getAttributeValue(links[0]!, "download")).toBe("battleThemeA.mp3");
    expect(getAttributeValue(links[0]!, "target")).toBe("_blank");
    const fids = links.map((a) => Number(getAttributeValue(a, "data-fid")));
    expect(fids.every((fid) => Number.isInteger(fid) && fid > 0)).toBe(true);
    expect(new Set(fids).size).toBe(fids.length);
    const [mime, length] = getAttributeValue(links[0]!, "type")!.split("; length=");
    const body = await bytes(new URL(href).pathname);
    expect(mime).toBe("audio/mpeg");
    expect(body.length).toBe(Number(length));
  });

  it("prints the three author shapes with single-quoted attributes", async () => {
    const one = await page("/content/battle-theme-a");
    expect(one.html).toContain(`<span class='username'><a href="/users/cynicmusic">cynicmusic</a></span>`);
    const two = await page("/content/imminent-threat");
    expect(two.html).toContain(
      `<span class='username'><a href='http://www.matthewpablo.com/' target='_blank'>Matthew Pablo</a></span><br/>(Submitted by <strong><a href="/users/matthewpablo">matthew.pablo</a></strong>)`,
    );
    const three = await page("/content/forest-ambience");
    expect(three.html).toContain(
      `<span class='username'>Jane Q. Recordist</span><br/>(Submitted by <strong><a href="/users/the-muwee-collective">The Muwee Collective</a></strong>)`,
    );
  });

  it("encodes odd file names the rawurlencode way and keeps labels apart from stored names", async () => {
    const { doc } = await page("/content/strange-file-names");
    const links = all(".field-name-field-art-files span.file a", doc);
    const hrefs = links.map((a) => getAttributeValue(a, "href")!);
    expect(hrefs).toContain(`${SITE}/sites/default/files/Hit%20Sound%21.wav`);
    expect(hrefs).toContain(`${SITE}/sites/default/files/sprite%20sheet%20%5Bv2%5D.png`);
    expect(hrefs.some((h) => h.includes("Caf%C3%A9%20Th%C3%A9me"))).toBe(true);
    const described = links.find((a) => getAttributeValue(a, "title") !== undefined)!;
    expect(getAttributeValue(described, "title")).toBe("strange_soundtrack_full.ogg");
    expect(textContent(described)).toBe("Full soundtrack (OGG, 44.1 kHz)");
    expect(getAttributeValue(described, "download")).toBe("strange_soundtrack_full.ogg");
    for (const href of hrefs) expect((await get(new URL(href).pathname)).status).toBe(200);

    const sprites = await page("/content/tiny-sprites");
    expect(texts(sprites.doc, ".field-name-field-art-files span.file a")).toEqual(["hero_16.png", "slime_32.png", "boss_64x48.png"]);

    const remix = await page("/content/battle-theme-a-remix");
    const remixLinks = all(".field-name-field-art-files span.file a", remix.doc);
    expect(remixLinks.map((a) => [getAttributeValue(a, "href"), textContent(a), getAttributeValue(a, "download")])).toEqual([
      ["/sites/default/files/battleThemeA_0.mp3", "battleThemeA.mp3", "battleThemeA.mp3"],
      ["/sites/default/files/remix_notes_59.txt", "remix_notes.txt", "remix_notes.txt"],
    ]);
  });

  it("shows withdrawn files, off-origin links, subfolders, UTF-8 slugs, node aliases and collections", async () => {
    const withdrawn = await page("/content/withdrawn-tracks");
    // The site's module prints its notice, typo included, with no files field around it.
    expect(all(".field-name-field-art-files", withdrawn.doc)).toHaveLength(0);
    expect(withdrawn.html).toContain(
      `<div class="field-label">File(s):&nbsp;</div><div style="padding-left: 20px; font-style: italic;">File(s) currently unavalable due to potential licensing issues.`,
    );
    const mirror = await page("/content/mirror-hosted-track");
    expect(attr(mirror.doc, ".field-name-field-art-files a", "href")).toBe(
      "http://files.elsewhere.test/sites/default/files/mirror_track.ogg",
    );
    const threat = await page("/content/imminent-threat");
    expect(all(".field-name-field-art-files a", threat.doc).map((a) => getAttributeValue(a, "href"))).toContain(
      `${SITE}/sites/default/files/musicpacks/Imminent%20Threat%20Collection.zip`,
    );
    expect(texts(threat.doc, ".field-name-field-copyright-notice .field-items")[0]).toMatch(/2013 Matthew Pablo/);

    const utf8 = await page(`/content/${encodeURIComponent("música-de-batalla")}`);
    expect(texts(utf8.doc, 'div[property="dc:title"] h2')).toEqual(["Música de batalla"]);
    const node = await page("/node/1227");
    expect(node.response.status).toBe(200);
    expect(texts(node.doc, 'div[property="dc:title"] h2')).toEqual(["Battle Theme A"]);
    for (const slug of replica.catalogue.slugs().slice(0, 5)) {
      expect((await get(`/node/${replica.catalogue.getAsset(slug)!.nodeId}`)).status).toBe(200);
    }
    const collection = await page("/content/best-orchestral-music");
    expect(texts(collection.doc, "span.art-preview-title a")).toEqual(["Battle Theme A", "Imminent Threat", "Música de batalla"]);
  });

  it("answers 404 with a Drupal page for unknown slugs and nodes", async () => {
    for (const path of ["/content/no-such-asset", "/node/999999", "/nowhere"]) {
      const { response, html } = await page(path);
      expect(response.status).toBe(404);
      expect(html).toContain("Page not found");
    }
  });
});

describe("files", () => {
  const mp3 = "/sites/default/files/battleThemeA.mp3";

  it("sends Apache-style validators and honours If-None-Match, Range and HEAD", async () => {
    const full = await get(mp3);
    const body = Buffer.from(await full.arrayBuffer());
    const etag = full.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(etag.slice(1).split("-")[0]).toBe(body.length.toString(16));
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    // Uploaded at the post date: 14:51 Pacific daylight time.
    expect(Date.parse(full.headers.get("last-modified")!)).toBe(Date.parse("2012-06-29T21:51:00Z"));
    expect(full.headers.get("content-length")).toBe(String(body.length));

    const again = await get(mp3, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect((await get(mp3, { headers: { "if-none-match": '"0-0"' } })).status).toBe(200);

    const part = await get(mp3, { headers: { range: "bytes=4-13" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 4-13/${body.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(body.subarray(4, 14));
    const tail = await get(mp3, { headers: { range: "bytes=-10" } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(body.subarray(-10));
    expect((await get(mp3, { headers: { range: `bytes=${body.length}-` } })).status).toBe(416);
    const stale = await get(mp3, { headers: { range: "bytes=0-9", "if-range": '"stale"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();

    const head = await get(mp3, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(head.headers.get("content-length")).toBe(String(body.length));
    expect(await head.text()).toBe("");
  });

  it("serves files in subfolders and with odd names, and 404s the rest", async () => {
    expect((await get("/sites/default/files/musicpacks/Imminent%20Threat%20Collection.zip")).status).toBe(200);
    expect((await get("/sites/default/files/Hit%20Sound!.wav")).status).toBe(200);
    expect((await get("/sites/default/files/CREDITS.txt_.zip")).status).toBe(200);
    expect((await get("/sites/default/files/styles/medium/public/hero_16.png?itok=x")).headers.get("content-type")).toBe("image/png");
    expect((await get("/sites/default/files/missing.ogg")).status).toBe(404);
    expect((await get("/sites/default/files/mirror_track.ogg")).status).toBe(404); // lives on the other host
  });

  it("changes ETag and Last-Modified when a file is replaced, and withdraws removed files and assets", async () => {
    replica.catalogue.addAsset(minimalAsset("replaced-asset"));
    const path = "/sites/default/files/replaced-asset.txt";
    const before = await get(path);
    await before.arrayBuffer();
    replica.catalogue.setFileContent("replaced-asset", "replaced-asset.txt", Buffer.from("new content\n"));
    const after = await get(path, { headers: { "if-none-match": before.headers.get("etag")! } });
    expect(after.status).toBe(200);
    expect(await after.text()).toBe("new content\n");
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    expect(after.headers.get("last-modified")).not.toBe(before.headers.get("last-modified"));
    const { doc } = await page("/content/replaced-asset");
    expect(attr(doc, ".field-name-field-art-files a", "type")).toBe("text/plain; length=12");

    replica.catalogue.removeFile("replaced-asset", "replaced-asset.txt");
    expect((await get(path)).status).toBe(404);
    replica.catalogue.removeAsset("replaced-asset");
    expect((await get("/content/replaced-asset")).status).toBe(404);
  });

  it("streams big generated files with stable ETags and exact ranges", async () => {
    replica.catalogue.addAsset(minimalAsset("big-asset", { files: [] }));
    const size = 3 * 1024 * 1024 + 17;
    const file = replica.catalogue.addGeneratedFile("big-asset", "big pack.zip", size, { seed: 7 });
    const expected = generatedBytes(7, size);
    const whole = await bytes("/sites/default/files/big%20pack.zip");
    expect(createHash("sha256").update(whole).digest("hex")).toBe(createHash("sha256").update(expected).digest("hex"));
    const start = 1024 * 1024 - 5;
    const part = await bytes("/sites/default/files/big%20pack.zip", { headers: { range: `bytes=${start}-${start + 99}` } });
    expect(part).toEqual(expected.subarray(start, start + 100));
    expect((await get("/sites/default/files/big%20pack.zip", { method: "HEAD" })).headers.get("etag")).toBe(
      `"${size.toString(16)}-${(file.mtime.getTime() * 1000).toString(16)}"`,
    );
    replica.catalogue.removeAsset("big-asset");
  });
});

describe("media", () => {
  it("serves PNGs that decode to their stated sizes", async () => {
    for (const [name, width, height] of [
      ["hero_16.png", 16, 16],
      ["slime_32.png", 32, 32],
      ["boss_64x48.png", 64, 48],
      ["dungeon_tileset.png", 128, 64],
    ] as const) {
      const image = PNG.sync.read(await bytes(`/sites/default/files/${name}`));
      expect([image.width, image.height]).toEqual([width, height]);
      expect(image.data.some((v, i) => i % 4 === 3 && v === 255)).toBe(true); // something is drawn
    }
  });

  it("serves valid WAV and MP3 headers", async () => {
    const jump = await bytes("/sites/default/files/jump.wav");
    expect(jump.toString("ascii", 0, 4)).toBe("RIFF");
    expect(jump.toString("ascii", 8, 12)).toBe("WAVE");
    expect(jump.readUInt32LE(4)).toBe(jump.length - 8);
    expect(jump.readUInt32LE(40)).toBe(jump.length - 44);
    const mp3 = await bytes("/sites/default/files/battleThemeA.mp3");
    expect(mp3.length % MP3_FRAME_BYTES).toBe(0);
    expect(mp3.readUInt32BE(0)).toBe(0xfffb9064);
    expect(mp3.readUInt32BE(MP3_FRAME_BYTES)).toBe(0xfffb9064);
    const frames = mp3.length / MP3_FRAME_BYTES;
    expect((frames * 1152) / 44_100).toBeCloseTo(2, 1);
  });

  it("serves a ZIP whose central directory lists nested folders, __MACOSX junk and spaces", async () => {
    const archive = await bytes("/sites/default/files/musicpacks/Imminent%20Threat%20Collection.zip");
    const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const count = archive.readUInt16LE(end + 10);
    let offset = archive.readUInt32LE(end + 16);
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      expect(archive.readUInt32LE(offset)).toBe(0x02014b50);
      const method = archive.readUInt16LE(offset + 10);
      const crcSize = archive.readUInt32LE(offset + 20);
      const rawSize = archive.readUInt32LE(offset + 24);
      const nameLength = archive.readUInt16LE(offset + 28);
      const local = archive.readUInt32LE(offset + 42);
      const name = archive.toString("utf8", offset + 46, offset + 46 + nameLength);
      names.push(name);
      // Each entry's data is where its local header says, and inflates when deflated.
      const localName = archive.readUInt16LE(local + 26);
      const data = archive.subarray(local + 30 + localName, local + 30 + localName + crcSize);
      const content = method === 8 ? inflateRawSync(data) : data;
      expect(content.length, name).toBe(rawSize);
      if (name.endsWith(".wav")) expect(content.toString("ascii", 0, 4)).toBe("RIFF");
      if (name.endsWith(".ogg") && !name.startsWith("__MACOSX/")) expect(content.toString("ascii", 0, 4)).toBe("OggS");
      offset += 46 + nameLength;
    }
    expect(names).toContain("Imminent Threat Collection/OGG/Loops/Imminent Threat Loop.ogg");
    expect(names).toContain("Imminent Threat Collection/WAV/Imminent Threat Beat 1.wav");
    expect(names).toContain("Imminent Threat Collection/.DS_Store");
    expect(names.some((n) => n.startsWith("__MACOSX/"))).toBe(true);
  });
});

describe("search", () => {
  async function search(query: string) {
    const { response, doc } = await page(`/art-search-advanced?${query}`);
    expect(response.status).toBe(200);
    expect(all(".view-display-id-search_art_advanced", doc)).toHaveLength(1);
    const header = texts(doc, ".view-display-id-search_art_advanced .view-header")[0] ?? "";
    return {
      doc,
      slugs: all("span.art-preview-title a", doc).map((a) => decodeURIComponent(getAttributeValue(a, "href")!.slice(9))),
      total: Number(/of (\d+)/.exec(header)?.[1] ?? 0),
      header,
      last: attr(doc, "ul.pager li.pager-last a", "href"),
    };
  }
  const art = () => replica.catalogue.assets().filter((a) => a.kind === "art");

  it("pages 24 at a time with a pager-last link repeating every parameter", async () => {
    const first = await search("sort_by=created&sort_order=DESC&items_per_page=24");
    const total = art().length;
    const lastPage = Math.ceil(total / 24) - 1;
    expect(lastPage).toBeGreaterThanOrEqual(2);
    expect(first.total).toBe(total);
    expect(first.header).toBe(`Displaying 1 - 24 of ${total}`);
    expect(first.slugs).toHaveLength(24);
    expect(first.doc && texts(first.doc, "h2.element-invisible")).toEqual(["Pages"]);
    expect(first.last).toBe(`/art-search-advanced?sort_by=created&sort_order=DESC&items_per_page=24&page=${lastPage}`);
    expect(attr(first.doc, "ul.pager li.pager-next a", "href")).toMatch(/&page=1$/);

    const second = await search("sort_by=created&sort_order=DESC&items_per_page=24&page=1");
    expect(second.header).toBe(`Displaying 25 - 48 of ${total}`);
    expect(attr(second.doc, "ul.pager li.pager-first a", "href")).toBe(
      "/art-search-advanced?sort_by=created&sort_order=DESC&items_per_page=24",
    );
    expect(attr(second.doc, "ul.pager li.pager-previous a", "href")).not.toMatch(/[?&]page=/);
    const seen = new Set([...first.slugs, ...second.slugs]);
    for (let p = 2; p <= lastPage; p++) for (const slug of (await search(`sort_by=created&items_per_page=24&page=${p}`)).slugs) seen.add(slug);
    expect(seen.size).toBe(total); // every asset once, no overlap

    // Like Drupal's theme_pager, the last page has first/previous but no next/last.
    const final = await search(`sort_by=created&items_per_page=24&page=${lastPage}`);
    expect(final.last).toBeUndefined();
    expect(all("ul.pager li.pager-next", final.doc)).toHaveLength(0);
    expect(attr(final.doc, "ul.pager li.pager-first a", "href")).toBe("/art-search-advanced?sort_by=created&items_per_page=24");
    // A page past the end shows the last page, as Drupal clamps it.
    expect((await search(`sort_by=created&items_per_page=24&page=${lastPage + 5}`)).slugs).toEqual(final.slugs);

    // Newest first, by the catalogue's own dates.
    const dates = first.slugs.map((s) => replica.catalogue.getAsset(s)!.postedAt.getTime());
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });

  it("has no pager for a single page and a no-results text when empty", async () => {
    const single = await search("title=Battle+Theme+A");
    expect(single.slugs).toEqual(expect.arrayContaining(["battle-theme-a", "battle-theme-a-remix"]));
    expect(all("ul.pager", single.doc)).toHaveLength(0);
    const empty = await search("keys=zzzznothing");
    expect(empty.slugs).toEqual([]);
    expect(all(".view-empty", empty.doc)).toHaveLength(1);
    expect(all("ul.pager", empty.doc)).toHaveLength(0);
  });

  it("narrows with every filter", async () => {
    const everything = (await search("items_per_page=500")).slugs;
    expect(everything).toHaveLength(art().length);
    expect((await search("")).slugs).toHaveLength(DEFAULT_ITEMS_PER_PAGE);
    const expectations: Array<[string, (slug: string) => boolean]> = [
      ["keys=orchestral", (s) => /orchestral/i.test(JSON.stringify(replica.catalogue.getAsset(s)))],
      ["title=theme", (s) => /theme/i.test(replica.catalogue.getAsset(s)!.title)],
      ["name=bart", (s) => /bart/i.test(replica.catalogue.getAsset(s)!.submitter.name)],
      ["field_art_type_tid%5B%5D=12", (s) => replica.catalogue.getAsset(s)!.type === "Music"],
      ["field_art_licenses_tid[]=4", (s) => replica.catalogue.getAsset(s)!.licenses.includes("CC0")],
      ["field_art_tags_tid=Battle", (s) => replica.catalogue.getAsset(s)!.tags.some((t) => t.toLowerCase() === "battle")],
      [
        "field_art_tags_tid=Battle,orchestral&field_art_tags_tid_op=and",
        (s) => ["battle", "orchestral"].every((t) => replica.catalogue.getAsset(s)!.tags.map((x) => x.toLowerCase()).includes(t)),
      ],
      ["field_art_tags_tid=Battle&field_art_tags_tid_op=not", (s) => !replica.catalogue.getAsset(s)!.tags.some((t) => t.toLowerCase() === "battle")],
      ["field_art_tags_tid_op=empty", (s) => replica.catalogue.getAsset(s)!.tags.length === 0],
      ["field_art_tags_tid_op=not+empty", (s) => replica.catalogue.getAsset(s)!.tags.length > 0],
    ];
    for (const [query, predicate] of expectations) {
      const { slugs } = await search(`${query}&items_per_page=500`);
      expect(slugs.length, query).toBeGreaterThan(0);
      expect(slugs.length, query).toBeLessThan(everything.length);
      expect(slugs.every(predicate), query).toBe(true);
      expect(slugs.length, query).toBe(everything.filter(predicate).length);
    }
  });

  it("ORs repeated array values and accepts all three bracket spellings", async () => {
    const spellings = [
      "field_art_type_tid[]=12&field_art_type_tid[]=13",
      "field_art_type_tid%5B%5D=12&field_art_type_tid%5B%5D=13",
      "field_art_type_tid[0]=12&field_art_type_tid[3]=13",
    ];
    const results = await Promise.all(spellings.map((q) => search(`${q}&items_per_page=500`)));
    const expected = art().filter((a) => a.type === "Music" || a.type === "Sound Effect").length;
    for (const r of results) expect(r.slugs).toEqual(results[0]!.slugs);
    expect(results[0]!.slugs).toHaveLength(expected);

    const both = await search("field_art_licenses_tid%5B%5D=4&field_art_licenses_tid%5B%5D=10310&items_per_page=500");
    expect(both.slugs).toHaveLength(art().filter((a) => a.licenses.includes("CC0") || a.licenses.includes("OGA-BY 3.0")).length);

    // Drupal rebuilds arrays as indexed keys in pager links.
    const paged = await search("field_art_type_tid[]=9&field_art_type_tid[]=12&field_art_type_tid[]=13&items_per_page=5");
    expect(paged.last).toMatch(/^\/art-search-advanced\?field_art_type_tid\[0\]=9&field_art_type_tid\[1\]=12&field_art_type_tid\[2\]=13&items_per_page=5&page=\d+$/);
  });

  it("sorts by favorites, views and relevance in either order", async () => {
    const favorites = (await search("sort_by=count&sort_order=DESC&items_per_page=500")).slugs.map((s) => replica.catalogue.getAsset(s)!.favorites);
    expect([...favorites].sort((a, b) => b - a)).toEqual(favorites);
    const views = (await search("sort_by=totalcount&sort_order=ASC&items_per_page=500")).slugs.map((s) => replica.catalogue.getAsset(s)!.views);
    expect([...views].sort((a, b) => a - b)).toEqual(views);
    const relevant = await search("keys=battle+theme&sort_by=score&sort_order=DESC");
    expect(relevant.slugs[0]).toMatch(/^battle-theme-a/);
  });
});

describe("faults and request log", () => {
  const mp3 = "/sites/default/files/battleThemeA.mp3";

  it("answers a status fault the given number of times, with Retry-After", async () => {
    const handle = replica.faults.add({ path: mp3, kind: "status", status: 503, retryAfter: 2, times: 2 });
    const first = await get(mp3);
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("2");
    expect(await first.text()).toContain("nginx");
    expect((await get(mp3)).status).toBe(503);
    const third = await get(mp3);
    expect(third.status).toBe(200);
    await third.arrayBuffer();
    expect(handle.hits).toBe(2);
    expect(replica.requests.filter(mp3).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("matches by method and by RegExp, and stops when removed", async () => {
    const handle = replica.faults.add({ path: /\.mp3$/, method: "HEAD", kind: "status", status: 502 });
    expect((await get(mp3, { method: "HEAD" })).status).toBe(502);
    const body = await get(mp3);
    expect(body.status).toBe(200);
    await body.arrayBuffer();
    handle.remove();
    expect((await get(mp3, { method: "HEAD" })).status).toBe(200);
  });

  it("resets or truncates a body mid-way", async () => {
    replica.faults.add({ path: mp3, kind: "reset", afterBytes: 1000, times: 1 });
    await expect(get(mp3).then((r) => r.arrayBuffer())).rejects.toThrow();
    replica.faults.add({ path: mp3, kind: "truncate", afterBytes: 1000, times: 1 });
    const truncated = await get(mp3);
    expect(Number(truncated.headers.get("content-length"))).toBeGreaterThan(1000);
    await expect(truncated.arrayBuffer()).rejects.toThrow();
    const fine = await bytes(mp3);
    expect(fine.length).toBeGreaterThan(1000);
  });

  it("delays, hangs, answers HTML with 200, redirects", async () => {
    replica.faults.add({ path: "/content/tiny-sprites", kind: "delay", ms: 150, times: 1 });
    const started = Date.now();
    expect((await get("/content/tiny-sprites")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    replica.faults.add({ path: "/content/retro-sfx-pack", kind: "hang", times: 1 });
    await expect(get("/content/retro-sfx-pack", { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(replica.requests.last("/content/retro-sfx-pack")?.status).toBe(0);

    replica.faults.add({ path: mp3, kind: "html200", times: 1 });
    const html = await get(mp3);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    await html.text();

    replica.faults.add({ path: mp3, kind: "redirect", location: "/sites/default/files/battleThemeA.ogg", times: 1 });
    const redirected = await get(mp3, { redirect: "manual" });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("location")).toBe("/sites/default/files/battleThemeA.ogg");
  });

  it("counts requests by prefix, method, RegExp or predicate", async () => {
    await (await get("/content/battle-theme-a")).text();
    await (await get(mp3, { method: "HEAD" })).text();
    await (await get("/sites/default/files/Hit%20Sound%21.wav")).arrayBuffer();
    expect(replica.requests.count()).toBe(3);
    expect(replica.requests.count("/sites/default/files/")).toBe(2);
    expect(replica.requests.count("HEAD /sites/")).toBe(1);
    expect(replica.requests.count("/sites/default/files/Hit Sound!.wav")).toBe(1);
    expect(replica.requests.count(/\.wav$/)).toBe(1);
    expect(replica.requests.count((r) => r.status === 200 && r.method === "GET")).toBe(2);
    expect(replica.requests.last()?.headers["user-agent"]).toBeDefined();
    replica.requests.reset();
    expect(replica.requests.count()).toBe(0);
  });
});
