/**
 * The CLI reads `OGA_OFFLINE` (and `CI`) exactly as the plugin does: `off` and `no` are off in
 * both, so one shell setting never means offline for `oga prefetch` and online for `vite build`.
 */
import { describe, expect, it } from "vitest";
import { readGlobalOptions } from "../../src/cli/options.js";
import { wantsProgressBar } from "../../src/cli/progress.js";
import type { CliIo } from "../../src/cli/io.js";
import { resolveOptions } from "../../src/project/options.js";

describe("environment switches", () => {
  it.each(["0", "false", "no", "off", "OFF", ""])("OGA_OFFLINE=%j is off for the CLI and the plugin", (value) => {
    const env = { OGA_OFFLINE: value };
    expect(readGlobalOptions({}, env).offline).toBe(false);
    expect(resolveOptions({}, "/p", env).offline).toBe(false);
  });

  it.each(["1", "true", "yes", "on"])("OGA_OFFLINE=%j is on for the CLI and the plugin", (value) => {
    const env = { OGA_OFFLINE: value };
    expect(readGlobalOptions({}, env).offline).toBe(true);
    expect(resolveOptions({}, "/p", env).offline).toBe(true);
  });

  it("CI=off still shows the progress bar on a terminal; CI=1 does not", () => {
    const io = (env: NodeJS.ProcessEnv) => ({ env, stderr: { isTTY: true } }) as unknown as CliIo;
    expect(wantsProgressBar(io({ CI: "off" }))).toBe(true);
    expect(wantsProgressBar(io({}))).toBe(true);
    expect(wantsProgressBar(io({ CI: "1" }))).toBe(false);
  });
});
