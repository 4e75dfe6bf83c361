import type { Asset, AssetFile } from "./types.js";

/**
 * Find a file of an asset by its name (the decoded last segment of its URL). The link text is
 * accepted as an alias only when exactly one file carries it: the site renames duplicate uploads
 * (`theme_0.ogg`) while the link still reads `theme.ogg`, so a label can name several files.
 */
export function findAssetFile(asset: Asset, name: string): AssetFile | undefined {
  const exact = asset.files.find((f) => f.name === name);
  if (exact) return exact;
  const byLabel = asset.files.filter((f) => f.label === name);
  return byLabel.length === 1 ? byLabel[0] : undefined;
}
