/**
 * A minimal ZIP writer (store and deflate, no zip64): enough to build the packs the site
 * hosts, with nested folders, explicit directory entries, `__MACOSX/` resource forks and
 * names with spaces or non-ASCII characters (flagged UTF-8, as macOS Archive Utility does).
 */
import { crc32 as zlibCrc32, deflateRawSync } from "node:zlib";

export interface ZipEntry {
  /** Path inside the archive, `/`-separated; a trailing `/` makes a directory entry. */
  name: string;
  data?: Uint8Array;
  /** Default: deflate for data that shrinks, store otherwise. */
  method?: "store" | "deflate";
  /**
   * The name's bytes as stored, for names in legacy encodings (CP437 without the UTF-8 flag, as
   * old Windows zippers wrote them). Default: `name` in UTF-8, flagged when it is not ASCII.
   */
  rawName?: { bytes: Uint8Array; utf8Flag: boolean };
  /** Unix mode in the external attributes (e.g. `0o120777` for a symlink). Default 0644 / 0755 for directories. */
  mode?: number;
  /** Uncompressed size written in the headers when it should lie (a zip bomb hiding its size). */
  declaredSize?: number;
}

/** CRC-32 as zip stores it (zlib's, which packs of tens of MiB need to be built quickly). */
export function crc32(data: Uint8Array): number {
  return zlibCrc32(data) >>> 0;
}

/** Fixed DOS time (2012-06-29 14:50) so archives are byte-for-byte reproducible. */
const DOS_TIME = (14 << 11) | (50 << 5);
const DOS_DATE = ((2012 - 1980) << 9) | (6 << 5) | 29;

export function zip(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = entry.rawName ? Buffer.from(entry.rawName.bytes) : Buffer.from(entry.name, "utf8");
    const raw = Buffer.from(entry.data ?? new Uint8Array(0));
    const deflated = entry.method === "store" || raw.length === 0 ? null : deflateRawSync(raw);
    const useDeflate = deflated !== null && (entry.method === "deflate" || deflated.length < raw.length);
    const body = useDeflate && deflated ? deflated : raw;
    const method = useDeflate ? 8 : 0;
    const crc = crc32(raw);
    const utf8Flag = (entry.rawName ? entry.rawName.utf8Flag : /[^\x20-\x7e]/.test(entry.name)) ? 0x0800 : 0;
    const declared = entry.declaredSize ?? raw.length;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(utf8Flag, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra length
    parts.push(local, name, body);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(0x031e, 4); // made by: Unix, spec 3.0
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(utf8Flag, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(declared, 24);
    header.writeUInt16LE(name.length, 28);
    // extra, comment, disk start, internal attributes: zero
    const isDir = entry.name.endsWith("/");
    const mode = entry.mode ?? (isDir ? 0o40755 : 0o100644);
    header.writeUInt32LE(((mode << 16) | (isDir ? 0x10 : 0)) >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);

    offset += local.length + name.length + body.length;
  }
  const centralSize = central.reduce((sum, b) => sum + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
