// Run in a child process by url-index.test.ts: appends index entries to a cache as fast as it
// can, for URLs shared with the other writer and for URLs of its own, then prints "done".
// argv: <cache dir> <writer label> <entries>
import { createHash } from "node:crypto";
import { Cache } from "../../src/store/cache.js";

const [cacheDir = "", label = "", count = "0"] = process.argv.slice(2);
const cache = await Cache.open(cacheDir);
for (let i = 0; i < Number(count); i++) {
  const url = i % 2 === 0 ? `https://opengameart.org/shared/${i % 20}.png` : `https://opengameart.org/${label}/${i}.png`;
  const sha256 = createHash("sha256").update(`${label} ${i}`).digest("hex");
  await cache.writeEntry({ url, name: `${i}.png`, etag: `"${label}-${i}"`, lastModified: null, sha256, size: i });
}
process.stdout.write("done\n");
