/**
 * The site's fixed vocabularies: art types and licenses, with the search term ids the
 * advanced search form uses and the short names the Python `oga` CLI accepted.
 */

/** An OpenGameArt art type, as the site prints it. */
export type ArtType = "2D Art" | "3D Art" | "Concept Art" | "Texture" | "Music" | "Sound Effect" | "Document";

export interface ArtTypeInfo {
  readonly name: ArtType;
  /** Value of `field_art_type_tid[]` in `/art-search-advanced`. */
  readonly termId: number;
  /** Short name used by the CLI (`--type music`). */
  readonly slug: string;
}

export const ART_TYPES: readonly ArtTypeInfo[] = [
  { name: "2D Art", termId: 9, slug: "2d" },
  { name: "3D Art", termId: 10, slug: "3d" },
  { name: "Concept Art", termId: 7273, slug: "concept" },
  { name: "Texture", termId: 14, slug: "texture" },
  { name: "Music", termId: 12, slug: "music" },
  { name: "Sound Effect", termId: 13, slug: "sfx" },
  { name: "Document", termId: 11, slug: "doc" },
];

/** A license name as the site prints it in `div.license-name`. */
export type KnownLicense =
  | "CC0"
  | "CC-BY 3.0"
  | "CC-BY 4.0"
  | "CC-BY-SA 3.0"
  | "CC-BY-SA 4.0"
  | "OGA-BY 3.0"
  | "OGA-BY 4.0"
  | "GPL 2.0"
  | "GPL 3.0"
  | "LGPL 2.1"
  | "LGPL 3.0";

/** A license id: one of the known names, or the site's text kept verbatim when it is new to us. */
export type LicenseId = KnownLicense | (string & {});

export interface LicenseInfo {
  readonly id: KnownLicense;
  /** Value of `field_art_licenses_tid[]`; `null` where the site's term id is not known. */
  readonly termId: number | null;
  /** Short name used by the CLI (`--license cc-by-40`). */
  readonly slug: string;
  /**
   * The license's deed as the site links it, for credits when the page's own link is not at hand
   * (a lockfile written before deeds were kept). The page's link wins.
   */
  readonly url: string;
  /** The license asks for credit to the author. */
  readonly attribution: boolean;
  /** Derivatives must be shared under the same license (share-alike / copyleft). */
  readonly shareAlike: boolean;
  /**
   * The SPDX identifier. The site names one version of each GNU license and never "or later",
   * so those are `-only`; SPDX lists no OGA-BY license, so those are `LicenseRef-` ids.
   */
  readonly spdx: string;
}

export const LICENSES: readonly LicenseInfo[] = [
  { id: "CC0", termId: 4, slug: "cc0", url: "https://creativecommons.org/publicdomain/zero/1.0/", attribution: false, shareAlike: false, spdx: "CC0-1.0" },
  { id: "CC-BY 4.0", termId: 17981, slug: "cc-by-40", url: "https://creativecommons.org/licenses/by/4.0/", attribution: true, shareAlike: false, spdx: "CC-BY-4.0" },
  { id: "CC-BY 3.0", termId: 2, slug: "cc-by-30", url: "https://creativecommons.org/licenses/by/3.0/", attribution: true, shareAlike: false, spdx: "CC-BY-3.0" },
  { id: "CC-BY-SA 4.0", termId: 17982, slug: "cc-by-sa-40", url: "https://creativecommons.org/licenses/by-sa/4.0/", attribution: true, shareAlike: true, spdx: "CC-BY-SA-4.0" },
  { id: "CC-BY-SA 3.0", termId: 3, slug: "cc-by-sa-30", url: "https://creativecommons.org/licenses/by-sa/3.0/", attribution: true, shareAlike: true, spdx: "CC-BY-SA-3.0" },
  { id: "OGA-BY 3.0", termId: 10310, slug: "oga-by-30", url: "https://static.opengameart.org/OGA-BY-3.0.txt", attribution: true, shareAlike: false, spdx: "LicenseRef-OGA-BY-3.0" },
  { id: "OGA-BY 4.0", termId: 31772, slug: "oga-by-40", url: "https://opengameart.org/content/oga-by-40-faq", attribution: true, shareAlike: false, spdx: "LicenseRef-OGA-BY-4.0" },
  { id: "GPL 3.0", termId: 6, slug: "gpl-30", url: "https://www.gnu.org/licenses/gpl-3.0.html", attribution: true, shareAlike: true, spdx: "GPL-3.0-only" },
  { id: "GPL 2.0", termId: 5, slug: "gpl-20", url: "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html", attribution: true, shareAlike: true, spdx: "GPL-2.0-only" },
  { id: "LGPL 3.0", termId: 8, slug: "lgpl-30", url: "https://www.gnu.org/licenses/lgpl-3.0.html", attribution: true, shareAlike: true, spdx: "LGPL-3.0-only" },
  { id: "LGPL 2.1", termId: 7, slug: "lgpl-21", url: "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html", attribution: true, shareAlike: true, spdx: "LGPL-2.1-only" },
];

export function findArtType(nameOrSlug: string): ArtTypeInfo | undefined {
  const key = nameOrSlug.trim().toLowerCase();
  return ART_TYPES.find((t) => t.name.toLowerCase() === key || t.slug === key);
}

export function findLicense(nameOrSlug: string): LicenseInfo | undefined {
  const key = nameOrSlug.trim().toLowerCase();
  return LICENSES.find((l) => l.id.toLowerCase() === key || l.slug === key);
}
