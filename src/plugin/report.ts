import type { ResolvedFile } from "../project/resolve-asset.js";

/**
 * At most one "downloading N files (X MB)…" line and one summary per build, and only when there
 * was network work: Vite redraws its own TTY status line, and a second live bar garbles it.
 */
export class DownloadReport {
  private startedFiles = 0;
  private startedBytes = 0;
  private downloadedFiles = 0;
  private downloadedBytes = 0;
  private announced = false;
  private timer: NodeJS.Timeout | undefined;
  private since = 0;

  constructor(private readonly log: (message: string) => void) {}

  /** A body started arriving. The line waits a moment so one line covers the whole first batch. */
  started(file: { size: number | null }): void {
    this.startedFiles++;
    this.startedBytes += file.size ?? 0;
    if (this.announced || this.timer) return;
    this.since = Date.now();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.announced = true;
      this.log(`downloading ${plural(this.startedFiles, "file")}${this.startedBytes ? ` (${megabytes(this.startedBytes)})` : ""}…`);
    }, 30);
    this.timer.unref();
  }

  finished(file: ResolvedFile): void {
    if (file.transfer !== "downloaded") return;
    this.downloadedFiles++;
    this.downloadedBytes += file.size;
  }

  /** Prints the summary (if anything was downloaded) and starts over for the next build. */
  end(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.downloadedFiles > 0) {
      const seconds = ((Date.now() - this.since) / 1000).toFixed(1);
      this.log(`downloaded ${plural(this.downloadedFiles, "file")} (${megabytes(this.downloadedBytes)}) in ${seconds}s`);
    }
    this.startedFiles = this.startedBytes = this.downloadedFiles = this.downloadedBytes = 0;
    this.announced = false;
    this.timer = undefined;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e5 ? 2 : 1)} MB`;
}
