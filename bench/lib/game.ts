/**
 * The generated game: N replica assets of four files each (a sprite, a sound, a music track, a
 * text file) with sizes drawn log-uniformly from fixed ranges, so the mix of small and large files
 * is the same in every run. The oga game imports each asset's `files`; the local game imports the
 * same bytes from src/assets, one import per file, into the same records.
 */
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { encodePath } from "../../test/replica/html.js";
import { minimalAsset, type Catalogue, type ReplicaAssetDef } from "../../test/replica/index.js";

export interface GameFile {
  slug: string;
  name: string;
  /** Stored path under /sites/default/files/. */
  storedPath: string;
  size: number;
}

/** Bytes per kind: [smallest, largest]. A game's music dominates its weight, as in real games. */
const KINDS = [
  { name: "sprite", ext: "png", range: [1_000, 64_000] },
  { name: "sound", ext: "wav", range: [20_000, 1_000_000] },
  { name: "music", ext: "ogg", range: [500_000, 6_000_000] },
  { name: "readme", ext: "txt", range: [200, 4_000] },
] as const;

/** mulberry32: a tiny deterministic PRNG, so every run builds the same game. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gameFiles(assetCount: number): GameFile[] {
  const random = prng(7);
  const files: GameFile[] = [];
  for (let i = 0; i < assetCount; i++) {
    const slug = `bench-asset-${String(i).padStart(2, "0")}`;
    for (const kind of KINDS) {
      const [min, max] = kind.range;
      const size = Math.round(min * Math.pow(max / min, random()));
      const name = `${kind.name}-${i}.${kind.ext}`;
      files.push({ slug, name, storedPath: `bench/${slug}/${name}`, size });
    }
  }
  return files;
}

export function gameAssetDefs(files: readonly GameFile[]): ReplicaAssetDef[] {
  const bySlug = groupBySlug(files);
  return [...bySlug].map(([slug, own], i) =>
    minimalAsset(slug, {
      files: own.map((f) => ({ path: f.storedPath, body: { generate: { size: f.size, seed: 1000 + i } } })),
    }),
  );
}

export function fileUrl(origin: string, file: GameFile): string {
  return `${origin}/sites/default/files/${encodePath(file.storedPath)}`;
}

function groupBySlug(files: readonly GameFile[]): Map<string, GameFile[]> {
  const bySlug = new Map<string, GameFile[]>();
  for (const f of files) bySlug.set(f.slug, [...(bySlug.get(f.slug) ?? []), f]);
  return bySlug;
}

/** `src/main.js` importing every asset's `files` record through `oga:`. */
export async function writeOgaGame(root: string, files: readonly GameFile[]): Promise<void> {
  const slugs = [...groupBySlug(files).keys()];
  const lines = slugs.map((slug, i) => `import { files as a${i} } from ${JSON.stringify(`oga:${slug}`)};`);
  lines.push(`globalThis.__bench = [${slugs.map((_, i) => `a${i}`).join(", ")}];`);
  await mkdir(path.join(root, "src"), { recursive: true });
  await writeFile(path.join(root, "src/main.js"), lines.join("\n") + "\n");
}

/**
 * The same game with the files copied into `src/assets/<slug>/` and imported one by one, in the
 * order an `oga:` asset module imports them (by name), so both games' first import of an asset is
 * the same file (the dev benchmark walks to it).
 */
export async function writeLocalGame(root: string, files: readonly GameFile[], catalogue: Catalogue): Promise<void> {
  const lines: string[] = [];
  const records: string[] = [];
  for (const [i, [slug, own]] of [...groupBySlug(files)].entries()) {
    const dir = path.join(root, "src/assets", slug);
    await mkdir(dir, { recursive: true });
    const entries: string[] = [];
    for (const [j, f] of [...own].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).entries()) {
      const body = catalogue.findFile(slug, f.name)?.open();
      if (body === undefined) throw new Error(`replica has no ${slug}/${f.name}`);
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(path.join(dir, f.name)));
      lines.push(`import a${i}f${j} from ${JSON.stringify(`./assets/${slug}/${f.name}`)};`);
      entries.push(`${JSON.stringify(f.name)}: a${i}f${j}`);
    }
    records.push(`{ ${entries.join(", ")} }`);
  }
  lines.push(`globalThis.__bench = [${records.join(", ")}];`);
  await writeFile(path.join(root, "src/main.js"), lines.join("\n") + "\n");
}
