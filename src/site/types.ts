import type { ArtType, LicenseId } from "./vocabulary.js";

/** A person as an asset page names them. */
export interface Person {
  /** Site user slug (`/users/<id>`), or `null` for an author outside the site. */
  id: string | null;
  /** Display name. */
  name: string;
  /**
   * Profile page on the site (`https://opengameart.org/users/<id>`), the author's own site, or
   * `null` when the page gives no link or one that is not `http:`/`https:`.
   */
  url: string | null;
}

/**
 * A preview shown on an asset page. Image previews are the full image (`url`) with the site's
 * thumbnail; audio previews are what the page's player plays (no `<audio>` element on the site:
 * `data-ogg-url` / `data-mp3-url` on its play button) with the waveform picture as thumbnail.
 * Previews are not asset files: they are never downloaded or locked.
 */
export type Preview =
  | {
      kind: "image";
      /** The full image. */
      url: string;
      /** The site's smaller rendering of it (`…/styles/medium/public/…`), or `null`. */
      thumbnailUrl: string | null;
    }
  | {
      kind: "audio";
      /** The playable preview: the Ogg Vorbis one when the page gives it, else the MP3. */
      url: string;
      oggUrl: string | null;
      mp3Url: string | null;
      /** The waveform picture, or `null`. */
      thumbnailUrl: string | null;
    };

/** One downloadable file of an asset. */
export interface AssetFile {
  /**
   * The file's name in this project: the decoded last path segment of its URL, unique within the
   * asset (`battleThemeA_0.mp3` when the site renamed a duplicate upload).
   */
  name: string;
  /**
   * What the uploader called the file: the link's `download` attribute (the name as uploaded,
   * `battleThemeA.mp3` for `battleThemeA_0.mp3`), else the link text (which may be a description).
   */
  label: string;
  /** Absolute download URL, on `https://opengameart.org` for the site's own files (also when read from a mirror). */
  url: string;
  /** Size in bytes from the link's `type="…; length=N"`, or `null` when the page does not say. */
  size: number | null;
  /** MIME type from the link's `type` attribute, or `null`. */
  mime: string | null;
  /** Download count shown next to the link, or `null`. */
  downloads: number | null;
}

/** Everything an asset page says about an asset. */
export interface Asset {
  /**
   * The asset id that was asked for (`battle-theme-a`); for a `/node/<n>` request, the slug the
   * page's canonical link gives (else `node/<n>`).
   */
  id: string;
  /** Canonical page URL, `https://opengameart.org/content/<id>`, also when read from a mirror. */
  pageUrl: string;
  title: string;
  /** The description as plain text. */
  description: string;
  /** Who made it, as credited. */
  author: Person;
  /** Who uploaded it; the same person as `author` when the submitter is the author. */
  submitter: Person;
  /** Site users who made it together with the author (the page's "Collaborators"), in page order. */
  collaborators: Person[];
  /** Art type, or `null` when the page shows none. */
  type: ArtType | null;
  /** License names, in page order. Several licenses mean the user may pick any one. */
  licenses: LicenseId[];
  /**
   * The deed each license links to on the page, by license name (only `http:`/`https:` links;
   * e.g. `"OGA-BY 3.0"` → `https://static.opengameart.org/OGA-BY-3.0.txt`). A null-prototype
   * record when parsed; look names up with `Object.hasOwn`.
   */
  licenseUrls: Record<string, string>;
  tags: string[];
  favorites: number;
  /**
   * Post date as ISO 8601 with its offset (`2013-12-15T12:43:00-08:00`): from the page head when
   * it says, else the shown date read as US Pacific time (the site's zone). `null` when neither.
   */
  postedAt: string | null;
  /** Last change of the page (`og:updated_time`), ISO 8601, or `null`. */
  updatedAt: string | null;
  /** The asset's own attribution instructions as plain text ("" when none). */
  attribution: string;
  /** Copyright notice as plain text ("" when none). */
  copyrightNotice: string;
  /** Slugs of the collections the asset is in. */
  collections: string[];
  /** Previews in page order: one per image (full image + thumbnail), one per audio player. */
  previews: Preview[];
  /** Files in page order; the first is the asset's main file. */
  files: AssetFile[];
  /** The site withholds the files ("File(s) currently unavalable due to potential licensing issues", sic). */
  filesUnavailable: boolean;
}

/** The public filters of a search; every field is optional. */
export interface SearchFilters {
  /** Words anywhere on the page. */
  keys?: string;
  /** Words in the title. */
  title?: string;
  /** Submitter name begins with or contains this. */
  submitter?: string;
  /** Sort order: favorites, creation date, views, or relevance (needs `keys`). Default: favorites. */
  sortBy?: SortBy;
  /** Largest first. Default `true`. */
  descending?: boolean;
  /** Any of these art types (names like `"Music"` or CLI slugs like `"music"`). */
  types?: string[];
  /** Any of these licenses (`"CC0"`, `"CC-BY 4.0"`, or CLI slugs like `"cc-by-40"`). */
  licenses?: string[];
  /** Tag names, combined by `tagOperation`. */
  tags?: string[];
  /** How `tags` combine. Default `"or"`. */
  tagOperation?: TagOperation;
  /** Stop after this many result pages. Default: no limit. */
  pageLimit?: number;
  /** Results per page (the site offers 24, 48; the Python library used 144). Default 144. */
  itemsPerPage?: number;
}

export type SortBy = "favorites" | "created" | "views" | "relevance";
export type TagOperation = "or" | "and" | "not" | "empty" | "not empty";

/** One row of a search result page. */
export interface SearchResult {
  id: string;
  title: string;
  pageUrl: string;
  /**
   * The picture the row shows (http(s) only, canonical like every site link): the preview's
   * thumbnail (`…/styles/thumbnail/public/…`), the theme's stand-in for audio, or `null`.
   */
  thumbnailUrl: string | null;
}

/** Where a search stands after a result page: its 0-based index, the last page's, and the total shown. */
export interface SearchProgress {
  page: number;
  lastPage: number;
  total: number | null;
}

/** One parsed search page. */
export interface SearchPage {
  results: SearchResult[];
  /** Total number of results from "Displaying 1 - 24 of N", or `null` when absent. */
  total: number | null;
  /** Index of the last page from `li.pager-last`; 0 for a single page. */
  lastPage: number;
}
