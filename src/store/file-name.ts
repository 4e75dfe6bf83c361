import path from "node:path";
import { OgaError } from "../errors.js";

/** Longest name we store, in UTF-8 bytes: common file systems cap a path segment at 255. */
const MAX_NAME_BYTES = 200;

/**
 * Turns a file name from the site into a single, portable path segment for a blob.
 *
 * Names come from decoded URL segments, so a hostile page could offer `..%2F..%2Fetc%2Fpasswd`.
 * Separators (`/`, `\`), NUL and other control characters and the characters Windows forbids
 * (`<>:"|?*`) become `_` on every platform, so the cache layout does not depend on the OS and
 * no name can leave its blob directory. The extension is kept (bundlers derive MIME types and
 * emitted names from it) and long names are shortened in the stem. Names that are empty or only
 * `.`/`..` after that are refused with OGA_BAD_INPUT: there is nothing sensible to keep.
 */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = name.replace(/[/\\<>:"|?*\u0000-\u001f\u007f]/g, "_").trim();
  // Windows silently drops trailing dots and spaces, which would make two names collide; a name
  // of nothing but dots (`.`, `..`) would name the directory itself or its parent.
  if (/^[. ]*$/.test(safe)) {
    throw new OgaError("OGA_BAD_INPUT", `Refusing to store a file named ${JSON.stringify(name)}: not a usable file name.`);
  }
  return shorten(safe.replace(/[. ]+$/, ""));
}

/**
 * The basename of a blob in the cache: {@link safeFileName}, with `#` and `%` as `_` too, and
 * `.bin` after a name without an extension. Bundlers read blob paths as URLs: Vite takes `#` for
 * a fragment (the `?url` import of `sound #1.wav` is unresolved, and CSS `url()` leaks the cache
 * path into the output unemitted) and decodes `%` (`100%.wav` 404s in dev, Vite 7's CSS throws
 * "URI malformed"); Vite writes both as `_` in emitted names anyway. Its dev server takes a URL
 * without an extension for a JavaScript module and fails to transform a file named `__proto__`
 * or `README`.
 */
export function blobFileName(name: string): string {
  const safe = safeFileName(name).replace(/[#%]/g, "_");
  return path.extname(safe) === "" ? `${safe}.bin` : safe;
}

/**
 * Where the cache under `cacheDir` keeps the blob of `name` with hash `sha256`:
 * `<cacheDir>/files/<sha256>/<blobFileName(name)>` (the caller checks the hash's shape).
 */
export function blobPathIn(cacheDir: string, sha256: string, name: string): string {
  return path.join(cacheDir, "files", sha256, blobFileName(name));
}

function shorten(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
  // Keep whole code points so a multi-byte character is never cut in half.
  let budget = MAX_NAME_BYTES - Buffer.byteLength(ext);
  let stem = "";
  for (const char of name.slice(0, name.length - ext.length)) {
    budget -= Buffer.byteLength(char);
    if (budget < 0) break;
    stem += char;
  }
  return stem + ext;
}
