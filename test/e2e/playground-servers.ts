/**
 * The playground built and served the two ways a developer sees it: `vite build` + `vite preview`,
 * and `vite dev`. Both use the playground's own config with the replica as the site and a
 * throwaway cache and lockfile, so a run never touches the user's cache or the real site.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, createServer, preview, type InlineConfig, type UserConfig } from "vite";
import type { OgaPluginOptions } from "../../src/project/options.js";

export const PLAYGROUND_ROOT = fileURLToPath(new URL("../../playground/", import.meta.url));

/**
 * The playground's vite.config.ts imports the built package by name (dist/). Loading it at run
 * time keeps the repository's type check independent of a build; its shape is stated here.
 */
async function playgroundConfig(options: OgaPluginOptions): Promise<UserConfig> {
  const configModule = path.join(PLAYGROUND_ROOT, "vite.config.ts");
  const loaded = (await import(/* @vite-ignore */ configModule)) as {
    playgroundConfig: (options: OgaPluginOptions) => UserConfig;
  };
  return loaded.playgroundConfig(options);
}

/**
 * The plugin's environment overrides beat its options, so a developer's OGA_URL or CI's
 * OGA_FROZEN would silently redirect these runs; the test states its site in options only.
 */
export function clearSiteEnvironment(): void {
  for (const name of ["OGA_URL", "OGA_CACHE_DIR", "OGA_OFFLINE", "OGA_FROZEN"]) delete process.env[name];
}

export interface SiteOptions {
  /** The replica's origin. */
  url: string;
  /** A scratch directory for the cache, the lockfile and the build. */
  workDir: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

async function inlineConfig({ url, workDir }: SiteOptions): Promise<InlineConfig> {
  return {
    ...(await playgroundConfig({
      url,
      cacheDir: path.join(workDir, "cache"),
      lockfile: path.join(workDir, "oga.lock.json"),
      // CI=true would freeze the lock by default; this lock is new in every run by design.
      frozen: false,
    })),
    root: PLAYGROUND_ROOT,
    configFile: false,
    logLevel: "warn",
  };
}

export async function buildPlayground(site: SiteOptions): Promise<string> {
  const outDir = path.join(site.workDir, "dist");
  const config = await inlineConfig(site);
  await build({ ...config, build: { ...config.build, outDir, emptyOutDir: true } });
  return outDir;
}

/** 127.0.0.1 rather than localhost, so Chromium and the server never disagree on IPv4 vs IPv6. */
const HOST = "127.0.0.1";

export async function previewPlayground(site: SiteOptions, outDir: string): Promise<RunningServer> {
  const server = await preview({
    ...(await inlineConfig(site)),
    build: { outDir },
    preview: { host: HOST, port: 0, strictPort: true },
  });
  return { url: serverUrl(server.resolvedUrls?.local), close: () => server.close() };
}

export async function devPlayground(site: SiteOptions): Promise<RunningServer> {
  const server = await createServer({
    ...(await inlineConfig(site)),
    // HMR and the watcher stay on: the page must be clean with the client a developer really gets.
    server: { host: HOST, port: 0, strictPort: true },
  });
  await server.listen();
  return { url: serverUrl(server.resolvedUrls?.local), close: () => server.close() };
}

function serverUrl(urls: string[] | undefined): string {
  const url = urls?.[0];
  if (!url) throw new Error("Vite did not report the server's URL");
  return url;
}
