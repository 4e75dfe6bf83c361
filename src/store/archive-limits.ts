/**
 * What the rest of the package needs to know about archives without reading one: which names are
 * zips, how deep they nest, and the default limits. Apart from archive.ts so that options and
 * declarations do not load the zip code, which a build without zips never runs.
 */

/** How deep zips inside zips are followed (the plugin and the CLI alike); real packs nest once at most. */
export const MAX_ARCHIVE_DEPTH = 4;

/** Whether a file name is an archive this package can look into. */
export function isArchiveName(name: string): boolean {
  return /\.zip$/i.test(name);
}

/** Most bytes one zip may hold unpacked unless configured otherwise: above any real pack on the site (tens to hundreds of MB zipped), far below a disk. */
export const DEFAULT_MAX_TOTAL_SIZE = 4 * 1024 ** 3;
/** Most bytes unpacked per byte zipped unless configured otherwise: art and audio compress a few times at most; deflate bombs reach ~1000. */
export const DEFAULT_MAX_RATIO = 100;
/** Largest entry extracted unless configured otherwise: far above any game asset, far below a disk. */
export const DEFAULT_MAX_ENTRY_SIZE = 1024 * 1024 * 1024;
