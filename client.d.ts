// Types for `oga:` imports before the first build, like `vite/client`:
//   /// <reference types="vite-plugin-oga/client" />   or   "types": ["vite-plugin-oga/client"]
// The plugin then generates `oga-env.d.ts` with exact names, which win over this pattern.

declare module "oga:*" {
  /**
   * URL of the asset's main file or of one file (`oga:<id>/<file>`), or a `{ name: url }` record
   * for a glob. One pattern cannot tell these apart, so the type admits both uses.
   */
  const value: string & { readonly [name: string]: string };
  export default value;
  /** `{ [file name]: url }` for every file of the asset (`oga:<id>` only). */
  export const files: Readonly<Record<string, string>>;
  /** Who made the asset and under which licenses (`oga:<id>` only). */
  export const meta: {
    readonly id: string;
    readonly title: string;
    readonly author: { readonly name: string; readonly url: string | null };
    /** Co-authors named on the page; credit them with the author. */
    readonly collaborators: readonly { readonly name: string; readonly url: string | null }[];
    readonly licenses: readonly string[];
    readonly attribution: string;
    /** The canonical page, `https://opengameart.org/content/<id>`, also when built from a mirror. */
    readonly pageUrl: string;
  };
}

/** Every OpenGameArt asset in the bundle, sorted by id; an exact name, so it beats `oga:*`. */
declare module "oga:credits" {
  /** One credited asset (the same records as `credits.json`). */
  export interface Credit {
    /** Asset id (page slug). */
    readonly id: string;
    readonly title: string;
    readonly pageUrl: string;
    /** `url`: profile page or the author's own site, `null` when the page gives none. */
    readonly author: { readonly name: string; readonly url: string | null };
    /** Site users who made the asset with the author: credit them beside the author. */
    readonly collaborators: readonly { readonly name: string; readonly url: string | null }[];
    /** The license this project uses: the first of the `licenses` option the asset is offered under. */
    readonly license: string;
    /** Its deed as the asset's page links it, `null` for a license the plugin does not know. */
    readonly licenseUrl: string | null;
    /** Its SPDX identifier: `"CC0-1.0"`, `"CC-BY-4.0"`, `"GPL-3.0-only"`, `"LicenseRef-OGA-BY-3.0"`… */
    readonly spdx: string;
    /** The chosen license asks derivatives to be shared alike (CC-BY-SA, GPL, LGPL). */
    readonly shareAlike: boolean;
    /** Every license the asset is offered under, in page order. */
    readonly licenses: readonly string[];
    /** The author's attribution instructions as plain text, `""` when none. */
    readonly attribution: string;
    /** Ready-made line: `"Title" by Author and Collaborator, licensed X (deed URL), from page URL`. */
    readonly text: string;
  }
  export const credits: readonly Credit[];
  export default credits;
}
