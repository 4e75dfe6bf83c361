/**
 * What resolving a project's files cost, counted once per file: the one progress model behind
 * the plugin's log lines and the CLI's bar and summary, so that every count shown agrees.
 */
import { formatDuration, formatSize, plural } from "./human-units.js";
import type { ResolvedFile } from "./resolve-asset.js";

/** A file whose body started arriving (see `ResolveEvents.onDownloadStart`). */
export interface StartedFile {
  asset: string;
  name: string;
  size: number | null;
}

/** Where the tally stands, for a progress bar. */
export interface TallyProgress {
  /** Files whose download started, and how many of them are done. */
  filesStarted: number;
  filesDownloaded: number;
  /** Bytes of the finished downloads, and of all started ones (`null` while a size is unknown). */
  bytesDownloaded: number;
  bytesStarted: number | null;
}

export class TransferTally {
  private readonly started = new Map<string, number | null>();
  private readonly finished = new Map<string, { size: number; transfer: ResolvedFile["transfer"] }>();
  private firstStart: number | undefined;
  private lastDownload: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** A body started arriving from the network. */
  fileStarted(file: StartedFile): void {
    this.firstStart ??= this.now();
    this.started.set(key(file), file.size);
  }

  /**
   * A file is in the cache. The same file may be reported again (an asset import and a file
   * import of it, two builds); a download outranks a cache hit.
   */
  fileFinished(file: Pick<ResolvedFile, "asset" | "name" | "size" | "transfer">): void {
    const known = this.finished.get(key(file));
    if (known && RANK[known.transfer] >= RANK[file.transfer]) return;
    this.finished.set(key(file), { size: file.size, transfer: file.transfer });
    if (file.transfer === "downloaded") this.lastDownload = this.now();
  }

  /** Whether anything touched the network (a download or a revalidation). */
  get usedNetwork(): boolean {
    return this.started.size > 0 || [...this.finished.values()].some((f) => f.transfer !== "none");
  }

  progress(): TallyProgress {
    const sizes = [...this.started.values()];
    const downloads = [...this.finished.values()].filter((f) => f.transfer === "downloaded");
    return {
      filesStarted: this.started.size,
      filesDownloaded: downloads.length,
      bytesDownloaded: downloads.reduce((sum, f) => sum + f.size, 0),
      bytesStarted: sizes.includes(null) ? null : sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0),
    };
  }

  /**
   * One line: `13 files in 1.4 s: 11 downloaded (82 kB), 2 from the cache`, the parts adding up
   * to the total; parts that are zero are left out, and the time when nothing was downloaded.
   */
  summary(): string {
    const all = [...this.finished.values()];
    const count = (transfer: ResolvedFile["transfer"]) => all.filter((f) => f.transfer === transfer);
    const downloaded = count("downloaded");
    const parts = [
      downloaded.length > 0 ? `${downloaded.length} downloaded (${formatSize(downloaded.reduce((sum, f) => sum + f.size, 0))})` : "",
      count("revalidated").length > 0 ? `${count("revalidated").length} unchanged on the site` : "",
      count("none").length > 0 ? `${count("none").length} from the cache` : "",
    ].filter(Boolean);
    const time = this.firstStart !== undefined && this.lastDownload !== undefined ? ` in ${formatDuration(this.lastDownload - this.firstStart)}` : "";
    return `${plural(all.length, "file")}${time}${parts.length > 0 ? `: ${parts.join(", ")}` : ""}`;
  }
}

const RANK: Record<ResolvedFile["transfer"], number> = { none: 0, revalidated: 1, downloaded: 2 };

function key(file: { asset: string; name: string }): string {
  return JSON.stringify([file.asset, file.name]);
}
