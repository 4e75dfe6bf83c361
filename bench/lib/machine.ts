/** The machine and versions a result belongs to. */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "./paths.js";

export interface Machine {
  date: string;
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
  versions: Record<string, string>;
  /** 1-minute load average when the bench started; other processes on the machine add noise. */
  loadAtStart: number;
}

function versionOf(pkg: string): string {
  try {
    const json = JSON.parse(readFileSync(path.join(REPO_ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version?: string };
    return json.version ?? "?";
  } catch {
    return "not installed";
  }
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    versions: Object.fromEntries(["vite", "rolldown", "undici", "htmlparser2"].map((p) => [p, versionOf(p)])),
    loadAtStart: os.loadavg()[0] ?? 0,
  };
}
