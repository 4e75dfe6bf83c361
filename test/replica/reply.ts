/**
 * Handlers return a Reply instead of writing to the response, so one place sends it: HEAD
 * drops the body, and the body faults (reset, truncate) cut any reply the same way.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";

export interface Reply {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer | Readable | null;
}

/** Drupal's page headers: never cached, generator named. */
export function htmlReply(status: number, html: string, extra: OutgoingHttpHeaders = {}): Reply {
  const body = Buffer.from(html, "utf8");
  return {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-length": body.length,
      "cache-control": "no-cache, must-revalidate",
      expires: "Sun, 19 Nov 1978 05:00:00 GMT",
      "x-generator": "Drupal 7 (http://drupal.org)",
      ...extra,
    },
    body,
  };
}

export function textReply(status: number, text: string, contentType = "text/plain; charset=utf-8"): Reply {
  const body = Buffer.from(text, "utf8");
  return { status, headers: { "content-type": contentType, "content-length": body.length }, body };
}

/** How a body may be cut short: `reset` destroys the socket (RST), `truncate` closes it cleanly. */
export interface BodyCut {
  kind: "reset" | "truncate";
  afterBytes: number;
}

function destroyHard(res: ServerResponse): void {
  const socket = res.socket;
  if (socket && typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket?.destroy();
}

export function sendReply(req: IncomingMessage, res: ServerResponse, reply: Reply, cut?: BodyCut): void {
  const body = reply.body;
  const headers = { ...reply.headers };
  // After a cut the connection is unusable; say so, so a keep-alive client does not reuse it.
  if (cut) headers.connection = "close";
  res.writeHead(reply.status, headers);
  if (req.method === "HEAD" || body === null || reply.status === 304) {
    if (body instanceof Readable) body.destroy();
    res.end();
    return;
  }
  if (!cut) {
    if (body instanceof Readable) {
      body.on("error", () => res.destroy());
      res.on("close", () => body.destroy());
      body.pipe(res);
    } else res.end(body);
    return;
  }
  let sent = 0;
  const stop = (): void => {
    if (cut.kind === "reset") destroyHard(res);
    // Fewer bytes than Content-Length, then a clean end: the client sees a short body.
    else res.end();
  };
  const take = (chunk: Buffer): Buffer => chunk.subarray(0, Math.max(0, cut.afterBytes - sent));
  if (!(body instanceof Readable)) {
    const part = take(body);
    sent += part.length;
    if (part.length) res.write(part, stop);
    else stop();
    return;
  }
  res.on("close", () => body.destroy());
  body.on("data", (chunk: Buffer) => {
    const part = take(chunk);
    sent += part.length;
    if (sent >= cut.afterBytes) {
      body.pause();
      body.destroy();
      if (part.length) res.write(part, stop);
      else stop();
    } else if (!res.write(part)) {
      body.pause();
      res.once("drain", () => body.resume());
    }
  });
  body.on("end", () => {
    if (sent < cut.afterBytes) res.end(); // the body was shorter than the cut: nothing to cut
  });
}

async function bodyBytes(body: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The reply with its body gzip-compressed and labelled `Content-Encoding: gzip` (bodies of tests are small). */
export async function gzipped(reply: Reply): Promise<Reply> {
  if (reply.body === null) return reply;
  const body = gzipSync(await bodyBytes(reply.body));
  return { ...reply, headers: { ...reply.headers, "content-encoding": "gzip", "content-length": body.length }, body };
}

/** Sends a reply's body `bytes` at a time, one write every `everyMs`, until done or the client leaves. */
export async function sendTrickled(res: ServerResponse, reply: Reply, bytes: number, everyMs: number): Promise<void> {
  const body = reply.body === null ? Buffer.alloc(0) : await bodyBytes(reply.body);
  res.writeHead(reply.status, reply.headers);
  let sent = 0;
  const timer = setInterval(() => {
    if (sent >= body.length) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(body.subarray(sent, sent + bytes));
    sent += bytes;
  }, everyMs);
  res.on("close", () => clearInterval(timer));
}
