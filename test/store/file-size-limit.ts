// A disk that refuses writes, staged for real in this process: the file size limit (RLIMIT_FSIZE,
// what `ulimit -f` sets) lowered with prlimit(1) while `work` runs. A write past the limit fails
// with EFBIG, as a full disk fails with ENOSPC: Node ignores SIGXFSZ, so the write fails, not
// the process. In this process (not a child) so that the mutation run's instrumented code is
// what meets the fault. Pipes and sockets have no such limit; other files written meanwhile do.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs `work` while this process may write files of at most `bytes` bytes, then restores the limit. */
export async function withFileSizeLimit<T>(bytes: number, work: () => Promise<T>): Promise<T> {
  const pid = String(process.pid);
  const { stdout } = await run("prlimit", ["--pid", pid, "--fsize", "--output=SOFT", "--noheadings", "--raw"]);
  const soft = stdout.trim();
  await run("prlimit", ["--pid", pid, `--fsize=${bytes}:`]);
  try {
    return await work();
  } finally {
    await run("prlimit", ["--pid", pid, `--fsize=${soft}:`]);
  }
}
