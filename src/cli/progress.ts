/**
 * Download progress on stderr: a live bar when a person is watching (stderr is a terminal and
 * `CI` is not set), otherwise nothing until each file's plain result line. Logs of CI jobs and
 * pipes stay free of ANSI escapes and carriage returns.
 */
import cliProgress from "cli-progress";
import type { DownloadProgress } from "../client.js";
import { envFlag } from "../project/options.js";
import type { CachedFile } from "../store/fetch-file.js";
import { escapeControls } from "../untrusted-text.js";
import { formatSize, say, type CliIo } from "./io.js";

export interface ProgressReporter {
  /** Called with every progress event of the library's `download`. */
  update(progress: DownloadProgress): void;
  /** Remove the bar (if any) so the per-file lines that follow start on a clean line. */
  stop(): void;
}

export function wantsProgressBar(io: CliIo): boolean {
  return io.stderr.isTTY === true && !envFlag(io.env.CI);
}

export function createProgressReporter(io: CliIo): ProgressReporter {
  if (!wantsProgressBar(io)) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: "{bar} {percentage}% | {done}/{files} files | {bytes} | {file}",
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress) {
      // Byte totals are only known when the page gave every file's size; fall back to counting files.
      const total = progress.bytesTotal ?? progress.filesTotal;
      const value = progress.bytesTotal !== null ? progress.bytesDone : progress.filesDone;
      const payload = {
        done: progress.filesDone,
        files: progress.filesTotal,
        bytes: formatSize(progress.bytesDone),
        file: barLabel(progress.file),
      };
      if (!started) {
        bar.start(Math.max(total, 1), value, payload);
        started = true;
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(value, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Longest file name the bar shows: a long one would wrap, and every redraw would add a line. */
const BAR_LABEL_LENGTH = 48;

/** A file name as the bar shows it: escaped (it comes from a page) and cut to fit one line. */
function barLabel(name: string): string {
  const label = escapeControls(name);
  return label.length <= BAR_LABEL_LENGTH ? label : `${label.slice(0, BAR_LABEL_LENGTH - 1)}…`;
}

/** The one line per file that tells what the download cost. */
export function reportFile(io: CliIo, file: CachedFile): void {
  const verb = file.transfer === "downloaded" ? "downloaded" : "up to date";
  say(io, `${verb} ${file.name} (${formatSize(file.size)})`);
}
