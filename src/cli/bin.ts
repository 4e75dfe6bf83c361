#!/usr/bin/env node
/** The `oga` executable: wires `runCli` to the process. Everything else lives in ./index.ts. */
import { EXIT_INTERRUPTED, runCli } from "./index.js";

const interrupt = new AbortController();
process.once("SIGINT", () => {
  // First Ctrl-C: abort requests and let temp files be cleaned up; a second one quits at once.
  interrupt.abort(new Error("interrupted"));
  process.once("SIGINT", () => process.exit(EXIT_INTERRUPTED));
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  interrupt: interrupt.signal,
});
