import { readFileSync } from "node:fs";

// Read at run time so src/ (tests) and dist/ (published) report the same version: both sit one
// level below package.json.
const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

/** This package's version. */
export const VERSION: string = manifest.version;

/** Default `User-Agent`: names the tool so the site's volunteers can tell who is calling. */
export const USER_AGENT = `vite-plugin-oga/${VERSION} (+https://www.npmjs.com/package/vite-plugin-oga)`;
