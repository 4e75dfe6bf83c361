import { defineConfig, type UserConfig } from "vite";
// The package itself: Node resolves its own name through package.json "exports" (self-reference),
// so this is exactly the line a user writes, running the built dist/ (npm run build first).
import oga from "vite-plugin-oga";

export type OgaOptions = NonNullable<Parameters<typeof oga>[0]>;

/**
 * The playground's config with the plugin's options spelled out by the caller. `vite build` uses
 * the defaults (opengameart.org, the user cache); scripts/playground.ts and the browser test pass
 * the replica's URL and their own cache and lockfile.
 */
export function playgroundConfig(options: OgaOptions = {}): UserConfig {
  return {
    plugins: [oga(options)],
    build: { target: "es2022" },
  };
}

export default defineConfig(playgroundConfig());
