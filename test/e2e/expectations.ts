/**
 * What the browser test expects, derived from the playground's source and the replica's
 * catalogue rather than written down by hand: change either and the expectations follow.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Catalogue, ReplicaAsset } from "../replica/catalogue.js";

/** Asset ids of every `oga:` import in the playground's sources (generated declarations excluded). */
export async function importedAssetIds(root: string): Promise<string[]> {
  const ids = new Set<string>();
  const sourceDir = path.join(root, "src");
  for (const name of await readdir(sourceDir, { recursive: true })) {
    if (!/\.(ts|js)$/.test(name) || name.endsWith(".d.ts")) continue;
    const source = await readFile(path.join(sourceDir, name), "utf8");
    for (const match of source.matchAll(/\bfrom\s+["']oga:([^"'/]+)/g)) {
      if (match[1] !== "credits") ids.add(match[1]!);
    }
  }
  return [...ids].sort();
}

export interface ExpectedCredit {
  id: string;
  title: string;
  author: string;
  licenses: string[];
  /** The page's attribution field as plain text, the way a reader sees it ("" when none). */
  attribution: string;
}

export function expectedCredit(asset: ReplicaAsset): ExpectedCredit {
  const author = asset.author.kind === "submitter" ? asset.submitter.name : asset.author.name;
  return { id: asset.slug, title: asset.title, author, licenses: [...asset.licenses], attribution: plainText(asset.attribution ?? "") };
}

/** Enough HTML-to-text for the replica's attribution fields: tags dropped, spaces collapsed. */
function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** sha256 of every file of the given assets: whatever the page loads must be one of these. */
export async function fileHashes(catalogue: Catalogue, ids: readonly string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const id of ids) {
    const asset = catalogue.getAsset(id);
    if (!asset) throw new Error(`the playground imports ${id}, which the replica does not have`);
    for (const file of asset.files) hashes.set(sha256(await bytesOf(file.open())), `${id}/${file.path}`);
  }
  return hashes;
}

async function bytesOf(body: Readable | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
