// The asset page's HTML, CSS and script are served as written (no build step for the page):
// `tsc` compiles only TypeScript, so they are copied next to the compiled server code.
import { cpSync, rmSync } from "node:fs";

const from = new URL("../src/asset-page/static/", import.meta.url);
const to = new URL("../dist/asset-page/static/", import.meta.url);
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true, filter: (source) => !source.endsWith("tsconfig.json") });
