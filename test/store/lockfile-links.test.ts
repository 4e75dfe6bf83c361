/**
 * What the lockfile keeps of a page beyond files (collaborators, deeds, upload names), and that
 * only http(s) links come out of it, whatever the file on disk says.
 */
import { describe, expect, it } from "vitest";
import { isOgaError } from "../../src/errors.js";
import { parseAssetPage } from "../../src/site/parse-asset.js";
import { formatLockfile, lockedAssetFromAsset, parseLockfile, type Lockfile } from "../../src/store/lockfile.js";
import { FILES_WITHHELD, assetPage, license } from "../site/fixtures/asset-page.js";

const PAGE = "https://opengameart.org/content/battle-theme-a";

function lockText(asset: Record<string, unknown>): string {
  return JSON.stringify({ version: 1, specifiers: [], assets: { "battle-theme-a": asset } });
}

const BASE = {
  pageUrl: PAGE,
  title: "Battle Theme A",
  author: { name: "cynicmusic", url: "https://opengameart.org/users/cynicmusic" },
  licenses: ["CC0"],
  attribution: "",
  type: "Music",
  main: "a.ogg",
  files: { "a.ogg": { url: "https://opengameart.org/sites/default/files/a.ogg", size: 3 } },
};

describe("lockedAssetFromAsset", () => {
  it("keeps collaborators, each license's deed and the upload name of a renamed file, with canonical URLs from a mirror", () => {
    const asset = parseAssetPage(assetPage({ licenses: ["OGA-BY 3.0", "CC0"] }), "http://127.0.0.1:4000/content/battle-theme-a");
    const locked = lockedAssetFromAsset(asset);
    expect(locked.pageUrl).toBe(PAGE);
    expect(locked.collaborators).toEqual([
      { name: "Xenodora", url: "https://opengameart.org/users/xenodora" },
      { name: "Bart K.", url: "https://opengameart.org/users/bart" },
    ]);
    expect(locked.licenseUrls).toEqual({ "OGA-BY 3.0": "https://static.opengameart.org/OGA-BY-3.0.txt", CC0: "http://creativecommons.org/publicdomain/zero/1.0/" });
    expect(locked.files).toEqual({
      "battleThemeA_0.mp3": { url: "https://opengameart.org/sites/default/files/battleThemeA_0.mp3", size: 3212434, label: "battleThemeA.mp3" },
      // The link text is a description, and no `download` says otherwise: the label is that text.
      "battle theme [loop]!.ogg": { url: "https://opengameart.org/sites/default/files/battle%20theme%20%5Bloop%5D%21.ogg", size: 860672, label: "Loopable version for engines" },
    });
    // Round trip: the text a lock is written as reads back to the same record.
    const lock: Lockfile = { version: 1, assets: { "battle-theme-a": locked }, specifiers: [] };
    expect(parseLockfile(formatLockfile(lock), "oga.lock.json").assets["battle-theme-a"]).toEqual(locked);
  });

  it("leaves out what a page does not have, so older locks and new ones agree", () => {
    const asset = parseAssetPage(assetPage({ collaborators: [], files: FILES_WITHHELD }), PAGE);
    const locked = lockedAssetFromAsset(asset);
    expect(Object.keys(locked).sort()).toEqual(["attribution", "author", "files", "filesUnavailable", "licenseUrls", "licenses", "main", "pageUrl", "title", "type"]);
    const bare = parseAssetPage(assetPage({ collaborators: [], licenses: ["Unknown 1.0"] }).replace(license("Unknown 1.0"), "<div class='license-icon'><div class='license-name'>Unknown 1.0</div></div>"), PAGE);
    expect(lockedAssetFromAsset(bare)).not.toHaveProperty("licenseUrls");
    expect(lockedAssetFromAsset(bare)).not.toHaveProperty("collaborators");
  });
});

describe("parseLockfile links", () => {
  it("turns author and collaborator links that are not http(s) into null, and drops such deeds", () => {
    const lock = parseLockfile(
      lockText({
        ...BASE,
        author: { name: "Evil", url: "javascript:alert(document.cookie)" },
        collaborators: [{ name: "Data", url: "data:text/html,<script>x</script>" }, { name: "Fine", url: "https://opengameart.org/users/fine" }],
        licenseUrls: { CC0: "javascript:alert(1)", "CC-BY 3.0": "http://creativecommons.org/licenses/by/3.0/" },
      }),
      "oga.lock.json",
    );
    const asset = lock.assets["battle-theme-a"]!;
    expect(asset.author).toEqual({ name: "Evil", url: null });
    expect(asset.collaborators).toEqual([{ name: "Data", url: null }, { name: "Fine", url: "https://opengameart.org/users/fine" }]);
    expect({ ...asset.licenseUrls }).toEqual({ "CC-BY 3.0": "http://creativecommons.org/licenses/by/3.0/" });
  });

  it("gives a page URL that is not http(s) back as the asset's canonical page", () => {
    const lock = parseLockfile(lockText({ ...BASE, pageUrl: "javascript:alert(1)" }), "oga.lock.json");
    expect(lock.assets["battle-theme-a"]!.pageUrl).toBe(PAGE);
  });

  it("reads deeds into a null-prototype record, so a license named like a prototype key is only data", () => {
    const lock = parseLockfile(lockText({ ...BASE, licenses: ["constructor"], licenseUrls: { constructor: "https://example.org/deed" } }), "oga.lock.json");
    const deeds = lock.assets["battle-theme-a"]!.licenseUrls!;
    expect(Object.getPrototypeOf(deeds)).toBeNull();
    expect(deeds.constructor).toBe("https://example.org/deed");
    expect(Object.hasOwn(parseLockfile(lockText(BASE), "oga.lock.json").assets["battle-theme-a"]!, "licenseUrls")).toBe(false);
  });

  it("refuses a file URL that is not http(s), naming the asset and the file", () => {
    let error: unknown;
    try {
      parseLockfile(lockText({ ...BASE, files: { "a.ogg": { url: "file:///etc/passwd", size: 3 } } }), "oga.lock.json");
    } catch (caught) {
      error = caught;
    }
    expect(isOgaError(error, "OGA_BAD_INPUT")).toBe(true);
    expect((error as Error).message).toMatch(/oga\.lock\.json.*"a\.ogg".*"battle-theme-a".*not http\(s\)/);
  });

  it("keeps a collaborator list and a label written by this version unchanged", () => {
    const text = lockText({ ...BASE, collaborators: [{ name: "Bart K.", url: null }], files: { "a_0.ogg": { url: "https://opengameart.org/sites/default/files/a_0.ogg", size: 3, label: "a.ogg" } } });
    const asset = parseLockfile(text, "oga.lock.json").assets["battle-theme-a"]!;
    expect(asset.collaborators).toEqual([{ name: "Bart K.", url: null }]);
    expect(asset.files["a_0.ogg"]!.label).toBe("a.ogg");
  });
});
