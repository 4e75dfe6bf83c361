/**
 * The Vite 8 dev server on the hostile site: modules of files named with `#`, `%`, `?`, `&`, a line
 * break or `__proto__`, and of assets whose ids are Object members, serve their files from the
 * cache; the stylesheet's `url(oga:…)` of such names point at files the server answers.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Replica } from "../replica/index.js";
import { testOptions } from "../plugin/helpers.js";
import { useDevServer, useProject } from "../plugin/hooks.js";
import { NAMES, hostileBytes, startHostileSite } from "./site.js";

let site: Replica;
beforeAll(async () => {
  site = await startHostileSite();
});
afterAll(() => site.close());

const project = useProject("hostile");
const dev = useDevServer();

/** The bytes behind a module's default export: the module's `/@fs/` URL fetched as the browser would. */
async function fileBehind(moduleUrl: string): Promise<{ status: number; bytes: Buffer }> {
  const code = await (await fetch(dev.base + moduleUrl)).text();
  const blob = /["'](\/@fs\/[^"']+)["']/.exec(code)?.[1];
  if (!blob) throw new Error(`no /@fs/ URL in ${moduleUrl}:\n${code}`);
  // Vite answers the `?import&url` request with a module exporting the URL of the file itself.
  const asset = await (await fetch(dev.base + blob)).text();
  const url = /export default "([^"]+)"/.exec(asset)?.[1];
  if (!url) throw new Error(`no URL in ${blob}:\n${asset}`);
  const res = await fetch(dev.base + url);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("dev server (Vite 8) on the hostile site", () => {
  it("serves files whose names are URL syntax, line breaks or prototype keys", async () => {
    const cases = {
      "oga:hostile-names/sound #1.wav": NAMES.hash,
      "oga:hostile-names/100%.wav": NAMES.percent,
      "oga:hostile-names/a&b.wav": NAMES.ampersand,
      "oga:hostile-names/what?.wav": NAMES.question,
      "oga:hostile-names/__proto__": NAMES.proto,
      "oga:hostile-names/line\nbreak.wav": NAMES.newline,
      "oga:__proto__": "__proto__.png",
      "oga:constructor": "constructor.png",
    };
    const imports = Object.keys(cases).map((specifier, i) => `import f${i} from ${JSON.stringify(specifier)};`);
    await writeFile(path.join(project.root, "src/main.js"), `${imports.join("\n")}\nglobalThis.__oga = [${imports.map((_, i) => `f${i}`).join(", ")}];\n`);
    await dev.start(project.root, testOptions(project, site.url));

    const main = await (await fetch(`${dev.base}/src/main.js`)).text();
    const moduleUrls = [...main.matchAll(/import f\d+ from\s*["']([^"']+)["']/g)].map((m) => m[1]!);
    expect(moduleUrls).toHaveLength(imports.length);
    for (const [i, name] of Object.values(cases).entries()) {
      const file = await fileBehind(moduleUrls[i]!);
      expect(file.status, name).toBe(200);
      expect(file.bytes, name).toEqual(hostileBytes(name));
    }
  });

  it("serves the stylesheet's url(oga:…) of names with # and %", async () => {
    const main = path.join(project.root, "src/main.js");
    await writeFile(main, `import "./style.css";\n` + (await readFile(main, "utf8")));
    await dev.start(project.root, testOptions(project, site.url));
    const css = await (await fetch(`${dev.base}/src/style.css?direct`)).text();
    const urls = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(2);
    const bodies = await Promise.all(
      urls.map(async (url) => {
        const res = await fetch(new URL(url, `${dev.base}/src/style.css`));
        expect(res.status, url).toBe(200);
        return Buffer.from(await res.arrayBuffer());
      }),
    );
    expect(bodies).toEqual(expect.arrayContaining([hostileBytes(NAMES.cssHash), hostileBytes(NAMES.cssPercent)]));
  });
});
