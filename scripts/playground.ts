/**
 * `npm run playground [-- --live] [-- --dev] [-- --port N]`: build the playground and serve it.
 * Run as `node --import tsx scripts/playground.ts`: the `tsx` CLI would put a parent process in
 * front that relays Ctrl-C with a 30 ms deadline and kills the server when the machine is busy.
 *
 * Default: against the replica (a local OpenGameArt started here on a free port), so it works on
 * a fresh machine without internet. Its files go to playground/.oga-cache, never to the user's
 * cache: the replica's assets share ids with the real site but not their bytes.
 * --live: against https://opengameart.org with the user's cache and playground/oga.lock.json,
 * exactly like a project of one's own.
 * --dev: run the dev server instead of build + preview.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build, createServer, preview, type InlineConfig } from "vite";
import { playgroundConfig, type OgaOptions } from "../playground/vite.config.js";
import { startReplica } from "../test/replica/index.js";

const ROOT = fileURLToPath(new URL("../playground/", import.meta.url));

const { values: flags } = parseArgs({
  options: {
    live: { type: "boolean", default: false },
    dev: { type: "boolean", default: false },
    port: { type: "string" },
  },
});

interface Site {
  options: OgaOptions;
  /** One line for the summary: where the assets come from and where they are cached. */
  describe: string;
  close(): Promise<void>;
}

/** Environment overrides beat plugin options; in replica mode they would point the build elsewhere. */
const SITE_ENV = ["OGA_URL", "OGA_CACHE_DIR", "OGA_OFFLINE", "OGA_FROZEN"] as const;

async function replicaSite(): Promise<Site> {
  for (const name of SITE_ENV) {
    if (process.env[name] !== undefined) console.warn(`ignoring ${name} (the replica run uses its own site and cache)`);
    delete process.env[name];
  }
  const replica = await startReplica();
  const cacheDir = path.join(ROOT, ".oga-cache");
  // The replica's port changes every run, so a lock from an earlier run names a dead origin.
  const lockfile = path.join(cacheDir, "replica.lock.json");
  await rm(lockfile, { force: true });
  console.log(`replica of OpenGameArt at ${replica.url}`);
  return {
    options: { url: replica.url, cacheDir, lockfile, frozen: false },
    describe: `a local replica of OpenGameArt at ${replica.url} (no internet used), cached in ${path.relative(process.cwd(), cacheDir) || cacheDir}; --live uses opengameart.org`,
    close: () => replica.close(),
  };
}

function liveSite(): Site {
  return { options: {}, describe: "https://opengameart.org, cached in your user cache, locked in playground/oga.lock.json", close: async () => undefined };
}

async function serve(config: InlineConfig, port: number | undefined): Promise<{ url: string; close(): Promise<void> }> {
  if (flags.dev) {
    const server = await createServer({ ...config, server: { port } });
    await server.listen();
    return { url: server.resolvedUrls?.local[0] ?? "", close: () => server.close() };
  }
  await build(config);
  const server = await preview({ ...config, preview: { port } });
  return { url: server.resolvedUrls?.local[0] ?? "", close: () => server.close() };
}

function portFlag(): number | undefined {
  if (flags.port === undefined) return undefined;
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port ${flags.port}: not a port number`);
  return port;
}

async function main(): Promise<void> {
  const port = portFlag();
  const site = flags.live ? liveSite() : await replicaSite();
  const config: InlineConfig = { ...playgroundConfig(site.options), root: ROOT, configFile: false };
  let server: { url: string; close(): Promise<void> };
  try {
    server = await serve(config, port);
  } catch (error) {
    await site.close();
    throw error;
  }
  // The first line's shape is what test/e2e/playground-script.test.ts waits for.
  console.log(`\nplayground (${flags.dev ? "dev" : "preview"}, ${flags.live ? "opengameart.org" : "replica"}): ${server.url}`);
  console.log(`  assets from ${site.describe}`);
  // Only a build writes the credits files; in dev the game's Credits screen is the list.
  if (!flags.dev) console.log(`  credits: ${new URL("CREDITS.md", server.url).href} (and the game's Credits screen)`);
  console.log("press Ctrl-C to stop");
  let stopping = false;
  const stop = async (): Promise<void> => {
    // A second Ctrl-C means "now": do not wait for connections to drain.
    if (stopping) process.exit(130);
    stopping = true;
    await server.close();
    await site.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
