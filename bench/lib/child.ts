/** Runs a compiled case (bench/.out) in its own Node process, and external commands, timed. */
import { spawn } from "node:child_process";
import path from "node:path";
import type { ChildReply } from "../cases/protocol.js";
import { REPO_ROOT } from "./paths.js";

const CASES = path.join(REPO_ROOT, "bench/.out/bench/cases");

let cpuProfileDir: string | undefined;
export function profileCasesInto(dir: string | undefined): void {
  cpuProfileDir = dir === undefined ? undefined : path.resolve(dir);
}

interface Exit {
  stdout: string;
  stderr: string;
  ms: number;
}

/** Spawns a command and resolves when it exits 0 (wall time from spawn to exit included). */
export function runCommand(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ stdout, stderr, ms });
      else reject(new Error(`${path.basename(command)} ${args[0] ?? ""} exited with ${code ?? signal}:\n${stderr.slice(-2000)}`));
    });
  });
}

/**
 * Runs `bench/.out/bench/cases/<name>.js` with one JSON argument and returns its JSON answer.
 * With `openFiles`, the child may open at most that many files (`ulimit -n`, soft and hard).
 */
export async function runCase<T extends object>(name: string, input: object, options: { openFiles?: number } = {}): Promise<ChildReply & T> {
  // OGA_* variables would redirect the plugin (cache dir, frozen lockfile, offline) away from the
  // bench's own setup; CI would freeze the lockfile.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OGA_") && k !== "CI"));
  // `--cpu-prof <dir>` on the bench: every case writes a V8 CPU profile there (open it in Chrome DevTools).
  const profile = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
  const args = [...profile, path.join(CASES, `${name}.js`), JSON.stringify(input)];
  const { stdout } =
    options.openFiles === undefined
      ? await runCommand(process.execPath, args, { env })
      : await runCommand("bash", ["-c", `ulimit -n ${options.openFiles} && exec "$0" "$@"`, process.execPath, ...args], { env });
  const last = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(last) as ChildReply & T;
  } catch {
    throw new Error(`case ${name} printed no JSON answer:\n${stdout.slice(-2000)}`);
  }
}
