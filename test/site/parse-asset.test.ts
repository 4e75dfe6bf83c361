import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { parseAssetPage } from "../../src/site/parse-asset.js";
import {
  AUTHOR_IS_SUBMITTER,
  AUTHOR_OUTSIDE_LINKED,
  AUTHOR_OUTSIDE_TEXT,
  FILES_WITHHELD,
  assetPage,
  audioPreview,
  collaborator,
  fileItem,
  imagePreview,
  license,
} from "./fixtures/asset-page.js";

const PAGE = "https://opengameart.org/content/battle-theme-a";

function filesField(items: string): string {
  return `<div class="field field-name-field-art-files field-type-file field-label-above"><div class="field-label">File(s):&nbsp;</div><div class="field-items">${items}</div></div>`;
}

function parseError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("parseAssetPage", () => {
  it("reads every field of a typical page", () => {
    const asset = parseAssetPage(
      assetPage({ attribution: "Credit: Matthew Pablo<br/>link back to <a href='http://x'>my site</a>", copyright: "© 2012 Someone" }),
      PAGE,
    );
    expect(asset).toMatchObject({
      id: "battle-theme-a",
      pageUrl: PAGE,
      title: "Battle Theme A",
      type: "Music",
      tags: ["Battle", "epic", "metal gear"],
      licenses: ["CC-BY 3.0"],
      licenseUrls: { "CC-BY 3.0": "http://creativecommons.org/licenses/by/3.0/" },
      favorites: 1204,
      postedAt: "2013-12-15T12:43:07-08:00",
      updatedAt: "2014-07-04T09:30:00-07:00",
      attribution: "Credit: Matthew Pablo\nlink back to my site",
      copyrightNotice: "© 2012 Someone",
      description: "An epic battle theme.\n\nLoops nicely.\nEnjoy & credit!",
      collections: ["rpg-music-pack", "boss-battle-music"],
      filesUnavailable: false,
    });
    expect(asset.collaborators).toEqual([
      { id: "xenodora", name: "Xenodora", url: "https://opengameart.org/users/xenodora" },
      { id: "bart", name: "Bart K.", url: "https://opengameart.org/users/bart" },
    ]);
    expect(asset.previews).toEqual([
      {
        kind: "image",
        url: "https://opengameart.org/sites/default/files/battle-theme.png",
        thumbnailUrl: "https://opengameart.org/sites/default/files/styles/medium/public/battle-theme.png",
      },
      {
        kind: "audio",
        url: "https://opengameart.org/sites/default/files/audio_preview/battleThemeA.mp3.ogg",
        oggUrl: "https://opengameart.org/sites/default/files/audio_preview/battleThemeA.mp3.ogg",
        mp3Url: "https://opengameart.org/sites/default/files/battleThemeA_0.mp3",
        thumbnailUrl: "https://opengameart.org/sites/default/files/styles/medium/public/audio_preview/battleThemeA.mp3.png",
      },
    ]);
  });

  it("reads a page fetched from a mirror the same, with the site's own links on opengameart.org", () => {
    const live = parseAssetPage(assetPage(), PAGE);
    const mirrored = parseAssetPage(assetPage(), "http://127.0.0.1:4000/content/battle-theme-a");
    expect(mirrored).toEqual(live);
    expect(mirrored.pageUrl).toBe(PAGE);
    // Links the mirror rewrote onto itself are the site's own too.
    const rewritten = assetPage().replaceAll("https://opengameart.org/", "http://127.0.0.1:4000/");
    expect(parseAssetPage(rewritten, "http://127.0.0.1:4000/content/battle-theme-a").files.map((f) => f.url)).toEqual(live.files.map((f) => f.url));
  });

  it("takes the title from the node, not the sidebar's first h2", () => {
    expect(parseAssetPage(assetPage(), PAGE).title).toBe("Battle Theme A");
  });

  it("falls back to og:title, then <title>, for the title", () => {
    expect(parseAssetPage(assetPage({ title: null, ogTitle: "From OG" }), PAGE).title).toBe("From OG");
    const html = assetPage({ title: null, ogTitle: "" }).replace("<title> | OpenGameArt.org</title>", "<title>Only Title | OpenGameArt.org</title>");
    expect(parseAssetPage(html, PAGE).title).toBe("Only Title");
  });

  it("fails with OGA_PARSE naming the field and page when there is no title at all", () => {
    const html = assetPage({ title: null, ogTitle: "" }).replace(/<title>.*<\/title>/, "");
    const error = parseError(() => parseAssetPage(html, PAGE));
    expect(isOgaError(error, "OGA_PARSE")).toBe(true);
    expect(error.message).toContain('"title"');
    expect(error.message).toContain(PAGE);
  });

  it("fails with OGA_PARSE on an HTML page that is not an asset page", () => {
    const html = `<html><head><title>Site maintenance | OpenGameArt.org</title></head><body><h2>Down for maintenance</h2></body></html>`;
    const error = parseError(() => parseAssetPage(html, PAGE));
    expect(isOgaError(error, "OGA_PARSE")).toBe(true);
    expect(error.message).toMatch(/not an asset page/);
    expect(error.message).toContain(PAGE);
  });

  describe("author and submitter", () => {
    it("shape 1: the submitter is the author", () => {
      const asset = parseAssetPage(assetPage({ author: AUTHOR_IS_SUBMITTER }), PAGE);
      const person = { id: "the-muwee-collective", name: "The Muwee Collective", url: "https://opengameart.org/users/the-muwee-collective" };
      expect(asset.author).toEqual(person);
      expect(asset.submitter).toEqual(person);
    });

    it("shape 2: an author outside the site with a link, and the submitter apart", () => {
      const asset = parseAssetPage(assetPage({ author: AUTHOR_OUTSIDE_LINKED }), PAGE);
      expect(asset.author).toEqual({ id: null, name: "Matthew Pablo", url: "http://www.matthewpablo.com/" });
      expect(asset.submitter).toEqual({ id: "xenodora", name: "Xenodora", url: "https://opengameart.org/users/xenodora" });
    });

    it("shape 3: an author as plain text", () => {
      const asset = parseAssetPage(assetPage({ author: AUTHOR_OUTSIDE_TEXT }), PAGE);
      expect(asset.author).toEqual({ id: null, name: "Juhani Junkala", url: null });
      expect(asset.submitter).toEqual({ id: "subspaceaudio", name: "SubspaceAudio", url: "https://opengameart.org/users/subspaceaudio" });
    });

    it("shape 3 without the username span", () => {
      const asset = parseAssetPage(assetPage({ author: `Some Composer<br/>(Submitted by <strong><a href="/users/up">Up</a></strong>)` }), PAGE);
      expect(asset.author).toEqual({ id: null, name: "Some Composer", url: null });
      expect(asset.submitter.id).toBe("up");
    });

    it("drops links that are not http(s): the name stays, the URL is null", () => {
      const html = assetPage({
        author: `<span class='username'><a href='javascript:alert(document.cookie)' target='_blank'>Evil</a></span><br/>(Submitted by <strong><a href="/users/up">Up</a></strong>)`,
        collaborators: [`<a href="data:text/html,x">Data Person</a>`, collaborator("ok", "Fine")],
      });
      const asset = parseAssetPage(html, PAGE);
      expect(asset.author).toEqual({ id: null, name: "Evil", url: null });
      expect(asset.collaborators).toEqual([
        { id: null, name: "Data Person", url: null },
        { id: "ok", name: "Fine", url: "https://opengameart.org/users/ok" },
      ]);
    });

    it("ignores usernames in the comments", () => {
      const asset = parseAssetPage(assetPage(), PAGE);
      expect(JSON.stringify(asset)).not.toContain("commenter");
      expect(asset.collections).not.toContain("other-thing");
    });
  });

  describe("licenses", () => {
    it("keeps several licenses in page order", () => {
      expect(parseAssetPage(assetPage({ licenses: ["CC-BY-SA 3.0", "GPL 3.0", "OGA-BY 4.0"] }), PAGE).licenses).toEqual(["CC-BY-SA 3.0", "GPL 3.0", "OGA-BY 4.0"]);
    });

    it("keeps an unknown license name verbatim", () => {
      expect(parseAssetPage(assetPage({ licenses: ["CC0", "WTFPL 2"] }), PAGE).licenses).toEqual(["CC0", "WTFPL 2"]);
    });

    it("keeps the deed each license links to, as the page gives it, http(s) only", () => {
      const html = assetPage({ licenses: ["OGA-BY 3.0", "CC0", "GPL 3.0"] }).replace(
        license("GPL 3.0"),
        license("GPL 3.0", "javascript:alert(1)"),
      );
      const asset = parseAssetPage(html, PAGE);
      expect(asset.licenses).toEqual(["OGA-BY 3.0", "CC0", "GPL 3.0"]);
      expect({ ...asset.licenseUrls }).toEqual({
        "OGA-BY 3.0": "https://static.opengameart.org/OGA-BY-3.0.txt",
        CC0: "http://creativecommons.org/publicdomain/zero/1.0/",
      });
      // A license named like an Object.prototype key is data, not a lookup into the prototype.
      expect(Object.getPrototypeOf(asset.licenseUrls)).toBeNull();
    });
  });

  describe("files", () => {
    it("names files by their URL, labels them by the name as uploaded, reads size, mime and downloads", () => {
      const { files } = parseAssetPage(assetPage(), PAGE);
      expect(files).toEqual([
        {
          name: "battleThemeA_0.mp3",
          label: "battleThemeA.mp3",
          url: "https://opengameart.org/sites/default/files/battleThemeA_0.mp3",
          size: 3212434,
          mime: "audio/mpeg",
          downloads: 12345,
        },
        {
          name: "battle theme [loop]!.ogg",
          label: "Loopable version for engines",
          url: "https://opengameart.org/sites/default/files/battle%20theme%20%5Bloop%5D%21.ogg",
          size: 860672,
          mime: "audio/ogg",
          downloads: 987,
        },
      ]);
    });

    it("resolves relative hrefs, keeps subfolders out of the name, decodes non-ASCII names", () => {
      const items = [
        fileItem("even", `<a href="/sites/default/files/musicpacks/Pack%20One.zip" type="application/zip; length=48838765">Pack One.zip</a>`, "46.6 Mb", "[1 download(s)]"),
        fileItem("odd", `<a href="https://opengameart.org/sites/default/files/m%C3%BAsica_%E6%88%A6%E9%97%98.wav" type="audio/x-wav; length=10">música_戦闘.wav</a>`, "10 bytes", "[0 download(s)]"),
        fileItem("even", `<a href="https://opengameart.org/sites/default/files/CREDITS.txt_.zip" type="application/zip">CREDITS.txt.zip</a>`, "1 Kb", ""),
      ].join("");
      const { files } = parseAssetPage(assetPage({ files: filesField(items) }), "http://127.0.0.1:4000/content/battle-theme-a");
      expect(files.map((f) => [f.name, f.label, f.url, f.size, f.downloads])).toEqual([
        ["Pack One.zip", "Pack One.zip", "https://opengameart.org/sites/default/files/musicpacks/Pack%20One.zip", 48838765, 1],
        ["música_戦闘.wav", "música_戦闘.wav", "https://opengameart.org/sites/default/files/m%C3%BAsica_%E6%88%A6%E9%97%98.wav", 10, 0],
        ["CREDITS.txt_.zip", "CREDITS.txt.zip", "https://opengameart.org/sites/default/files/CREDITS.txt_.zip", null, null],
      ]);
    });

    it("uses the title attribute as label only when the link has no text", () => {
      const items = fileItem("even", `<a href="/sites/default/files/a_59.png" type="image/png; length=5" title="a.png"></a>`, "5 bytes", "[2 download(s)]");
      const [file] = parseAssetPage(assetPage({ files: filesField(items) }), PAGE).files;
      expect(file).toMatchObject({ name: "a_59.png", label: "a.png" });
    });

    it("takes the download attribute as the label over a described link text", () => {
      const items = fileItem(
        "even",
        `<a href="https://opengameart.org/sites/default/files/Cliff_tileset_0.png" type="image/png; length=5" data-fid="9" target="_blank" download="Cliff_tileset.png">The cliffs, 32x32</a>`,
        "5 bytes",
        "[2 download(s)]",
      );
      const [file] = parseAssetPage(assetPage({ files: filesField(items) }), PAGE).files;
      expect(file).toEqual({ name: "Cliff_tileset_0.png", label: "Cliff_tileset.png", url: "https://opengameart.org/sites/default/files/Cliff_tileset_0.png", size: 5, mime: "image/png", downloads: 2 });
    });

    it("drops file links that are not http(s)", () => {
      const items = [
        fileItem("even", `<a href="javascript:alert(1)" type="image/png; length=5">a.png</a>`, "5 bytes", ""),
        fileItem("odd", `<a href="https://opengameart.org/sites/default/files/b.png" type="image/png; length=5">b.png</a>`, "5 bytes", ""),
      ].join("");
      expect(parseAssetPage(assetPage({ files: filesField(items) }), PAGE).files.map((f) => f.name)).toEqual(["b.png"]);
    });

    it("reports files the site withholds: its notice (spelt \"unavalable\") with no files field", () => {
      const asset = parseAssetPage(assetPage({ files: FILES_WITHHELD }), PAGE);
      expect(asset.files).toEqual([]);
      expect(asset.filesUnavailable).toBe(true);
      expect(asset.title).toBe("Battle Theme A");
    });

    it("does not take the notice quoted in a description for the site's", () => {
      const html = assetPage({ files: "", description: "<p>File(s) currently unavalable due to potential licensing issues</p>" });
      const error = parseError(() => parseAssetPage(html, PAGE));
      expect(isOgaError(error, "OGA_PARSE")).toBe(true);
      expect(error.message).toContain("field-name-field-art-files");
    });

    it("reports withdrawn files", () => {
      const unavailable = `<div class="field field-name-field-art-files field-type-file field-label-above"><div class="field-label">File(s):&nbsp;</div><div class="field-items"><div class="field-item even"><em>File(s) currently unavailable due to potential licensing issues</em></div></div></div>`;
      const asset = parseAssetPage(assetPage({ files: unavailable }), PAGE);
      expect(asset.files).toEqual([]);
      expect(asset.filesUnavailable).toBe(true);
    });

    it("reports withdrawn files when the notice replaces the whole field", () => {
      const asset = parseAssetPage(assetPage({ files: `<p><i>File(s) currently unavailable due to potential licensing issues</i></p>` }), PAGE);
      expect(asset.filesUnavailable).toBe(true);
    });
  });

  describe("optional fields", () => {
    it("are empty when missing", () => {
      const html = assetPage({ preview: "", collections: "", description: "", headDates: null, collaborators: [] })
        .replace(/<div class="field field-name-favorites[\s\S]*?<\/div><\/div><\/div>/, "")
        .replace(/<div class="field field-name-post-date[\s\S]*?<\/div><\/div><\/div>/, "");
      const asset = parseAssetPage(html, PAGE);
      expect(asset).toMatchObject({ favorites: 0, postedAt: null, updatedAt: null, collaborators: [], previews: [], collections: [], attribution: "", copyrightNotice: "", description: "" });
    });

    it("without head dates, reads the shown date as US Pacific time, daylight saving time included", () => {
      const shown = (postDate: string) => parseAssetPage(assetPage({ headDates: null, postDate }), PAGE);
      expect(shown("Sunday, December 15, 2013 - 12:43").postedAt).toBe("2013-12-15T12:43:00-08:00");
      expect(shown("Friday, June 29, 2012 - 14:51").postedAt).toBe("2012-06-29T14:51:00-07:00");
      // The Sunday DST starts (2:00 → 3:00) and ends (1:00 twice), in the site's zone.
      expect(shown("Sunday, March 10, 2019 - 01:59").postedAt).toBe("2019-03-10T01:59:00-08:00");
      expect(shown("Sunday, March 10, 2019 - 03:00").postedAt).toBe("2019-03-10T03:00:00-07:00");
      expect(shown("Sunday, November 3, 2019 - 00:30").postedAt).toBe("2019-11-03T00:30:00-07:00");
      expect(shown("Sunday, November 3, 2019 - 02:00").postedAt).toBe("2019-11-03T02:00:00-08:00");
      expect(shown("Sunday, December 15, 2013 - 12:43").updatedAt).toBeNull();
    });

    it("prefers the head's dates, in order article:published_time, dcterms.date; a malformed one is skipped", () => {
      const dated = (published: string, dcterms: string) =>
        parseAssetPage(assetPage({ headDates: { published, updated: "nonsense", dcterms }, postDate: "Monday, January 2, 2012 - 09:05" }), PAGE);
      expect(dated("2013-12-15T12:43:07-08:00", "2013-12-15T12:43-08:00").postedAt).toBe("2013-12-15T12:43:07-08:00");
      expect(dated("yesterday", "2013-12-15T12:43-08:00").postedAt).toBe("2013-12-15T12:43:00-08:00");
      expect(dated("2013-02-31T12:43:00-08:00", "2013-12-15T12:43").postedAt).toBe("2012-01-02T09:05:00-08:00");
      expect(dated("yesterday", "").updatedAt).toBeNull();
    });

    it("an unknown art type is null", () => {
      expect(parseAssetPage(assetPage({ artType: "Hologram" }), PAGE).type).toBeNull();
    });
  });

  describe("previews", () => {
    it("gives one preview per lightbox image and one per audio player, each URL once", () => {
      const preview = (items: string[]) =>
        `<div class="field field-name-field-art-preview field-type-file field-label-above"><div class="field-items">${items.map((item, i) => `<div class="field-item ${i % 2 ? "odd" : "even"}">${item}</div>`).join("")}</div></div>`;
      const asset = parseAssetPage(
        assetPage({
          preview: preview([
            imagePreview("a.png"),
            imagePreview("b.png"),
            audioPreview(null, "https://opengameart.org/sites/default/files/c.mp3", "audio_preview/c.mp3.png"),
            imagePreview("a.png"),
            `<img src="javascript:alert(1)">`,
          ]),
        }),
        PAGE,
      );
      expect(asset.previews).toEqual([
        { kind: "image", url: "https://opengameart.org/sites/default/files/a.png", thumbnailUrl: "https://opengameart.org/sites/default/files/styles/medium/public/a.png" },
        { kind: "image", url: "https://opengameart.org/sites/default/files/b.png", thumbnailUrl: "https://opengameart.org/sites/default/files/styles/medium/public/b.png" },
        {
          kind: "audio",
          url: "https://opengameart.org/sites/default/files/c.mp3",
          oggUrl: null,
          mp3Url: "https://opengameart.org/sites/default/files/c.mp3",
          thumbnailUrl: "https://opengameart.org/sites/default/files/styles/medium/public/audio_preview/c.mp3.png",
        },
      ]);
    });
  });

  describe("asset id", () => {
    it("is the slug of a /node/ request's og:url, on the canonical site", () => {
      const asset = parseAssetPage(assetPage({ ogUrl: "https://opengameart.org/content/battle-theme-a" }), "http://127.0.0.1:4000/node/5555");
      expect(asset.id).toBe("battle-theme-a");
      expect(asset.pageUrl).toBe("https://opengameart.org/content/battle-theme-a");
      expect(parseAssetPage(assetPage({ ogUrl: null }), "http://127.0.0.1:4000/node/5555").id).toBe("node/5555");
    });

    it("is the slug that was requested, whatever the page's og:url and canonical link say", () => {
      const asset = parseAssetPage(assetPage({ ogUrl: "https://opengameart.org/content/someone-elses-asset" }), PAGE);
      expect(asset.id).toBe("battle-theme-a");
      expect(asset.pageUrl).toBe(PAGE);
    });

    it("decodes a percent-encoded UTF-8 slug", () => {
      const asset = parseAssetPage(assetPage(), "https://opengameart.org/content/m%c3%basica-%E6%88%A6");
      expect(asset.id).toBe("música-戦");
      expect(asset.pageUrl).toBe("https://opengameart.org/content/m%C3%BAsica-%E6%88%A6");
    });
  });
});
