/**
 * Zip packs for the archive feature (issue 4): a well-formed pack with folders, a nested zip,
 * odd names (spaces, UTF-8 with the flag, CP437 without it) and junk; and one asset of hostile
 * archives, one attack each, so a test can name exactly which import must fail and why.
 */
import type { ReplicaAssetDef } from "./catalogue.js";
import { png, wav } from "./media.js";
import { zip, type ZipEntry } from "./zip.js";
import { seedOf } from "./media.js";

const submitter = { name: "Kenney", slug: "kenney" };
const postedAt = new Date(Date.UTC(2021, 2, 14, 15, 9));

/** CP437, the DOS code page zip tools used before the UTF-8 flag; only the letters we need. */
const CP437: Record<string, number> = { "é": 0x82, "ú": 0xa3, "Ñ": 0xa5, "ü": 0x81 };

/** `text` encoded as CP437 (ASCII plus the letters above), the way an old Windows zipper stores it. */
export function cp437(text: string): Uint8Array {
  return Uint8Array.from([...text].map((ch) => CP437[ch] ?? (ch.charCodeAt(0) < 0x80 ? ch.charCodeAt(0) : 0x3f)));
}

const tile = (name: string) => png(16, 16, seedOf(name), "tiles");
const JUNK: ZipEntry[] = [
  { name: "__MACOSX/" },
  { name: "__MACOSX/png/._floor.png", data: Buffer.from("\0\x05\x16\x07\0\x02\0\0Mac OS X        ") },
  { name: "png/.DS_Store", data: Buffer.from("\0\0\0\x01Bud1\0\0\0\0") },
  { name: "png/Thumbs.db", data: Buffer.from("\xd0\xcf\x11\xe0thumbs") },
];

/** Entries of `tiles.zip`, by path; tests compare emitted bytes with these. */
export function tilesZipEntries(): ZipEntry[] {
  return [
    { name: "png/" },
    { name: "png/floor.png", data: tile("floor") },
    { name: "png/wall.png", data: tile("wall") },
    { name: "png/door (open).png", data: tile("door"), method: "deflate" },
    { name: "png/Sprites Ünïcödé/héros.png", data: tile("heros") }, // UTF-8, flagged
    { name: "png/menú Ñandú.png", data: tile("nandu"), rawName: { bytes: cp437("png/menú Ñandú.png"), utf8Flag: false } },
    { name: "sfx/step.wav", data: wav(80, 300), method: "deflate" },
    { name: "Read Me.txt", data: Buffer.from("Dungeon pack. CC0.\n") },
    ...JUNK,
  ];
}

/** `extras.zip` holds another zip: `bonus.zip/coin.png`. */
export function bonusZipEntries(): ZipEntry[] {
  return [{ name: "coin.png", data: tile("coin") }, { name: "gem.png", data: tile("gem") }];
}

function extrasZipEntries(): ZipEntry[] {
  return [{ name: "bonus.zip", data: zip(bonusZipEntries()), method: "store" }, { name: "notes.txt", data: Buffer.from("extras\n") }];
}

/** Size of the bomb entry; tests set `archives.maxEntrySize` below it. */
export const BOMB_SIZE = 4 << 20;

/**
 * `amplifier.zip`: a bomb of many entries, each under any sensible `maxEntrySize`, that unpack to
 * ~1000 times the zip's size together (8 × 3 MiB of zeros in ~25 KB).
 */
export const AMPLIFIER_ENTRIES = 8;
export const AMPLIFIER_ENTRY_SIZE = 3 << 20;
function amplifierZip(): Uint8Array {
  const zeros = Buffer.alloc(AMPLIFIER_ENTRY_SIZE);
  return zip([readme, ...Array.from({ length: AMPLIFIER_ENTRIES }, (_, i) => ({ name: `zeros-${i + 1}.bin`, data: zeros, method: "deflate" as const }))]);
}

/** A zip cut short: the central directory and end record are gone. */
function truncatedZip(): Uint8Array {
  const whole = zip([{ name: "a.txt", data: Buffer.from("a".repeat(1000)), method: "store" }, { name: "b.txt", data: Buffer.from("b\n") }]);
  return whole.subarray(0, Math.floor(whole.length / 2));
}

const readme = { name: "readme.txt", data: Buffer.from("nothing to see\n") };

export const PACK_ASSETS: readonly ReplicaAssetDef[] = [
  {
    slug: "dungeon-pack",
    title: "Dungeon Pack",
    type: "2D Art",
    submitter,
    postedAt,
    tags: ["dungeon", "tiles", "pack"],
    licenses: ["CC0"],
    description: "<p>Tiles and a bonus zip inside a zip, as packs often come.</p>",
    files: [
      { path: "packs/tiles.zip", body: () => zip(tilesZipEntries()) },
      { path: "packs/extras.zip", body: () => zip(extrasZipEntries()) },
      { path: "dungeon_preview.png", body: () => tile("preview") },
    ],
  },
  {
    slug: "hostile-packs",
    title: "Hostile Packs",
    type: "Document",
    submitter,
    postedAt,
    tags: ["test"],
    licenses: ["CC0"],
    description: "<p>Archives that try to escape, lie or break. Every import of these must fail.</p>",
    files: [
      { path: "hostile/zip-slip.zip", body: () => zip([readme, { name: "../evil.txt", data: Buffer.from("escaped\n") }]) },
      { path: "hostile/absolute.zip", body: () => zip([readme, { name: "/tmp/oga-absolute-x", data: Buffer.from("escaped\n") }]) },
      { path: "hostile/symlink.zip", body: () => zip([readme, { name: "link", data: Buffer.from("/etc/passwd"), mode: 0o120777 }]) },
      { path: "hostile/bomb.zip", body: () => zip([readme, { name: "bomb.bin", data: Buffer.alloc(BOMB_SIZE), method: "deflate" }]) },
      {
        path: "hostile/lying-bomb.zip",
        body: () => zip([readme, { name: "small.bin", data: Buffer.alloc(BOMB_SIZE), method: "deflate", declaredSize: 1000 }]),
      },
      { path: "hostile/truncated.zip", body: truncatedZip },
      { path: "hostile/amplifier.zip", body: amplifierZip },
    ],
  },
];
