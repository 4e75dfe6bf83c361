/**
 * Where the CLI writes: data on stdout (so it can be piped), messages on stderr. Kept behind a
 * small interface so `runCli` does not reach for `process` itself.
 */
import type { Writable } from "node:stream";
import { escapeControls } from "../untrusted-text.js";

/** A writable terminal or pipe; `isTTY` is set by Node on terminal streams. */
export type OutStream = Writable & { isTTY?: boolean; columns?: number };

/** What the caller of `runCli` provides: the process's streams and environment, and Ctrl-C. */
export interface CliStreams {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C (SIGINT). */
  interrupt?: AbortSignal;
}

/** What a command sees. */
export interface CliIo extends CliStreams {
  /**
   * Aborted on Ctrl-C or when the reader of stdout goes away; every request and wait of the
   * command listens to it, so `oga search | head -1` stops fetching pages at once.
   */
  signal: AbortSignal;
}

/** Thrown by {@link writeLine} once the reader of stdout has gone (`| head -1`). */
export class OutputClosedError extends Error {
  override readonly name = "OutputClosedError";
}

/**
 * Write one line and wait while the pipe is full, so a slow reader slows the producer down
 * instead of buffering a whole search in memory. Rejects with {@link OutputClosedError} when the
 * reader has closed the pipe (EPIPE).
 *
 * Everything the CLI prints passes here or through {@link say}, so page text never reaches the
 * terminal raw: control characters are escaped (see untrusted-text.ts), a line break included,
 * so a title cannot forge a second line. Tabs stay: they separate columns (escape them in a
 * column's value with {@link column}).
 */
export function writeLine(stream: OutStream, line: string): Promise<void> {
  return writeRaw(stream, escapeControls(line, "\t"));
}

/**
 * Writes multi-line text (Markdown, indented JSON) as lines, each as {@link writeLine} does.
 * `keep` lets more controls pass that the format itself writes (CSV's `\r` record ends).
 */
export async function writeLines(stream: OutStream, text: string, keep = ""): Promise<void> {
  for (const line of text.replace(/\n$/, "").split("\n")) await writeRaw(stream, escapeControls(line, "\t" + keep));
}

/** A value for a tab-separated column: its own tabs and line breaks escaped. */
export function column(value: string): string {
  return escapeControls(value);
}

function writeRaw(stream: OutStream, line: string): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.reject(new OutputClosedError("output closed"));
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      stream.off("drain", onDrain);
      reject(error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED" ? new OutputClosedError("output closed") : error);
    };
    const onDrain = () => {
      stream.off("error", onError);
      resolve();
    };
    const flushed = stream.write(`${line}\n`, (error) => {
      if (error) onError(error);
    });
    if (flushed) {
      resolve();
    } else {
      stream.once("drain", onDrain);
      stream.once("error", onError);
    }
  });
}

/** A message for the user on stderr. Failures to write it (stderr closed) are not worth dying for. */
export function say(io: CliIo, message: string): void {
  if (!io.stderr.destroyed) io.stderr.write(`${escapeControls(message)}\n`);
}

export { formatSize } from "../project/human-units.js";
