/**
 * A hostile OpenGameArt: the replica serving pages, files and zips an attacker wrote. Every
 * string on them reaches generated JavaScript, credits, terminals, cache paths or object keys in
 * the games that import them, so each asset holds one kind of attack:
 *
 * - `hostile-names`: file names that are legal on the site but URL syntax (`#`, `%`, `?`, `&`),
 *   object-key traps (`__proto__`, `constructor`), line breaks, terminal escapes and quotes; a
 *   title, author and attribution full of terminal escape sequences; an author link to `javascript:`.
 * - `__proto__`, `constructor`, `toString`: asset ids that are members of every plain object.
 * - `hostile-glob`: a 12 KB name that made glob matching cubic, and a name no file system holds.
 * - `hostile-pack`: a zip whose entries carry the same names, and a zip inside with an overlong one.
 *
 * `startHostileSite()` is the replica with only these assets.
 */
import { png, startReplica, wav, zip, type Replica, type ReplicaAssetDef } from "../replica/index.js";
import { minimalAsset } from "../replica/index.js";

export const ESC = "\u001b";
const BEL = "\u0007";

/**
 * What a terminal must never receive raw: a window title (OSC 0), a screen clear (CSI 2J), a
 * clipboard write (OSC 52), a C1 CSI, a bell and a right-to-left override.
 */
export const TERMINAL_ATTACK = `${ESC}]0;pwned${BEL}${ESC}[2J${ESC}]52;c;cm0gLXJmIH4=${BEL}\u009b31m\u202e`;

/** Characters with a meaning in JavaScript strings, template literals, comments and HTML. */
export const CODE_ATTACK = "\"'`${globalThis.pwned=1}*/</script>\\";

/** The file names of `hostile-names`, all legal on the site. */
export const NAMES = {
  hash: "sound #1.wav",
  percent: "100%.wav",
  ampersand: "a&b.wav",
  question: "what?.wav",
  proto: "__proto__",
  constructor: "constructor",
  newline: "line\nbreak.wav",
  separator: "para\u2028sep.wav",
  terminal: `beep${TERMINAL_ATTACK}.wav`,
  code: "q\"'`${x}.wav",
  cssHash: "sprite #1.png",
  cssPercent: "100% hp.png",
} as const;

/** The glob that took 42 s on a 12 KB name with a backtracking matcher. */
export const SLOW_GLOB = "*_*_*.png";
/** 12 KB of `_` that never ends in `.png`: the worst case for a backtracking `*_*_*.png`. */
export const SLOW_NAME = `${"_".repeat(12_000)}x.pn`;
/** Longer than the 255 bytes a file system allows in one name. */
export const OVERLONG_NAME = `${"b".repeat(300)}.png`;

/** Entries of `hostile-pack/pack.zip`. */
export const PACK_ENTRIES = [NAMES.proto, NAMES.constructor, "toString", NAMES.hash, NAMES.percent, NAMES.newline, NAMES.separator, `dir\u2028with\nbreaks/${NAMES.hash}`] as const;
/** The entry of `hostile-pack/long.zip`. */
export const OVERLONG_ENTRY = `${"c".repeat(300)}.wav`;

/** Asset ids that are members of every plain object. */
export const PROTOTYPE_IDS = ["__proto__", "constructor", "toString"] as const;

const AUTHOR = { name: "Hostile Uploader", slug: "hostile-uploader" };

/** The bytes of a hostile file or zip entry named `name`: distinct per name, so a mixed-up file is noticed. */
export function hostileBytes(name: string): Buffer {
  return name.endsWith(".png") ? png(8, 8, [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)) : Buffer.concat([wav(20, 220 + name.length), Buffer.from(name)]);
}

export function hostileAssets(): ReplicaAssetDef[] {
  return [
    minimalAsset("hostile-names", {
      title: `Hostile Names ${TERMINAL_ATTACK} ${CODE_ATTACK}`,
      submitter: AUTHOR,
      author: { kind: "link", name: `Mallory${TERMINAL_ATTACK}\nInjected line`, url: "javascript:alert(document.cookie)" },
      attribution: `Credit me ${TERMINAL_ATTACK} ${CODE_ATTACK}`,
      files: Object.values(NAMES).map((name) => ({ path: name, body: hostileBytes(name) })),
    }),
    ...PROTOTYPE_IDS.map((id) => minimalAsset(id, { title: `Asset ${id}`, submitter: AUTHOR, files: [{ path: `${id}.png`, body: hostileBytes(`${id}.png`) }] })),
    minimalAsset("hostile-glob", {
      title: "Hostile Glob",
      submitter: AUTHOR,
      files: [
        { path: "a_b_c.png", body: hostileBytes("a_b_c.png") },
        { path: SLOW_NAME, body: hostileBytes("slow") },
        { path: OVERLONG_NAME, body: hostileBytes("overlong") },
      ],
    }),
    minimalAsset("hostile-pack", {
      title: "Hostile Pack",
      submitter: AUTHOR,
      files: [
        { path: "pack.zip", body: () => zip(PACK_ENTRIES.map((name) => ({ name, data: hostileBytes(name) }))) },
        { path: "long.zip", body: () => zip([{ name: OVERLONG_ENTRY, data: hostileBytes("long") }]) },
      ],
    }),
  ];
}

/** The replica with only the hostile assets (the caller closes it). */
export function startHostileSite(): Promise<Replica> {
  return startReplica({ assets: hostileAssets() });
}

/** Whether `text` holds anything a terminal would act on (C0 but tab and LF, DEL, C1, bidi controls). */
export function hasTerminalControls(text: string): boolean {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(text);
}
