/**
 * Deterministic filler assets, so searches page the way they do on the live site (many pages
 * of 24) and every filter has something to keep and something to drop.
 */
import type { ReplicaAssetDef, ReplicaFileDef, ReplicaUser } from "./catalogue.js";
import { ART_TYPES, LICENSES, type ArtType } from "../../src/site/vocabulary.js";
import { png, prng, pseudoRandomBytes, seedOf, silentMp3, wav } from "./media.js";

const ADJECTIVES = ["Pixel", "Dark", "Retro", "Cozy", "Frozen", "Ancient", "Neon", "Tiny", "Epic", "Haunted", "Sunny", "Lost"];
const NOUNS: Record<ArtType, string[]> = {
  "2D Art": ["Knight Sprites", "Slime Pack", "Icons", "Platformer Tiles", "Portraits"],
  "3D Art": ["Low Poly Tree", "Barrel", "Spaceship", "Castle Wall"],
  "Concept Art": ["City Sketch", "Creature Concept", "Landscape Painting"],
  Texture: ["Stone Texture", "Grass Texture", "Metal Plates"],
  Music: ["Overworld Theme", "Boss Battle", "Town Music", "Victory Fanfare", "Dungeon Loop"],
  "Sound Effect": ["Footsteps", "Sword Swings", "UI Clicks", "Magic Spells"],
  Document: ["Tutorial", "Style Guide"],
};
const TAGS = ["Battle", "epic", "pixel art", "loop", "rpg", "fantasy", "sci-fi", "retro", "8-bit", "ambient", "metal gear", "ui"];
const SUBMITTERS: ReplicaUser[] = [
  { name: "Ansimuz", slug: "ansimuz" },
  { name: "Buch", slug: "buch" },
  { name: "Clint Bellanger", slug: "clint-bellanger" },
  { name: "qubodup", slug: "qubodup" },
  { name: "Écrivain Sonore", slug: "ecrivain-sonore" },
  { name: "surt", slug: "surt" },
];
/** License sets as uploaders pick them: mostly one, sometimes the usual pairs and triples. */
const LICENSE_SETS: string[][] = [
  ["CC0"],
  ["CC-BY 3.0"],
  ["CC-BY 4.0"],
  ["CC-BY-SA 3.0"],
  ["CC-BY-SA 4.0", "GPL 3.0"],
  ["OGA-BY 3.0"],
  ["CC-BY 3.0", "CC-BY-SA 3.0", "GPL 3.0"],
  ["GPL 2.0", "LGPL 2.1"],
  ["LGPL 3.0"],
  ["CC0", "OGA-BY 3.0"],
];

export const FILLER_COUNT = 84;

function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function fillerFile(type: ArtType, base: string, index: number): ReplicaFileDef {
  switch (type) {
    case "Music":
      return { path: `${base}.mp3`, body: () => silentMp3(0.5), downloads: index * 7 };
    case "Sound Effect":
      return { path: `${base}.wav`, body: () => wav(80, 300 + index * 10), downloads: index * 5 };
    case "2D Art":
    case "Texture":
      return { path: `${base}.png`, body: () => png(16 + (index % 3) * 16, 16, seedOf(base), "checker"), downloads: index * 3 };
    default:
      return { path: `${base}.zip`, body: () => pseudoRandomBytes(seedOf(base), 512 + index), downloads: index };
  }
}

export function fillerAssets(count = FILLER_COUNT): ReplicaAssetDef[] {
  const next = prng(0x06a);
  const pick = <T>(items: readonly T[]): T => items[next() % items.length] as T;
  const seen = new Map<string, number>();
  const out: ReplicaAssetDef[] = [];
  for (let i = 0; i < count; i++) {
    const type = ART_TYPES[i % ART_TYPES.length]!.name;
    const title = `${pick(ADJECTIVES)} ${pick(NOUNS[type])}`;
    // Repeated titles get -0, -1 … like Drupal's pathauto (`rpg-battle-theme-the-last-encounter-0`).
    const base = slugify(title);
    const n = seen.get(base);
    seen.set(base, (n ?? -1) + 1);
    const slug = n === undefined ? base : `${base}-${n}`;
    const tagCount = next() % 4; // some assets have no tags at all
    const tags = [...new Set(Array.from({ length: tagCount }, () => pick(TAGS)))];
    const licenses = pick(LICENSE_SETS);
    const submitter = pick(SUBMITTERS);
    const postedAt = new Date(Date.UTC(2009 + (i % 15), next() % 12, 1 + (next() % 28), next() % 24, next() % 60));
    const def: ReplicaAssetDef = {
      slug,
      nodeId: 20_000 + i,
      title,
      type,
      submitter,
      postedAt,
      tags,
      licenses,
      description: `<p>${title}, made for a game jam. ${type} by ${submitter.name}.</p>`,
      favorites: next() % 300,
      views: next() % 60_000,
      files: [fillerFile(type, slug.replace(/-/g, "_"), i)],
    };
    if (licenses.some((l) => LICENSES.find((info) => info.id === l)?.attribution)) def.attribution = `Credit ${submitter.name}`;
    if (type === "Music") def.author = { kind: "link", name: `${submitter.name} Music`, url: `https://${submitter.slug}.example/` };
    out.push(def);
  }
  return out;
}
