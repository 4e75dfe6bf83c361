/**
 * The local OpenGameArt.org for tests: `const replica = await startReplica()` serves the
 * seeded catalogue on a free loopback port; `await replica.close()` when done.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Catalogue, type ReplicaAssetDef } from "./catalogue.js";
import { Faults } from "./faults.js";
import { fillerAssets } from "./filler.js";
import { RequestLog } from "./request-log.js";
import { NAMED_ASSETS } from "./seed.js";
import { PACK_ASSETS } from "./packs.js";
import { createHandler } from "./server.js";

export interface ReplicaOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The catalogue to serve; default: the named assets of seed.ts plus the filler. */
  assets?: readonly ReplicaAssetDef[];
  /**
   * Simulated network round trip in ms, default 0: every response waits this long before its
   * first byte, as over a real link (connections themselves open at once).
   */
  roundTripMs?: number;
  /**
   * How long an idle keep-alive connection stays open, in ms (Node's default 5000; the server
   * announces it, so clients keep the connection about as long).
   */
  keepAliveTimeoutMs?: number;
}

export interface Replica {
  /** `http://127.0.0.1:PORT`, no trailing slash: the origin the plugin is pointed at. */
  url: string;
  requests: RequestLog;
  catalogue: Catalogue;
  faults: Faults;
  /** Changes the simulated round trip for requests that arrive from now on. */
  setRoundTripMs(ms: number): void;
  /** Client connections open right now (keep-alive ones included). */
  openConnections(): number;
  close(): Promise<void>;
}

/** The default catalogue's definitions (fresh objects each call). */
export function defaultAssets(): ReplicaAssetDef[] {
  return [...NAMED_ASSETS, ...PACK_ASSETS, ...fillerAssets()];
}

export async function startReplica(options: ReplicaOptions = {}): Promise<Replica> {
  const host = options.host ?? "127.0.0.1";
  const catalogue = new Catalogue(options.assets ?? defaultAssets());
  const faults = new Faults();
  const requests = new RequestLog();
  const roundTrip = { ms: checkedRoundTrip(options.roundTripMs ?? 0) };
  const site = { catalogue, faults, requests, roundTrip };
  const server: Server = createServer(createHandler(site));
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    requests,
    catalogue,
    faults,
    setRoundTripMs: (ms) => {
      roundTrip.ms = checkedRoundTrip(ms);
    },
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging faults and keep-alive sockets would hold close() open forever.
        server.closeAllConnections();
      }),
  };
}

function checkedRoundTrip(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`replica: round trip must be a number of ms >= 0, got ${ms}`);
  return ms;
}

export { Catalogue, minimalAsset } from "./catalogue.js";
export type { FileBody, ReplicaAsset, ReplicaAssetDef, ReplicaAuthor, ReplicaFile, ReplicaFileDef, ReplicaUser } from "./catalogue.js";
export { Faults } from "./faults.js";
export type { FaultAction, FaultHandle, FaultMatch, FaultRule } from "./faults.js";
export { RequestLog } from "./request-log.js";
export type { LoggedRequest, RequestFilter } from "./request-log.js";
export { etagOf } from "./files.js";
export { encodePath, rawurlencode } from "./html.js";
export { generatedBytes, png, pseudoRandomBytes, silentMp3, wav } from "./media.js";
export { zip } from "./zip.js";
export { NAMED_ASSETS, USERS } from "./seed.js";
export { AMPLIFIER_ENTRIES, AMPLIFIER_ENTRY_SIZE, BOMB_SIZE, PACK_ASSETS, bonusZipEntries, cp437, tilesZipEntries } from "./packs.js";
