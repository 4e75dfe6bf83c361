import { homedir } from "node:os";
import path from "node:path";

/**
 * Where the cache lives when the user did not say: `OGA_CACHE_DIR`, else `$XDG_CACHE_HOME/oga`,
 * else the platform's per-user cache directory (`~/.cache/oga` on Linux and other Unixes,
 * `~/Library/Caches/oga` on macOS, `%LOCALAPPDATA%\oga\Cache` on Windows).
 *
 * The cache is shared by every project of the user on purpose: the same file downloaded for two
 * games is stored once. `platform` and `home` exist for tests.
 */
export function defaultCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const pathApi = platform === "win32" ? path.win32 : path.posix;
  const explicit = env.OGA_CACHE_DIR?.trim();
  if (explicit) return pathApi.resolve(explicit);
  // The XDG spec says relative values are invalid and must be ignored; honouring it on every
  // platform lets macOS users who set it (many do, for dotfile hygiene) keep one layout.
  const xdg = env.XDG_CACHE_HOME?.trim();
  if (xdg && pathApi.isAbsolute(xdg)) return pathApi.join(xdg, "oga");
  if (platform === "darwin") return pathApi.join(home, "Library", "Caches", "oga");
  if (platform === "win32") {
    // Local (not Roaming) AppData: caches must not be synced across machines by roaming profiles.
    const localAppData = env.LOCALAPPDATA?.trim() || pathApi.join(home, "AppData", "Local");
    return pathApi.join(localAppData, "oga", "Cache");
  }
  return pathApi.join(home, ".cache", "oga");
}
