import { createRequire } from "node:module";
import type MagicString from "magic-string";

let MagicStringClass: typeof MagicString | undefined;

/**
 * A MagicString over `code`, loading magic-string on first use: it is a quarter of the code the
 * plugin would load up front, and only a build that rewrites a file (a default-only import,
 * `new URL("oga:…")`, `url(oga:…)`, the credits placeholder) needs it. `require` because the
 * callers are synchronous; Node ≥ 20.19 requires an ES module (as its namespace).
 */
export function magicString(code: string): MagicString {
  MagicStringClass ??= (createRequire(import.meta.url)("magic-string") as { default: typeof MagicString }).default;
  return new MagicStringClass(code);
}
