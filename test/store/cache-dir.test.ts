import { describe, expect, it } from "vitest";
import { defaultCacheDir } from "../../src/store/cache-dir.js";

describe("defaultCacheDir", () => {
  it("prefers OGA_CACHE_DIR, made absolute", () => {
    expect(defaultCacheDir({ OGA_CACHE_DIR: "/srv/oga", XDG_CACHE_HOME: "/x" }, "linux", "/home/u")).toBe("/srv/oga");
    expect(defaultCacheDir({ OGA_CACHE_DIR: "rel" }, "linux", "/home/u")).toBe(`${process.cwd()}/rel`);
  });

  it("uses $XDG_CACHE_HOME/oga when absolute, and ignores a relative one as the spec says", () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/home/u/.c" }, "linux", "/home/u")).toBe("/home/u/.c/oga");
    expect(defaultCacheDir({ XDG_CACHE_HOME: "cache" }, "linux", "/home/u")).toBe("/home/u/.cache/oga");
  });

  it("falls back to the platform's user cache directory", () => {
    expect(defaultCacheDir({}, "linux", "/home/u")).toBe("/home/u/.cache/oga");
    expect(defaultCacheDir({}, "freebsd", "/home/u")).toBe("/home/u/.cache/oga");
    expect(defaultCacheDir({}, "darwin", "/Users/u")).toBe("/Users/u/Library/Caches/oga");
    expect(defaultCacheDir({ LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, "win32", "C:\\Users\\u")).toBe(
      "C:\\Users\\u\\AppData\\Local\\oga\\Cache",
    );
    expect(defaultCacheDir({}, "win32", "C:\\Users\\u")).toBe("C:\\Users\\u\\AppData\\Local\\oga\\Cache");
  });

  it("ignores empty variables", () => {
    expect(defaultCacheDir({ OGA_CACHE_DIR: " ", XDG_CACHE_HOME: "" }, "linux", "/home/u")).toBe("/home/u/.cache/oga");
  });
});
