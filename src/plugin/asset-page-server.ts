/**
 * Mounts the asset page (src/asset-page/) on Vite's dev server and prints its URL in Vite's
 * startup banner, under Local and Network, the way Vite prints its own.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import colors from "picocolors";
import { ASSET_PAGE_PATH, createAssetPage } from "../asset-page/asset-page.js";
import type { AssetPageSource } from "../asset-page/project-assets.js";

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** The parts of Vite's dev server (7 and 8) the asset page uses. */
export interface AssetPageDevServer {
  config: { base: string; logger: { info(message: string): void } };
  middlewares: { use(middleware: Middleware): unknown };
  httpServer?: { once(event: "close", listener: () => void): unknown } | null;
  /** Set once the server listens: the URLs Vite prints (`http://localhost:5173/`, with `base`). */
  resolvedUrls: { local: string[]; network: string[] } | null;
  printUrls(): void;
}

/**
 * Serves the page under `base` and adds its line to `printUrls`, which Vite calls for the
 * startup banner, after a restart that moved the server, and for the `u` shortcut.
 */
export function mountAssetPage(server: AssetPageDevServer, source: AssetPageSource): void {
  const page = createAssetPage(source, server.config.base);
  server.middlewares.use((req, res, next) => page.handle(req, res, next));
  server.httpServer?.once("close", () => page.close());
  const printUrls = server.printUrls;
  server.printUrls = function (this: AssetPageDevServer | undefined) {
    printUrls.call(this);
    // `this`: after a restart Vite copies the new server's fields onto the server it returned,
    // which is the one that then listens and knows the URLs.
    const current = this ?? server;
    const line = assetPageBannerLine(current.resolvedUrls);
    if (line) current.config.logger.info(line);
  };
}

/** `  ➜  Assets:  http://localhost:5173/__oga/`, coloured like Vite's Local and Network lines. */
export function assetPageBannerLine(urls: AssetPageDevServer["resolvedUrls"]): string | null {
  const local = urls?.local[0] ?? urls?.network[0];
  if (!local) return null;
  const url = new URL(ASSET_PAGE_PATH, local).href;
  const coloured = colors.cyan(url.replace(/:(\d+)\//, (_, port: string) => `:${colors.bold(port)}/`));
  return `  ${colors.green("➜")}  ${colors.bold("Assets")}:  ${coloured}`;
}
