/**
 * The slice of Rollup's / Vite's plugin context this plugin uses. Typed structurally because
 * Vite 8 (Rolldown), Vite 7 and Rollup 4 each ship their own, mutually unassignable, types.
 */
export interface HookContext {
  error(error: { code?: string; message: string; cause?: unknown; plugin?: string }): never;
  emitFile(file: { type: "asset"; name: string; originalFileName: string; source: Uint8Array }): string;
  addWatchFile(id: string): void;
  /** Resolves an import as the bundler would (Vite's and Rollup's resolvers included). */
  resolve(source: string, importer?: string): Promise<{ id: string; external?: boolean | "absolute" | "relative" } | null>;
  /** Loads and transforms a module now, as if it had been imported. */
  load(options: { id: string }): Promise<unknown>;
  info?(message: string): void;
  /** Vite ≥ 6 only; undefined under Rollup. */
  environment?: { name?: string; logger?: { info(message: string, options?: { timestamp?: boolean }): void } };
}

/** The parts of Vite's resolved config the plugin reads or adjusts. */
export interface ViteResolvedConfig {
  root: string;
  command: "build" | "serve";
  logger: { info(message: string, options?: { timestamp?: boolean }): void };
  server: { fs: { allow: string[] } };
}
