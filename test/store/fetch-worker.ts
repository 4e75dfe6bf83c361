// Run in a child process by cross-process.test.ts: fetches one file into a shared cache and
// prints the result and the peak RSS as JSON, or `{ error: { code, message } }` and exits 1.
// argv: <origin> <cacheDir> <url> <name>
import { SiteHttp } from "../../src/site/http.js";
import { Cache } from "../../src/store/cache.js";
import { fetchFile } from "../../src/store/fetch-file.js";

const [origin = "", dir = "", url = "", name = ""] = process.argv.slice(2);
const http = new SiteHttp({ origin, userAgent: "oga-store-test", connections: 1, retries: 0 });
try {
  const cache = await Cache.open(dir);
  const result = await fetchFile(http, cache, { url, name });
  // maxRSS is in KiB; the parent uses it to check that memory stays flat for big files.
  process.stdout.write(JSON.stringify({ ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
} catch (error) {
  const { code, message } = error as { code?: string; message?: string };
  process.stdout.write(JSON.stringify({ error: { code, message } }));
  process.exitCode = 1;
} finally {
  await http.close();
}
