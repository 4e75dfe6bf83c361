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
    readonly licenses: readonly string[];
    readonly attribution: string;
    readonly pageUrl: string;
  };
}
