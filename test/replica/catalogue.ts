/**
 * The replica's data: assets (art and collections) and the site-wide files directory.
 * Mutable at run time so tests can add, change and withdraw assets and files between requests.
 */
import type { Readable } from "node:stream";
import type { ArtType } from "../../src/site/vocabulary.js";
import { generatedRange, generatedBytes, seedOf } from "./media.js";

/** A site account: display name and `/users/<slug>` (the slug is not the display name). */
export interface ReplicaUser {
  name: string;
  slug: string;
}

/** The three author shapes of `.field-name-author-submitter`. */
export type ReplicaAuthor =
  | { kind: "submitter" } // shape 1: the submitter is the author
  | { kind: "link"; name: string; url: string } // shape 2: an outside author with a link
  | { kind: "text"; name: string }; // shape 3: an outside author as plain text

/**
 * A file body: bytes, a lazy builder (run once, on first use, so startup stays quick),
 * or a generated stream of any size that is never held in memory.
 */
export type FileBody = Uint8Array | (() => Uint8Array) | { generate: { size: number; seed?: number } };

export interface ReplicaFileDef {
  /** Path under `/sites/default/files/` as stored (`battleThemeA_0.mp3`, `musicpacks/x.zip`). */
  path: string;
  body: FileBody;
  /**
   * The name as uploaded (the link's `download` attribute, and its text unless `describedAs`);
   * default the stored file name. A renamed duplicate (`battleThemeA_0.mp3`) gives the name as
   * uploaded here (`battleThemeA.mp3`): only the site knows which `_N` it added.
   */
  label?: string;
  /** The uploader's description used as link text; the link then carries `title="<filename>"`. */
  describedAs?: string;
  /** Default: from the extension. */
  mime?: string;
  mtime?: Date;
  downloads?: number;
  /** Serve the link from another origin (`http://files.elsewhere.test`); the replica never serves it. */
  host?: string;
}

export interface ReplicaAssetDef {
  slug: string;
  /** `/node/<n>` alias; default: the next free number. */
  nodeId?: number;
  title: string;
  /** A collection lists other assets (`members`) instead of files. Default `"art"`. */
  kind?: "art" | "collection";
  type?: ArtType | null;
  submitter: ReplicaUser;
  author?: ReplicaAuthor;
  /** Site users credited as co-authors (`.field-name-field-collaborators`). */
  collaborators?: ReplicaUser[];
  /** The uploader's Patreon page (a field between the date and the art type); default none. */
  patreon?: string | null;
  postedAt: Date;
  /** Last edit (`og:updated_time`); default the post date. */
  updatedAt?: Date;
  tags?: string[];
  licenses?: string[];
  /** HTML. */
  description?: string;
  /** HTML; omitted means no attribution field at all. */
  attribution?: string;
  /** HTML; omitted means no copyright notice field. */
  copyrightNotice?: string;
  favorites?: number;
  views?: number;
  /**
   * Paths under `/sites/default/files/` of previews: images get a lightbox link around their
   * thumbnail, audio (by extension) the site's player with `data-ogg-url` / `data-mp3-url`.
   */
  previews?: string[];
  files?: ReplicaFileDef[];
  /** The page shows the site's "File(s) currently unavalable …" notice instead of the files field. */
  filesUnavailable?: boolean;
  /** `"relative"` renders root-relative file links (the parser must accept both). */
  fileHrefs?: "absolute" | "relative";
  /** Collection members (slugs), in order. */
  members?: string[];
  /** Number of comments; more than 50 gives the comments their own pager. */
  comments?: number;
}

export interface ReplicaFile {
  readonly asset: string;
  readonly path: string;
  /** The name as uploaded (`download` attribute). */
  readonly label: string;
  /** Drupal's file id (`data-fid`). */
  readonly fid: number;
  readonly describedAs: string | null;
  readonly mime: string;
  readonly host: string | null;
  readonly downloads: number;
  mtime: Date;
  readonly size: number;
  /** Bytes `[start, end)` as a stream. */
  open(start?: number, end?: number): Readable | Buffer;
}

export interface ReplicaAsset extends Omit<Required<ReplicaAssetDef>, "files" | "attribution" | "copyrightNotice" | "author" | "patreon"> {
  author: ReplicaAuthor;
  patreon: string | null;
  attribution: string | null;
  copyrightNotice: string | null;
  files: ReplicaFile[];
}

const MIME_BY_EXTENSION: Record<string, string> = {
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  wav: "audio/x-wav",
  flac: "audio/flac",
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
  zip: "application/zip",
  txt: "text/plain",
};

export function mimeOf(name: string): string {
  const extension = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  return MIME_BY_EXTENSION[extension] ?? "application/octet-stream";
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** A file whose content can be replaced: `setFileContent` swaps the body and moves mtime on. */
let nextFid = 38_000;

class StoredFile implements ReplicaFile {
  readonly asset: string;
  readonly path: string;
  readonly label: string;
  readonly fid = nextFid++;
  readonly describedAs: string | null;
  readonly mime: string;
  readonly host: string | null;
  readonly downloads: number;
  mtime: Date;
  #body: FileBody;
  #bytes: Buffer | null = null;

  constructor(asset: string, def: ReplicaFileDef) {
    this.asset = asset;
    this.path = def.path;
    this.label = def.label ?? basename(def.path);
    this.describedAs = def.describedAs ?? null;
    this.mime = def.mime ?? mimeOf(def.path);
    this.host = def.host ?? null;
    this.downloads = def.downloads ?? 0;
    // Apache ETags carry mtime in microseconds; whole seconds keep Last-Modified exact.
    this.mtime = def.mtime ?? new Date(Date.UTC(2012, 5, 29, 18, 51, 0));
    this.#body = def.body;
  }

  get size(): number {
    const body = this.#body;
    if (typeof body === "object" && "generate" in body) return body.generate.size;
    return this.bytes().length;
  }

  replace(body: FileBody): void {
    this.#body = body;
    this.#bytes = null;
    // The next whole second at least, so both ETag and Last-Modified change even when a test
    // replaces a file twice within one second.
    const next = Math.max(Date.now(), this.mtime.getTime() + 1000);
    this.mtime = new Date(Math.ceil(next / 1000) * 1000);
  }

  private bytes(): Buffer {
    if (!this.#bytes) {
      const body = this.#body;
      if (typeof body === "function") this.#bytes = Buffer.from(body());
      else if (body instanceof Uint8Array) this.#bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      else this.#bytes = generatedBytes(body.generate.seed ?? seedOf(this.path), body.generate.size);
    }
    return this.#bytes;
  }

  open(start = 0, end = this.size): Readable | Buffer {
    const body = this.#body;
    if (typeof body === "object" && "generate" in body) {
      return generatedRange(body.generate.seed ?? seedOf(this.path), start, end);
    }
    return this.bytes().subarray(start, end);
  }
}

export class Catalogue {
  #assets = new Map<string, ReplicaAsset>();
  #nodes = new Map<number, string>();
  /** The site-wide files directory: one stored path belongs to exactly one asset. */
  #files = new Map<string, StoredFile>();

  constructor(defs: readonly ReplicaAssetDef[] = []) {
    for (const def of defs) this.addAsset(def);
  }

  slugs(): string[] {
    return [...this.#assets.keys()];
  }

  assets(): ReplicaAsset[] {
    return [...this.#assets.values()];
  }

  getAsset(slug: string): ReplicaAsset | undefined {
    return this.#assets.get(slug);
  }

  getByNode(nodeId: number): ReplicaAsset | undefined {
    const slug = this.#nodes.get(nodeId);
    return slug === undefined ? undefined : this.#assets.get(slug);
  }

  /** Collections that list `slug`, in catalogue order. */
  collectionsOf(slug: string): ReplicaAsset[] {
    return this.assets().filter((a) => a.kind === "collection" && a.members.includes(slug));
  }

  /** The file stored at a path under `/sites/default/files/` (decoded), if the replica serves it. */
  fileAt(path: string): ReplicaFile | undefined {
    const file = this.#files.get(path);
    return file && file.host === null ? file : undefined;
  }

  addAsset(def: ReplicaAssetDef): ReplicaAsset {
    if (this.#assets.has(def.slug)) throw new Error(`replica: asset ${def.slug} exists already`);
    const nodeId = def.nodeId ?? Math.max(1000, ...this.#nodes.keys()) + 1;
    if (this.#nodes.has(nodeId)) throw new Error(`replica: node ${nodeId} exists already`);
    // Uploads default to the post date as mtime: old assets get old ETags, like the live site.
    const files = (def.files ?? []).map((f) => new StoredFile(def.slug, { mtime: def.postedAt, ...f }));
    for (const file of files) {
      if (this.#files.has(file.path)) {
        throw new Error(`replica: ${file.path} is stored already; the site would rename it ${file.path.replace(/(\.[^.]+)$/, "_0$1")}`);
      }
    }
    const asset: ReplicaAsset = {
      slug: def.slug,
      nodeId,
      title: def.title,
      kind: def.kind ?? "art",
      type: def.type ?? null,
      submitter: def.submitter,
      author: def.author ?? { kind: "submitter" },
      collaborators: def.collaborators ?? [],
      patreon: def.patreon ?? null,
      postedAt: def.postedAt,
      updatedAt: def.updatedAt ?? def.postedAt,
      tags: def.tags ?? [],
      licenses: def.licenses ?? [],
      description: def.description ?? "",
      attribution: def.attribution ?? null,
      copyrightNotice: def.copyrightNotice ?? null,
      favorites: def.favorites ?? 0,
      views: def.views ?? 0,
      previews: def.previews ?? [],
      files,
      filesUnavailable: def.filesUnavailable ?? false,
      fileHrefs: def.fileHrefs ?? "absolute",
      members: def.members ?? [],
      comments: def.comments ?? 0,
    };
    this.#assets.set(asset.slug, asset);
    this.#nodes.set(nodeId, asset.slug);
    for (const file of files) this.#files.set(file.path, file);
    return asset;
  }

  /** Withdraw an asset: its page, `/node/` alias and files all answer 404 afterwards. */
  removeAsset(slug: string): boolean {
    const asset = this.#assets.get(slug);
    if (!asset) return false;
    for (const file of asset.files) this.#files.delete(file.path);
    this.#nodes.delete(asset.nodeId);
    this.#assets.delete(slug);
    return true;
  }

  /**
   * Find an asset's file by the name this project gives it (decoded last path segment), by its
   * stored path, or by the name it was uploaded as.
   */
  findFile(slug: string, name: string): ReplicaFile | undefined {
    const files = this.#assets.get(slug)?.files ?? [];
    return (
      files.find((f) => basename(f.path) === name) ??
      files.find((f) => f.path === name) ??
      files.find((f) => f.label === name)
    );
  }

  /** Replace a file's bytes; its size, ETag and Last-Modified change with it. */
  setFileContent(slug: string, name: string, body: FileBody): ReplicaFile {
    const file = this.findFile(slug, name);
    if (!(file instanceof StoredFile)) throw new Error(`replica: ${slug} has no file ${name}`);
    file.replace(body);
    return file;
  }

  /** Delete a file from the files directory (it answers 404) and from its asset's page. */
  removeFile(slug: string, name: string): boolean {
    const asset = this.#assets.get(slug);
    const file = this.findFile(slug, name);
    if (!asset || !file) return false;
    asset.files = asset.files.filter((f) => f !== file);
    this.#files.delete(file.path);
    return true;
  }

  /** Add a file to an existing asset (shown last on its page). */
  addFile(slug: string, def: ReplicaFileDef): ReplicaFile {
    const asset = this.#assets.get(slug);
    if (!asset) throw new Error(`replica: no asset ${slug}`);
    if (this.#files.has(def.path)) throw new Error(`replica: ${def.path} is stored already`);
    const file = new StoredFile(slug, def);
    asset.files = [...asset.files, file];
    this.#files.set(file.path, file);
    return file;
  }

  /**
   * A big file streamed from a deterministic generator (never held in memory), e.g. 1 GB for
   * benchmarks. Same path and size give the same bytes and the same ETag in every run.
   */
  addGeneratedFile(slug: string, path: string, size: number, options: { seed?: number; mime?: string } = {}): ReplicaFile {
    const def: ReplicaFileDef = { path, body: { generate: { size, seed: options.seed ?? seedOf(path) } } };
    if (options.mime !== undefined) def.mime = options.mime;
    return this.addFile(slug, def);
  }
}

let minimalCounter = 0;

/**
 * A small valid asset for a test: one text file, CC0, a submitter, overridable field by field.
 * `catalogue.addAsset(minimalAsset("my-test-asset", { licenses: ["GPL 3.0"] }))`.
 */
export function minimalAsset(slug: string, overrides: Partial<ReplicaAssetDef> = {}): ReplicaAssetDef {
  minimalCounter++;
  return {
    slug,
    title: slug.replace(/-/g, " ").replace(/\b\w/g, (c) => c.toUpperCase()),
    type: "2D Art",
    submitter: { name: "Test Submitter", slug: "test-submitter" },
    postedAt: new Date(Date.UTC(2020, 0, 1, 12, minimalCounter % 60)),
    tags: ["test"],
    licenses: ["CC0"],
    description: `<p>A test asset named ${slug}.</p>`,
    files: [{ path: `${slug}.txt`, body: Buffer.from(`${slug}\n`.repeat(8)), mime: "text/plain" }],
    ...overrides,
  };
}
