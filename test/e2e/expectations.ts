/**
 * What the browser test expects, derived from the playground's source and the replica's
 * catalogue rather than written down by hand: change either and the expectations follow.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import type { Catalogue, ReplicaAsset } from "../replica/catalogue.js";

/**
 * Every `oga:` specifier imported by the playground's sources (generated declarations excluded),
 * without the `oga:` prefix and without `oga:credits`, which names no asset.
 */
export async function importedSpecifiers(root: string): Promise<string[]> {
  const specifiers = new Set<string>();
  const sourceDir = path.join(root, "src");
  for (const name of await readdir(sourceDir, { recursive: true })) {
    if (!/\.(ts|js)$/.test(name) || name.endsWith(".d.ts")) continue;
    const source = await readFile(path.join(sourceDir, name), "utf8");
    for (const match of source.matchAll(/\bfrom\s+["']oga:([^"']+)["']/g)) {
      if (match[1] !== "credits") specifiers.add(match[1]!);
    }
  }
  return [...specifiers].sort();
}

/** Asset ids of those specifiers: the part before the first `/`. */
export function assetIdsOf(specifiers: readonly string[]): string[] {
  return [...new Set(specifiers.map((specifier) => specifier.split("/")[0]!))].sort();
}

/** Asset ids of every `oga:` import in the playground's sources. */
export async function importedAssetIds(root: string): Promise<string[]> {
  return assetIdsOf(await importedSpecifiers(root));
}

/** Specifiers that reach inside a zip pack (a path segment ending in `.zip`, followed by more). */
export function zipEntrySpecifiers(specifiers: readonly string[]): string[] {
  return specifiers.filter((specifier) => /\.zip\/./i.test(specifier));
}

export interface ExpectedCredit {
  id: string;
  title: string;
  author: string;
  /** Co-authors' names, credited with the author. */
  collaborators: string[];
  licenses: string[];
  /** The page's attribution field as plain text, the way a reader sees it ("" when none). */
  attribution: string;
}

export function expectedCredit(asset: ReplicaAsset): ExpectedCredit {
  const author = asset.author.kind === "submitter" ? asset.submitter.name : asset.author.name;
  return {
    id: asset.slug,
    title: asset.title,
    author,
    collaborators: asset.collaborators.map((user) => user.name),
    licenses: [...asset.licenses],
    attribution: plainText(asset.attribution ?? ""),
  };
}

/** Enough HTML-to-text for the replica's attribution fields: tags dropped, spaces collapsed. */
function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * sha256 of every file of the given assets and of every entry of their zips (nested zips too):
 * whatever the page loads must be one of these. Labels are `<id>/<file name>` and, for an entry,
 * `<id>/<zip name>/<entry path>`, the path an `oga:` import names it by (the zip's name is the
 * last part of its stored path, e.g. `packs/tiles.zip` → `tiles.zip`).
 */
export async function fileHashes(catalogue: Catalogue, ids: readonly string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const id of ids) {
    const asset = catalogue.getAsset(id);
    if (!asset) throw new Error(`the playground imports ${id}, which the replica does not have`);
    for (const file of asset.files) {
      const bytes = await bytesOf(file.open());
      const name = path.posix.basename(file.path);
      hashes.set(sha256(bytes), `${id}/${name}`);
      if (/\.zip$/i.test(name)) {
        for (const [entry, data] of await zipEntries(bytes)) hashes.set(sha256(data), `${id}/${name}/${entry}`);
      }
    }
  }
  return hashes;
}

/**
 * Every file entry of a zip, nested zips flattened to `<inner zip>/<entry>`, read with yauzl
 * (which decodes UTF-8-flagged and CP437 names) rather than through the plugin under test.
 */
async function zipEntries(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", () => resolve());
    zip.on("entry", (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith("/")) return zip.readEntry();
      zip
        .openReadStreamPromise(entry)
        .then(bytesOf)
        .then(async (data) => {
          entries.set(entry.fileName, data);
          if (/\.zip$/i.test(entry.fileName)) {
            for (const [inner, innerData] of await zipEntries(data)) entries.set(`${entry.fileName}/${inner}`, innerData);
          }
          zip.readEntry();
        })
        .catch(reject);
    });
    zip.readEntry();
  });
  return entries;
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
