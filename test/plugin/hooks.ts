/**
 * Vitest hooks the plugin, CLI and fault tests share. Call them at the top of a test file (or of a
 * describe block); each registers its own before/after hooks and returns a live view whose fields
 * read whatever the current hook run set up. Kept apart from helpers.ts, which a child process
 * (test/faults/build-worker.ts) imports outside Vitest.
 */
import type { ViteDevServer } from "vite";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { ogaPlugin } from "../../src/plugin/index.js";
import type { OgaPluginOptions } from "../../src/project/options.js";
import { startReplica, type Replica } from "../replica/index.js";
import { makeProject } from "./helpers.js";

export type Project = Awaited<ReturnType<typeof makeProject>>;

/** How long a hook's object lives: from before all of the file's (or block's) tests to after them, or one test. */
export type Scope = "file" | "test";

function hooksFor(scope: Scope) {
  return scope === "file" ? { before: beforeAll, after: afterAll } : { before: beforeEach, after: afterEach };
}

/**
 * A replica for this file's tests: started once before them and closed after them, or, with
 * scope "test", a fresh one per test. Closing it inside a test (to cut the network) is allowed.
 */
export function useReplica(scope: Scope = "file"): Replica {
  const { before, after } = hooksFor(scope);
  let current: Replica | undefined;
  let closed = false;
  before(async () => {
    current = await startReplica();
    closed = false;
  });
  after(async () => {
    if (!closed) await current?.close();
  });
  const replica = (): Replica => {
    if (!current) throw new Error("the replica is used before its hook started it");
    return current;
  };
  return {
    get url() {
      return replica().url;
    },
    get requests() {
      return replica().requests;
    },
    get catalogue() {
      return replica().catalogue;
    },
    get faults() {
      return replica().faults;
    },
    setRoundTripMs: (ms) => replica().setRoundTripMs(ms),
    openConnections: () => replica().openConnections(),
    close: async () => {
      closed = true;
      await replica().close();
    },
  };
}

/**
 * A fresh copy of `test/fixtures/<fixture>` with a private cache for each test (or, with scope
 * "file", one for all of the file's tests), removed after it.
 * A build that fails early leaves the other downloads of the shared store finishing for a moment;
 * they may still be writing into the cache directory, so a failed removal is retried once.
 */
export function useProject(fixture: string, scope: Scope = "test"): Project {
  const { before, after } = hooksFor(scope);
  let current: Project | undefined;
  before(async () => {
    current = await makeProject(fixture);
  });
  after(async () => {
    const project = current;
    current = undefined;
    await project?.cleanup().catch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await project.cleanup();
    });
  });
  const project = (): Project => {
    if (!current) throw new Error(`the ${fixture} project is used outside a test`);
    return current;
  };
  return {
    get root() {
      return project().root;
    },
    get cacheDir() {
      return project().cacheDir;
    },
    get lockfile() {
      return project().lockfile;
    },
    cleanup: () => project().cleanup(),
  };
}

/**
 * The usual plugin-test setup: one replica for the file, a fresh `fixture` project per test, and
 * each test starting with an empty request log and no faults.
 */
export function useReplicaProject(fixture: string): { replica: Replica; project: Project } {
  const replica = useReplica();
  const project = useProject(fixture);
  beforeEach(() => {
    replica.requests.reset();
    replica.faults.clear();
  });
  return { replica, project };
}

export interface DevServer {
  /** Starts a Vite 8 dev server for `root` with the oga plugin (between `before` and `after`, if given), on a free loopback port. */
  start(root: string, options: OgaPluginOptions, extra?: { before?: object[]; after?: object[] }): Promise<void>;
  /** The server last started. */
  readonly server: ViteDevServer;
  /** Its origin, `http://127.0.0.1:PORT`. */
  readonly base: string;
}

/** Dev servers for the tests of this file (or describe block); the one last started is closed after each test. */
export function useDevServer(): DevServer {
  let current: { server: ViteDevServer; base: string } | undefined;
  afterEach(async () => {
    const server = current?.server;
    current = undefined;
    await server?.close();
  });
  const started = () => {
    if (!current) throw new Error("the dev server is used before start()");
    return current;
  };
  return {
    async start(root, options, { before = [], after = [] } = {}) {
      const { createServer } = await import("vite");
      const server = await createServer({
        root,
        configFile: false,
        logLevel: "silent",
        server: { port: 0, host: "127.0.0.1" },
        optimizeDeps: { noDiscovery: true, include: [] },
        plugins: [...(before as never[]), ogaPlugin(options) as never, ...(after as never[])],
      });
      current = { server, base: "" };
      await server.listen();
      current.base = `http://127.0.0.1:${(server.httpServer!.address() as { port: number }).port}`;
    },
    get server() {
      return started().server;
    },
    get base() {
      return started().base;
    },
  };
}
