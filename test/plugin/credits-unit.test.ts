import { describe, expect, it } from "vitest";
import { creditFor, creditsFileNames, formatCredits, formatForFileName, shareAlikeSummary, type Credit } from "../../src/project/credits.js";
import { CreditsPlaceholder, devCreditsModuleCode } from "../../src/plugin/credits-module.js";
import { createLicensePolicy, licenseFacts } from "../../src/project/license-policy.js";
import { isOgaError } from "../../src/errors.js";

const asset = (licenses: string[], extra: Partial<{ title: string; attribution: string; author: { name: string; url: string | null } }> = {}) => ({
  title: extra.title ?? "Battle Theme A",
  pageUrl: "https://opengameart.org/content/battle-theme-a",
  author: extra.author ?? { name: "cynicmusic", url: "https://opengameart.org/users/cynicmusic" },
  licenses,
  attribution: extra.attribution ?? "",
});

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isOgaError(error, "OGA_LICENSE") || isOgaError(error, "OGA_BAD_INPUT")).toBe(true);
    return (error as Error).message;
  }
  throw new Error("did not throw");
}

describe("license policy", () => {
  it("a single license is used as is", () => {
    expect(createLicensePolicy(undefined).choose("a", ["CC-BY 4.0"])).toEqual({ name: "CC-BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/", attribution: true, shareAlike: false, spdx: "CC-BY-4.0" });
  });

  it("without an allow-list the most permissive license wins, ties in page order", () => {
    const policy = createLicensePolicy(undefined);
    expect(policy.choose("a", ["GPL 3.0", "CC-BY-SA 3.0", "OGA-BY 3.0", "CC-BY 3.0"]).name).toBe("OGA-BY 3.0");
    expect(policy.choose("a", ["CC-BY 3.0", "CC0"]).name).toBe("CC0");
    expect(policy.choose("a", ["CC-BY-SA 3.0", "GPL 3.0"]).name).toBe("CC-BY-SA 3.0");
  });

  it("the allow-list order decides among several offered licenses; slugs and case are accepted", () => {
    const policy = createLicensePolicy(["gpl-30", "cc-by-sa 3.0"]);
    expect(policy.allowed).toEqual(["GPL 3.0", "CC-BY-SA 3.0"]);
    expect(policy.choose("dungeon-tileset", ["CC-BY-SA 3.0", "GPL 3.0"]).name).toBe("GPL 3.0");
    expect(createLicensePolicy(["CC-BY-SA 3.0", "GPL 3.0"]).choose("dungeon-tileset", ["GPL 3.0", "CC-BY-SA 3.0"]).name).toBe("CC-BY-SA 3.0");
  });

  it("refuses an asset with no allowed license, naming it, its licenses and the allowed ones", () => {
    const message = refusal(() => createLicensePolicy(["CC0", "OGA-BY 4.0"]).choose("dungeon-tileset", ["CC-BY-SA 3.0", "GPL 3.0"]));
    expect(message).toBe('asset "dungeon-tileset" is offered under CC-BY-SA 3.0, GPL 3.0; none of them is in the allowed licenses (CC0, OGA-BY 4.0). Use another asset, or add one of its licenses to the plugin\'s `licenses` option.');
    expect(refusal(() => createLicensePolicy(undefined).choose("x", []))).toContain("no license at all");
  });

  it("an unknown name in the allow-list is a configuration error, not a silent refusal", () => {
    expect(refusal(() => createLicensePolicy(["CC-BY4"]))).toContain('licenses: "CC-BY4" is not a license this package knows');
  });

  it("a license new to us has no deed and counts as asking for attribution", () => {
    expect(licenseFacts("WTFPL")).toEqual({ name: "WTFPL", url: null, attribution: true, shareAlike: false, spdx: "LicenseRef-WTFPL" });
  });
});

describe("credit formats", () => {
  const credits: Credit[] = [
    creditFor("battle-theme-a", asset(["CC0", "CC-BY 3.0"], { attribution: "Credit: cynicmusic\nlink back" }), licenseFacts("CC0")),
    creditFor("odd", asset(["WTFPL"], { title: "[Click](javascript:x) *bold*", author: { name: "A_B", url: null } }), licenseFacts("WTFPL")),
  ];

  it("the text line names title, author, license with its deed, and source", () => {
    expect(credits[0]!.text).toBe('"Battle Theme A" by cynicmusic, licensed CC0 (https://creativecommons.org/publicdomain/zero/1.0/), from https://opengameart.org/content/battle-theme-a');
    expect(credits[1]!.text).toBe('"[Click](javascript:x) *bold*" by A_B, licensed WTFPL, from https://opengameart.org/content/battle-theme-a');
  });

  it("names every collaborator with the author, in the line, in Markdown and in JSON", () => {
    const collaborators = [
      { name: "Eliza Wyatt", url: "https://opengameart.org/users/elizawy" },
      { name: "Ke_nney", url: null },
    ];
    const one = creditFor("a", { ...asset(["CC-BY 4.0"]), collaborators: collaborators.slice(0, 1) }, licenseFacts("CC-BY 4.0"));
    expect(one.text).toMatch(/^"Battle Theme A" by cynicmusic and Eliza Wyatt, licensed /);
    const two = creditFor("a", { ...asset(["CC-BY 4.0"]), collaborators }, licenseFacts("CC-BY 4.0"));
    expect(two.collaborators).toEqual(collaborators);
    expect(two.text).toMatch(/^"Battle Theme A" by cynicmusic, Eliza Wyatt and Ke_nney, licensed /);
    expect(formatCredits([two], "md")).toContain(
      "- Author: [cynicmusic](<https://opengameart.org/users/cynicmusic>)\n- Collaborators: [Eliza Wyatt](<https://opengameart.org/users/elizawy>), Ke\\_nney\n",
    );
    expect(formatCredits([two], "text")).toBe(`${two.text}\n`);
    expect(credits[0]!.collaborators).toEqual([]);
    expect(formatCredits(credits, "md")).not.toContain("Collaborators");
  });

  it("credits the deed the page links for the chosen license; a lock without deeds falls back to the known one", () => {
    const oga = creditFor("f", { ...asset(["OGA-BY 3.0", "GPL 3.0"]), licenseUrls: { "OGA-BY 3.0": "https://static.opengameart.org/OGA-BY-3.0.txt", "GPL 3.0": "http://www.gnu.org/licenses/gpl-3.0.html" } }, licenseFacts("oga-by-30"));
    expect(oga.licenseUrl).toBe("https://static.opengameart.org/OGA-BY-3.0.txt");
    expect(oga.text).toContain("licensed OGA-BY 3.0 (https://static.opengameart.org/OGA-BY-3.0.txt)");
    const cc = creditFor("c", { ...asset(["CC-BY 3.0"]), licenseUrls: { "CC-BY 3.0": "http://creativecommons.org/licenses/by/3.0/" } }, licenseFacts("CC-BY 3.0"));
    expect(cc.licenseUrl).toBe("http://creativecommons.org/licenses/by/3.0/");
    expect(creditFor("old", asset(["OGA-BY 3.0"]), licenseFacts("OGA-BY 3.0")).licenseUrl).toBe("https://static.opengameart.org/OGA-BY-3.0.txt");
    expect(creditFor("old", asset(["CC-BY 3.0"]), licenseFacts("CC-BY 3.0")).licenseUrl).toBe("https://creativecommons.org/licenses/by/3.0/");
    // A deed for another license, or a prototype key, is never taken for the chosen one's.
    const stray = creditFor("s", { ...asset(["constructor"]), licenseUrls: { "CC0": "https://example.org/" } }, licenseFacts("constructor"));
    expect(stray.licenseUrl).toBeNull();
  });

  it("Markdown escapes the uploader's text and quotes multi-line attribution", () => {
    const md = formatCredits(credits, "md");
    expect(md).toContain("## \\[Click\\](javascript:x) \\*bold\\*\n");
    expect(md).toContain("- Author: A\\_B\n- License: WTFPL\n");
    expect(md).toContain("> Credit: cynicmusic\n> link back\n");
    expect(formatCredits([], "md")).toBe("# Credits\n\nNo OpenGameArt assets are used.\n");
  });

  it("JSON is the list itself; text is one line per asset with its attribution", () => {
    expect(JSON.parse(formatCredits(credits, "json"))).toEqual(credits);
    expect(formatCredits(credits, "text").split("\n")[0]).toBe(`${credits[0]!.text} (Credit: cynicmusic link back)`);
  });

  it("a file name picks its format the way Vite's build.license does", () => {
    expect([formatForFileName("CREDITS.md"), formatForFileName("x/Credits.JSON"), formatForFileName("credits.txt"), formatForFileName("CREDITS.CSV"), formatForFileName("LICENSES")]).toEqual(["md", "json", "text", "csv", "md"]);
  });

  it("the share-alike line lists only assets whose chosen license is share-alike", () => {
    const sa = creditFor("dungeon-tileset", asset(["CC-BY-SA 3.0", "GPL 3.0"]), licenseFacts("GPL 3.0"));
    expect(shareAlikeSummary(credits)).toBeNull();
    expect(shareAlikeSummary([...credits, sa])).toBe("1 asset ships under a share-alike license: dungeon-tileset (GPL 3.0). Derivatives must be shared under the same license; see the credits.");
  });
});

describe("credits option", () => {
  it("true or unset: both default files; false: none; fileName: the named ones", () => {
    expect(creditsFileNames(undefined)).toEqual(["CREDITS.md", "credits.json"]);
    expect(creditsFileNames(true)).toEqual(["CREDITS.md", "credits.json"]);
    expect(creditsFileNames(false)).toEqual([]);
    expect(creditsFileNames({ fileName: ".vite/credits.md" })).toEqual([".vite/credits.md"]);
    expect(creditsFileNames({ fileName: ["a.md", "b.json"] })).toEqual(["a.md", "b.json"]);
  });

  it.each(["", "/abs/CREDITS.md", "../CREDITS.md", "C:/x.md"])("refuses the file name %j", (name) => {
    expect(refusal(() => creditsFileNames({ fileName: name }))).toContain("must be a relative path inside the output directory");
  });
});

describe("placeholder", () => {
  const credits = [creditFor("battle-theme-a", asset(["CC0"]), licenseFacts("CC0"))];

  it("the unfilled placeholder throws when evaluated, so a missed fill is loud", () => {
    const p = new CreditsPlaceholder();
    const body = p.moduleCode().replace(/export const /, "const ").replace(/export default credits;/, "return credits;");
    expect(() => new Function(body)()).toThrow(SyntaxError);
  });

  it("fills JSON.parse in any quote style, and a bare literal some tool left behind", () => {
    const p = new CreditsPlaceholder();
    for (const code of [`const c = JSON.parse("${p.token}");`, `const c = JSON.parse('${p.token}');`, "const c = JSON.parse(`" + p.token + "`);", `const c = wrap(\`${p.token}\`);`]) {
      const filled = p.fill(code, credits)!;
      const value = new Function("wrap", filled.code + "\nreturn c;")((s: string) => JSON.parse(s));
      expect(value).toEqual(credits);
      expect(filled.map.mappings).not.toBe("");
    }
    expect(p.fill("const c = 1;", credits)).toBeNull();
    expect(new CreditsPlaceholder().token).not.toBe(p.token);
  });
});

describe("dev module", () => {
  interface FakeHot {
    data: Record<string, unknown>;
    accepted: number;
    listeners: Map<string, (data: unknown) => void>;
  }
  const fakeHot = (): FakeHot => ({ data: {}, accepted: 0, listeners: new Map() });

  /** Evaluates the module as an ES module, with `hot` standing in for Vite's `import.meta.hot`. */
  async function evaluate(code: string, hot: FakeHot | undefined): Promise<Credit[]> {
    const api = hot && { data: hot.data, accept: () => void hot.accepted++, on: (event: string, cb: (data: unknown) => void) => hot.listeners.set(event, cb) };
    (globalThis as { __ogaTestHot?: unknown }).__ogaTestHot = api;
    const source = code.replaceAll("import.meta.hot", "globalThis.__ogaTestHot");
    const module = (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as { default: Credit[]; credits: Credit[] };
    expect(module.credits).toBe(module.default);
    return module.default;
  }
  const a = creditFor("a", asset(["CC0"]), licenseFacts("CC0"));
  const b = creditFor("b", asset(["CC0"]), licenseFacts("CC0"));

  it("keeps the first array and refills it, so importers holding it see every update", async () => {
    const hot = fakeHot();
    const first = await evaluate(devCreditsModuleCode([], undefined), hot);
    expect(first).toEqual([]);
    const second = await evaluate(devCreditsModuleCode([b, a], undefined), hot);
    expect(second).toBe(first);
    expect(first).toEqual([a, b]);
    expect(hot.accepted).toBe(2);
  });

  it("takes additions from the oga:credits hot event, merged by id, in place", async () => {
    const hot = fakeHot();
    const list = await evaluate(devCreditsModuleCode([b], undefined), hot);
    hot.listeners.get("oga:credits")!([a]);
    expect(list).toEqual([a, b]);
  });

  it("without HMR (an SSR module runner without hot) it is a plain list", async () => {
    expect(await evaluate(devCreditsModuleCode([a], undefined), undefined)).toEqual([a]);
  });
});
