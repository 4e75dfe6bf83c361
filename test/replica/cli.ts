/**
 * `npx tsx test/replica/cli.ts [--port N] [--host H] [--rtt MS]`: the replica by hand, until Ctrl-C.
 * `--rtt` (or `OGA_REPLICA_RTT_MS`) delays every response by that round trip, as a real link would.
 */
import { parseArgs } from "node:util";
import { startReplica } from "./index.js";

const { values } = parseArgs({
  options: { port: { type: "string", default: "8125" }, host: { type: "string", default: "127.0.0.1" }, rtt: { type: "string", default: process.env.OGA_REPLICA_RTT_MS ?? "0" } },
});
const roundTripMs = Number(values.rtt);
if (!Number.isFinite(roundTripMs) || roundTripMs < 0) {
  console.error(`replica: --rtt (or OGA_REPLICA_RTT_MS) must be a number of ms >= 0, got ${values.rtt}`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`replica: --port must be a port number, got ${values.port}`);
  process.exit(2);
}

const replica = await startReplica({ port, host: values.host, roundTripMs }).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== "EADDRINUSE") throw error;
  console.error(`replica: port ${port} on ${values.host} is in use; pick another with --port N (npm run replica -- --port 8126), or --port 0 for any free one`);
  process.exit(1);
});
console.log(`OpenGameArt replica at ${replica.url}${roundTripMs > 0 ? ` (${roundTripMs} ms round trip)` : ""}`);
console.log(`  asset:  ${replica.url}/content/battle-theme-a`);
console.log(`  search: ${replica.url}/art-search-advanced?field_art_type_tid%5B%5D=12&items_per_page=24`);
console.log(`${replica.catalogue.slugs().length} assets; Ctrl-C to stop.`);

const stop = (): void => {
  void replica.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
