// Disk and file-table faults staged for real in this process: a resource limit (what `ulimit -f`
// or `ulimit -n` sets) lowered with prlimit(1) while `work` runs. Past the file size limit a
// write fails with EFBIG, as a full disk fails with ENOSPC (Node ignores SIGXFSZ, so the write
// fails, not the process); at the open-files limit an open fails with EMFILE. In this process,
// not a child, so the mutation run's instrumented code is what meets the fault. Everything this
// process does meanwhile is limited too (pipes and sockets have no size limit, but take files).
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Runs `work` with this process's soft limit on `resource` set to `value` (bytes for `fsize`,
 * descriptors for `nofile`), then restores the old one. The process that restores it is started
 * beforehand: with no file descriptor left, this process could not start one.
 */
export async function withResourceLimit<T>(resource: "fsize" | "nofile", value: number, work: () => Promise<T>): Promise<T> {
  const pid = String(process.pid);
  const { stdout } = await run("prlimit", ["--pid", pid, `--${resource}`, "--output=SOFT", "--noheadings", "--raw"]);
  const restore = `--${resource}=${stdout.trim()}:`;
  const restorer = spawn("sh", ["-c", 'read _ && exec prlimit --pid "$0" "$1"', pid, restore], { stdio: ["pipe", "ignore", "inherit"] });
  const exited = once(restorer, "exit");
  exited.catch(() => undefined); // a failed spawn rejects this too: reported by the "spawn" wait below
  await once(restorer, "spawn");
  try {
    await run("prlimit", ["--pid", pid, `--${resource}=${value}:`]);
    return await work();
  } finally {
    restorer.stdin.end("\n");
    const [code] = (await exited) as [number | null];
    if (code !== 0) throw new Error(`prlimit could not restore ${restore} (exit ${code})`);
  }
}
