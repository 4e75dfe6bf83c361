/**
 * The reference downloader: curl (`--parallel --parallel-max N`) when installed, else undici
 * alone in a child process. Both write each body straight to its file, nothing else.
 */
import { execFileSync } from "node:child_process";
import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { UndiciFetchInput } from "../cases/undici-fetch.js";
import { runCase, runCommand } from "./child.js";

export interface Download {
  url: string;
  out: string;
}

export interface Reference {
  name: string;
  fetch(files: Download[], parallel: number, scratch: string): Promise<{ ms: number; bytes: number }>;
}

export function findCurl(): string | null {
  try {
    return execFileSync("which", ["curl"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

export function curlVersion(curl: string): string {
  return execFileSync(curl, ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
}

function curlReference(curl: string): Reference {
  return {
    name: `curl --parallel`,
    async fetch(files, parallel, scratch) {
      // A config file: 200 URLs would not fit comfortably on a command line.
      const config = path.join(scratch, "curl.conf");
      await writeFile(config, files.map((f) => `url = ${JSON.stringify(f.url)}\noutput = ${JSON.stringify(f.out)}\n`).join(""));
      const { ms } = await runCommand(curl, ["--silent", "--show-error", "--fail", "--parallel", "--parallel-max", String(parallel), "--config", config]);
      let bytes = 0;
      for (const f of files) bytes += (await stat(f.out)).size;
      return { ms, bytes };
    },
  };
}

const undiciReference: Reference = {
  name: "undici alone",
  async fetch(files, parallel) {
    const input: UndiciFetchInput = { parallel, files };
    const { ms, bytes } = await runCase<{ bytes: number }>("undici-fetch", input);
    return { ms, bytes };
  },
};

export function pickReference(preferred: "curl" | "undici" | "auto"): Reference {
  const curl = preferred === "undici" ? null : findCurl();
  if (curl) return curlReference(curl);
  if (preferred === "curl") throw new Error("--reference curl: curl is not installed");
  return undiciReference;
}
