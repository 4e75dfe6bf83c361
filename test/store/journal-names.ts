// Journal file names as the index writes them (`tempPath` in src/store/fs-utils.ts), for tests that
// stage journals of other processes.
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";

/** This host as journal names spell it. */
export const JOURNAL_HOST = hostname().replace(/[^A-Za-z0-9.]/g, "_") || "host";

let gonePid: number | undefined;

/** The `i`-th journal name of a writer that was a process of this host and has exited. */
export function goneWriterJournal(i: number): string {
  const pid = (gonePid ??= spawnSync(process.execPath, ["-e", ""]).pid);
  return `${1_000 + i}-${JOURNAL_HOST}-${pid}-${i.toString(16).padStart(12, "0")}.index.jsonl`;
}
