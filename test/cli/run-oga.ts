/**
 * Runs the built `oga` (dist/cli/bin.js) as a child process, the way users run it. The global
 * setup (test/build-dist.ts) rebuilds dist/ first whenever a source is newer. The child must be spawned asynchronously: the replica serves from this
 * test process's event loop, so a spawnSync would deadlock it.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Replica } from "../replica/index.js";
import { useReplica } from "../plugin/hooks.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = path.join(ROOT, "dist/cli/bin.js");

if (!existsSync(BIN)) {
  throw new Error(`${BIN} is missing: the global setup (test/build-dist.ts) should have built it`);
}

export interface OgaRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to the first stdout bytes (null when none), and to exit. */
  firstStdoutMs: number | null;
  totalMs: number;
}

export interface RunOptions {
  /** Extra environment; OGA_* and CI from the outer environment are never inherited. */
  env?: Record<string, string>;
  /** Called once the child is running, e.g. to send it a signal. */
  onSpawn?: (child: import("node:child_process").ChildProcess) => void;
  timeoutMs?: number;
}

/** A clean environment: nothing from the developer's own OGA_* settings leaks into a test. */
export function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("OGA_") && key !== "CI") env[key] = value;
  }
  return { ...env, ...extra };
}

export function runOga(args: string[], options: RunOptions = {}): Promise<OgaRun> {
  return runCommand(process.execPath, [BIN, ...args], options);
}

/**
 * Runs a shell pipeline (`oga search … | head -1`). The script calls oga as `"$NODE" "$BIN" …`,
 * which also works after `xargs`.
 */
export function runShell(script: string, options: RunOptions = {}): Promise<OgaRun> {
  return runCommand("/bin/sh", ["-c", script], { ...options, env: { NODE: process.execPath, BIN, ...options.env } });
}

function runCommand(command: string, args: string[], options: RunOptions): Promise<OgaRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: baseEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
    const started = Date.now();
    let firstStdoutMs: number | null = null;
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      firstStdoutMs ??= Date.now() - started;
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish in time; stderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, firstStdoutMs, totalMs: Date.now() - started });
    });
    options.onSpawn?.(child);
  });
}

/** A fresh cache (or output) directory, removed by the returned cleanup. */
export async function tempDir(prefix = "oga-cli-"): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Lines of output without the trailing empty one. */
export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/** ESC, the start of every ANSI escape sequence (colours, cursor moves). */
export const ANSI = /\u001b/;

/**
 * One replica and one temporary cache for this file's `oga` runs, and `env()` pointing oga at
 * both. Each test starts with an empty request log and no faults.
 */
export function useReplicaAndCache(): { replica: Replica; cache: { readonly dir: string }; env(): Record<string, string> } {
  const replica = useReplica();
  let current: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    current = await tempDir();
  });
  afterAll(async () => {
    await current?.remove();
  });
  beforeEach(() => {
    replica.requests.reset();
    replica.faults.clear();
  });
  const cache = {
    get dir() {
      if (!current) throw new Error("the cache is used before its hook made it");
      return current.dir;
    },
  };
  return { replica, cache, env: () => ({ OGA_URL: replica.url, OGA_CACHE_DIR: cache.dir }) };
}
