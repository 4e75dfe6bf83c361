/**
 * Which of an asset's licenses the project uses. OpenGameArt assets are often offered under
 * several licenses at once and the user may pick any one; the `licenses` option is an allow-list
 * in preference order. Framework-free: the plugin and `oga credits` share it.
 */
import { OgaError } from "../errors.js";
import { LICENSES, findLicense, type LicenseInfo } from "../site/vocabulary.js";

/** What we know about one license name: its deed and obligations, or `null`s for a name new to us. */
export interface LicenseFacts {
  /** The name as the site prints it (`"CC-BY 3.0"`). */
  name: string;
  /** The license deed, or `null` for a license this package does not know. */
  url: string | null;
  /** Credit to the author is required. Unknown licenses count as requiring it (the safe guess). */
  attribution: boolean;
  /** Derivatives must be shared alike (CC-BY-SA, GPL, LGPL). Unknown licenses count as not. */
  shareAlike: boolean;
  /** The SPDX identifier (`CC-BY-4.0`, `LicenseRef-OGA-BY-3.0`; see {@link spdxId}). */
  spdx: string;
}

/** Facts about a license name; tolerant of case and CLI slugs (`cc-by-30`). */
export function licenseFacts(name: string): LicenseFacts {
  const known = findLicense(name);
  if (!known) return { name, url: null, attribution: true, shareAlike: false, spdx: spdxId(name) };
  return { name: known.id, url: known.url, attribution: known.attribution, shareAlike: known.shareAlike, spdx: known.spdx };
}

/** Longest `LicenseRef-` suffix made from a name we do not know (the name is the uploader's text). */
const MAX_REF_LENGTH = 64;

/**
 * The SPDX identifier of a license name: the SPDX list's id for the licenses the site offers
 * (`CC0` → `CC0-1.0`, `GPL 3.0` → `GPL-3.0-only`), `LicenseRef-OGA-BY-3.0` / `-4.0` for the
 * OGA-BY licenses SPDX does not list, and `LicenseRef-<name>` for a name new to us, cut down to
 * SPDX's idstring alphabet (letters, digits, `-` and `.`): accents dropped, other runs of
 * characters one `-` (`"Domínio Público"` → `LicenseRef-Dominio-Publico`).
 */
export function spdxId(name: string): string {
  const known = findLicense(name);
  if (known) return known.spdx;
  const ref = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9.]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, MAX_REF_LENGTH)
    .replace(/[-.]+$/, "");
  return `LicenseRef-${ref || "unknown"}`;
}

/**
 * Without an allow-list the most permissive license wins: no attribution, then attribution only,
 * then share-alike/copyleft, then names we do not know. Ties keep the page's order.
 */
function permissiveness(name: string): number {
  const known = findLicense(name);
  if (!known) return 3;
  return known.shareAlike ? 2 : known.attribution ? 1 : 0;
}

/** Chooses one license per asset. */
export interface LicensePolicy {
  /** The allow-list as canonical names, or `null` when every license is allowed. */
  readonly allowed: readonly string[] | null;
  /**
   * The license used for an asset offered under `licenses` (page order).
   * @throws OgaError `OGA_LICENSE` naming the asset, its licenses and the allowed ones.
   */
  choose(assetId: string, licenses: readonly string[]): LicenseFacts;
}

/**
 * Builds the policy for the `licenses` option. Entries are license names as the site prints them
 * (`"CC-BY 4.0"`) or the CLI's slugs (`"cc-by-40"`), case-insensitive.
 *
 * @throws OgaError `OGA_BAD_INPUT` for a name no license has: a typo would otherwise refuse
 * every asset offered under the license the user meant.
 */
export function createLicensePolicy(allow: readonly string[] | undefined, widen = "add one of its licenses to the plugin's `licenses` option"): LicensePolicy {
  if (allow === undefined) {
    return {
      allowed: null,
      choose(assetId, licenses) {
        const ranked = [...licenses].sort((a, b) => permissiveness(a) - permissiveness(b));
        // An asset page with no license at all cannot be shipped with a clear conscience either.
        if (ranked[0] === undefined) throw refused(assetId, licenses, null);
        return licenseFacts(ranked[0]);
      },
    };
  }
  const allowed = allow.map((entry) => {
    const known: LicenseInfo | undefined = findLicense(entry);
    if (!known) {
      throw new OgaError("OGA_BAD_INPUT", `licenses: "${entry}" is not a license this package knows; use one of ${LICENSES.map((l) => l.id).join(", ")} (or their slugs: ${LICENSES.map((l) => l.slug).join(", ")}).`);
    }
    return known.id;
  });
  return {
    allowed,
    choose(assetId, licenses) {
      const offered = new Set(licenses.map((name) => findLicense(name)?.id ?? name));
      const pick = allowed.find((name) => offered.has(name));
      if (pick === undefined) throw refused(assetId, licenses, allowed, widen);
      return licenseFacts(pick);
    },
  };
}

/** `widen` says how the user allows more licenses where the policy came from (plugin option or CLI flag). */
function refused(assetId: string, licenses: readonly string[], allowed: readonly string[] | null, widen = ""): OgaError {
  const offered = licenses.length ? licenses.join(", ") : "no license at all";
  if (allowed === null) return new OgaError("OGA_LICENSE", `asset "${assetId}" is offered under ${offered}, so it cannot be credited or shipped.`);
  return new OgaError(
    "OGA_LICENSE",
    `asset "${assetId}" is offered under ${offered}; none of them is in the allowed licenses (${allowed.join(", ") || "none"}). Use another asset, or ${widen}.`,
  );
}
