/**
 * A workaround for undici 7's uncatchable crash when a connection closes in the middle of a
 * body while the HTTP/1 parser is paused by backpressure (nodejs/undici#5360, fixed in undici 8
 * by #5474, which needs Node 22; 7.30.2 still has it).
 *
 * A download pauses the parser whenever the disk is slower than the network for a moment. If
 * the server then closes (FIN, with `Connection: close`) or resets (ECONNRESET) the connection
 * before the announced Content-Length, undici's socket handlers call `parser.finish()`, which
 * asserts `!this.paused` and throws from an event handler: the process dies, the build with it.
 *
 * The guard sits in the Agent's connector and watches each socket's `end` and `error` events:
 * when the parser is paused at that moment, the event becomes an `UND_ERR_SOCKET` error, which
 * undici handles without `finish()`, and which the retry interceptor resumes with `Range` from
 * the last byte it delivered. Every other event, and any socket whose parser it cannot see,
 * passes through untouched.
 */
import type { Socket } from "node:net";
import type { buildConnector } from "undici";

interface ParserLike {
  paused?: unknown;
}

/** undici keeps the parser on the socket under `Symbol('parser')` (lib/core/symbols.js). */
function parserOf(socket: Socket): ParserLike | undefined {
  const key = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === "parser");
  const parser = key === undefined ? undefined : (socket as unknown as Record<symbol, unknown>)[key];
  return typeof parser === "object" && parser !== null ? (parser as ParserLike) : undefined;
}

function closedMidBody(cause?: unknown): Error {
  const error = new Error("the connection closed in the middle of a response body", { cause }) as Error & { code: string };
  error.code = "UND_ERR_SOCKET";
  return error;
}

/** Rewrites the two events that would reach `parser.finish()` on a paused parser. */
export function guardPausedParser(socket: Socket): void {
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  socket.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event === "end" && parserOf(socket)?.paused === true) {
      socket.destroy(closedMidBody());
      return true;
    }
    if (event === "error" && (args[0] as { code?: unknown } | undefined)?.code === "ECONNRESET" && parserOf(socket)?.paused === true) {
      return emit("error", closedMidBody(args[0]));
    }
    return emit(event, ...args);
  }) as typeof socket.emit;
}

/** undici's own connector with {@link guardPausedParser} applied to every new socket. */
export function guardedConnector(build: typeof buildConnector, options: buildConnector.BuildOptions): buildConnector.connector {
  const connect = build(options);
  return (connectOptions, callback) =>
    connect(connectOptions, (error, socket) => {
      if (socket) guardPausedParser(socket as Socket);
      // The callback's overloads take (error, null) or (null, socket).
      if (error) callback(error, null);
      else callback(null, socket!);
    });
}
