import type { ResolvedFile } from "../project/resolve-asset.js";
import { TransferTally, type StartedFile } from "../project/transfer-tally.js";

/**
 * At most one "downloading from <site>…" line and one summary per build, and only when there was
 * network work: Vite redraws its own TTY status line, and a second live bar garbles it. The start
 * line gives no count (more downloads may start after it); the summary counts every file once,
 * from the same tally as the CLI (`13 files in 1.4 s: 11 downloaded (82 kB), 2 from the cache`).
 */
export class DownloadReport {
  private tally = new TransferTally();
  private announced = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: (message: string) => void,
    private readonly site: () => string,
  ) {}

  /** A body started arriving. The line waits a moment, so that a quick download prints only the summary. */
  started(file: StartedFile): void {
    this.tally.fileStarted(file);
    if (this.announced || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.announced = true;
      this.log(`downloading from ${hostOf(this.site())}…`);
    }, 30);
    this.timer.unref();
  }

  finished(file: ResolvedFile): void {
    this.tally.fileFinished(file);
  }

  /** Prints the summary (if anything touched the network) and starts over for the next build. */
  end(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.tally.usedNetwork) this.log(this.tally.summary());
    this.tally = new TransferTally();
    this.announced = false;
    this.timer = undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
