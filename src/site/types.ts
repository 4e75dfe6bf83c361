import type { ArtType, LicenseId } from "./vocabulary.js";

/** A person as an asset page names them. */
export interface Person {
  /** Site user slug (`/users/<id>`), or `null` for an author outside the site. */
  id: string | null;
  /** Display name. */
  name: string;
  /** Profile page on the site, the author's own site, or `null` when the page gives no link. */
  url: string | null;
}

/** One downloadable file of an asset. */
export interface AssetFile {
  /**
   * The file's name in this project: the decoded last path segment of its URL, unique within the
   * asset (`battleThemeA_0.mp3` when the site renamed a duplicate upload).
   */
  name: string;
  /** The link text on the page (`battleThemeA.mp3`, or a description the uploader gave). */
  label: string;
  /** Absolute download URL. */
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
  /** The page slug (`battle-theme-a`). */
  id: string;
  /** Canonical page URL (`<origin>/content/<id>`). */
  pageUrl: string;
  title: string;
  /** The description as plain text. */
  description: string;
  /** Who made it, as credited. */
  author: Person;
  /** Who uploaded it; the same person as `author` when the submitter is the author. */
  submitter: Person;
  /** Art type, or `null` when the page shows none. */
  type: ArtType | null;
  /** License names, in page order. Several licenses mean the user may pick any one. */
  licenses: LicenseId[];
  tags: string[];
  favorites: number;
  /** Post date as ISO 8601 with the site's US Eastern offset, or `null`. */
  postedAt: string | null;
  /** The asset's own attribution instructions as plain text ("" when none). */
  attribution: string;
  /** Copyright notice as plain text ("" when none). */
  copyrightNotice: string;
  /** Slugs of the collections the asset is in. */
  collections: string[];
  /** Absolute URLs of preview images or audio. */
  previews: string[];
  /** Files in page order; the first is the asset's main file. */
  files: AssetFile[];
  /** The page says its files are withdrawn ("File(s) currently unavailable …"). */
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
}

/** One parsed search page. */
export interface SearchPage {
  results: SearchResult[];
  /** Total number of results from "Displaying 1 - 24 of N", or `null` when absent. */
  total: number | null;
  /** Index of the last page from `li.pager-last`; 0 for a single page. */
  lastPage: number;
}
