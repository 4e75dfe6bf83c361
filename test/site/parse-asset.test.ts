import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { parseAssetPage } from "../../src/site/parse-asset.js";
import {
  AUTHOR_IS_SUBMITTER,
  AUTHOR_OUTSIDE_LINKED,
  AUTHOR_OUTSIDE_TEXT,
  assetPage,
  fileItem,
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
      favorites: 1204,
      postedAt: "2012-06-29T14:51:00-04:00",
      attribution: "Credit: Matthew Pablo\nlink back to my site",
      copyrightNotice: "© 2012 Someone",
      description: "An epic battle theme.\n\nLoops nicely.\nEnjoy & credit!",
      collections: ["rpg-music-pack", "boss-battle-music"],
      filesUnavailable: false,
    });
    expect(asset.previews).toEqual([
      "https://opengameart.org/sites/default/files/styles/medium/public/battle-theme.png",
      "https://opengameart.org/sites/default/files/audio_preview/battleThemeA.mp3.ogg",
    ]);
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
  });

  describe("files", () => {
    it("names files by their URL, keeps the link text as label, reads size, mime and downloads", () => {
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
        ["Pack One.zip", "Pack One.zip", "http://127.0.0.1:4000/sites/default/files/musicpacks/Pack%20One.zip", 48838765, 1],
        ["música_戦闘.wav", "música_戦闘.wav", "https://opengameart.org/sites/default/files/m%C3%BAsica_%E6%88%A6%E9%97%98.wav", 10, 0],
        ["CREDITS.txt_.zip", "CREDITS.txt.zip", "https://opengameart.org/sites/default/files/CREDITS.txt_.zip", null, null],
      ]);
    });

    it("uses the title attribute as label only when the link has no text", () => {
      const items = fileItem("even", `<a href="/sites/default/files/a_59.png" type="image/png; length=5" title="a.png"></a>`, "5 bytes", "[2 download(s)]");
      const [file] = parseAssetPage(assetPage({ files: filesField(items) }), PAGE).files;
      expect(file).toMatchObject({ name: "a_59.png", label: "a.png" });
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
      const html = assetPage({ preview: "", collections: "", description: "" })
        .replace(/<div class="field field-name-favorites[\s\S]*?<\/div><\/div><\/div>/, "")
        .replace(/<div class="field field-name-post-date[\s\S]*?<\/div><\/div><\/div>/, "");
      const asset = parseAssetPage(html, PAGE);
      expect(asset).toMatchObject({ favorites: 0, postedAt: null, previews: [], collections: [], attribution: "", copyrightNotice: "", description: "" });
    });

    it("dates in winter get the standard offset", () => {
      expect(parseAssetPage(assetPage({ postDate: "Monday, January 2, 2012 - 09:05" }), PAGE).postedAt).toBe("2012-01-02T09:05:00-05:00");
    });

    it("an unknown art type is null", () => {
      expect(parseAssetPage(assetPage({ artType: "Hologram" }), PAGE).type).toBeNull();
    });
  });

  describe("asset id", () => {
    it("comes from og:url when present (a /node/ request)", () => {
      const asset = parseAssetPage(assetPage({ ogUrl: "https://opengameart.org/content/battle-theme-a" }), "http://127.0.0.1:4000/node/5555");
      expect(asset.id).toBe("battle-theme-a");
      expect(asset.pageUrl).toBe("http://127.0.0.1:4000/content/battle-theme-a");
    });

    it("decodes a percent-encoded UTF-8 slug", () => {
      const asset = parseAssetPage(assetPage(), "https://opengameart.org/content/m%c3%basica-%E6%88%A6");
      expect(asset.id).toBe("música-戦");
      expect(asset.pageUrl).toBe("https://opengameart.org/content/m%C3%BAsica-%E6%88%A6");
    });
  });
});
