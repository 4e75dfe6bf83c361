import { describe, expect, it } from "vitest";
import { ogaPlugin } from "../../src/plugin/index.js";
import type { OgaPluginOptions } from "../../src/project/options.js";

describe("plugin options are checked when the plugin is created", () => {
  it.each<[string, OgaPluginOptions]>([
    ["concurrency", { concurrency: 0 }],
    ["concurrency", { concurrency: 2.5 }],
    ["maxFileSize", { maxFileSize: -1 }],
    ["archives.maxEntrySize", { archives: { maxEntrySize: 0 } }],
    ["archives.maxTotalSize", { archives: { maxTotalSize: 1.5 } }],
    ["archives.maxRatio", { archives: { maxRatio: 0 } }],
    ["timeoutSeconds", { timeoutSeconds: Number.NaN }],
    ["retries", { retries: -1 }],
  ])("a bad %s fails with its name instead of falling back to a default", (name, options) => {
    expect(() => ogaPlugin(options)).toThrowError(expect.objectContaining({ code: "OGA_BAD_INPUT", message: expect.stringContaining(`option ${name}:`) }));
  });

  it.each(["cdn.example.org/files", "*.example.org", "ftp://cdn.example.org", "user@cdn.example.org", "https://cdn.example.org/x"])(
    "a malformed allowHosts entry (%s) fails naming it and the forms allowed",
    (entry) => {
      expect(() => ogaPlugin({ allowHosts: [entry] })).toThrowError(
        expect.objectContaining({ code: "OGA_BAD_INPUT", message: expect.stringContaining(`allowHosts: ${JSON.stringify(entry)}`) }),
      );
    },
  );

  it("good values pass", () => {
    expect(() =>
      ogaPlugin({
        concurrency: 2,
        maxFileSize: 1e6,
        archives: { maxEntrySize: 1024, maxTotalSize: 1 << 30, maxRatio: 12.5 },
        timeoutSeconds: 0.5,
        retries: 0,
        allowHosts: ["cdn.example.org", "cdn.example.org:8443", "http://127.0.0.1:8125", "[::1]:8443"],
      }),
    ).not.toThrow();
  });
});
