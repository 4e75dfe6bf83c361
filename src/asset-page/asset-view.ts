/**
 * What the asset page shows of one asset, as JSON for its script: who made it, the licenses on
 * offer and the one the project uses (or why it is refused), the credit line exactly as
 * `oga:credits` gives it, a preview served by the dev server, the files and their import lines.
 * Built from the locked record, so the page and the build agree; a searched asset is described
 * first and gets the record it would be locked with.
 */
import { isOgaError } from "../errors.js";
import { creditFor } from "../project/credits.js";
import { licenseFacts, type LicenseFacts, type LicensePolicy } from "../project/license-policy.js";
import type { Preview } from "../site/types.js";
import type { LockedEntry } from "../store/locked-entries.js";
import type { LockedAsset } from "../store/lockfile.js";
import { assetImportLine, fileImportLine } from "./import-line.js";
import { mediaPath } from "./media.js";

export interface PersonView {
  name: string;
  /** http(s) only (the lockfile and the parsers keep nothing else), or `null`. */
  url: string | null;
}

export interface LicenseView {
  /** As the page prints it. */
  name: string;
  /** The deed the page links, else the one this package knows, or `null`. */
  url: string | null;
  spdx: string;
  shareAlike: boolean;
  /** The `licenses` option allows it (always, without the option). */
  allowed: boolean;
  /** The one the project uses. */
  chosen: boolean;
}

export interface FileView {
  /** The name to import (`battleThemeA.mp3`, `pack.zip/dir/a.wav` for a zip entry). */
  name: string;
  /** What the uploader called it, when that is not `name`. */
  label: string | null;
  size: number | null;
  /** Some import of the project (this session, or the lockfile's specifiers) uses it. */
  imported: boolean;
  /** `null` when the name cannot be imported on its own (see `fileImportLine`). */
  importLine: string | null;
}

/** Paths are relative to the page (`api/media?url=…`): the browser never talks to the site. */
export interface PreviewView {
  image: { src: string; full: string | null } | null;
  audio: { sources: { src: string; type: string }[]; waveform: string | null } | null;
}

export interface AssetView {
  id: string;
  title: string;
  pageUrl: string;
  type: string | null;
  author: PersonView;
  collaborators: PersonView[];
  /** Every license on offer, in page order. */
  licenses: LicenseView[];
  /** The license the project uses, or `null` when the `licenses` option refuses every one. */
  license: string | null;
  /** Why the asset cannot be used (the build's `OGA_LICENSE` message), or `null`. */
  refused: string | null;
  shareAlike: boolean;
  /** The credit line as `oga:credits` gives it (`null` when refused). */
  credit: string | null;
  attribution: string;
  preview: PreviewView | null;
  /** The main file first, then the others by name; zip entries builds used after their zip. */
  files: FileView[];
  importLine: string;
  filesUnavailable: boolean;
}

/**
 * The view of a locked (or lockable) asset. `imported` names the files some import uses;
 * `previews` come from its description when one is at hand.
 */
export function assetView(id: string, asset: LockedAsset, policy: LicensePolicy, imported: { has(name: string): boolean }, previews: readonly Preview[] | null): AssetView {
  let chosen: LicenseFacts | null = null;
  let refused: string | null = null;
  try {
    chosen = policy.choose(id, asset.licenses);
  } catch (error) {
    if (!isOgaError(error, "OGA_LICENSE")) throw error;
    refused = error.message;
  }
  const deeds = asset.licenseUrls ?? {};
  const licenses = asset.licenses.map((name): LicenseView => {
    const facts = licenseFacts(name);
    return {
      name,
      url: (Object.hasOwn(deeds, name) ? deeds[name] : undefined) ?? facts.url,
      spdx: facts.spdx,
      shareAlike: facts.shareAlike,
      allowed: policy.allowed === null || policy.allowed.includes(facts.name),
      chosen: chosen !== null && facts.name.toLowerCase() === chosen.name.toLowerCase(),
    };
  });
  const credit = chosen ? creditFor(id, asset, chosen) : null;
  return {
    id,
    title: asset.title,
    pageUrl: asset.pageUrl,
    type: asset.type,
    author: { name: asset.author.name, url: asset.author.url },
    collaborators: (asset.collaborators ?? []).map((p) => ({ name: p.name, url: p.url })),
    licenses,
    license: chosen?.name ?? null,
    refused,
    shareAlike: chosen?.shareAlike ?? false,
    credit: credit?.text ?? null,
    attribution: asset.attribution,
    preview: previews ? previewView(previews) : null,
    files: fileViews(id, asset, imported),
    importLine: assetImportLine(id),
    filesUnavailable: asset.filesUnavailable === true,
  };
}

function fileViews(id: string, asset: LockedAsset, imported: { has(name: string): boolean }): FileView[] {
  const names = Object.keys(asset.files).sort((a, b) => (a === asset.main ? -1 : b === asset.main ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const view = (name: string, label: string | null, size: number | null): FileView => ({ name, label, size, imported: imported.has(name), importLine: fileImportLine(id, name) });
  return names.flatMap((name) => {
    const file = asset.files[name]!;
    return [view(name, file.label ?? null, file.size), ...usedEntries(name, file.entries).map((entry) => view(entry.path, null, entry.size))];
  });
}

/** The zip entries builds used (the lockfile lists no others), nested zips' entries after their zip. */
function usedEntries(prefix: string, entries: Record<string, LockedEntry> | undefined): { path: string; size: number }[] {
  return Object.entries(entries ?? {}).flatMap(([name, entry]) => [{ path: `${prefix}/${name}`, size: entry.size }, ...usedEntries(`${prefix}/${name}`, entry.entries)]);
}

/** The first picture and the first player of the page, through the dev server. */
function previewView(previews: readonly Preview[]): PreviewView | null {
  let image: PreviewView["image"] = null;
  let audio: PreviewView["audio"] = null;
  for (const preview of previews) {
    if (preview.kind === "image" && !image) {
      const src = mediaPath(preview.thumbnailUrl ?? preview.url) ?? mediaPath(preview.url);
      if (src) image = { src, full: mediaPath(preview.url) };
    } else if (preview.kind === "audio" && !audio) {
      const sources = [
        { url: preview.oggUrl, type: "audio/ogg" },
        { url: preview.mp3Url, type: "audio/mpeg" },
      ].flatMap(({ url, type }) => {
        const src = url ? mediaPath(url) : null;
        return src ? [{ src, type }] : [];
      });
      if (sources.length > 0) audio = { sources, waveform: preview.thumbnailUrl ? mediaPath(preview.thumbnailUrl) : null };
    }
  }
  return image || audio ? { image, audio } : null;
}
