/**
 * Real, decodable media for the replica's files. Tests and the playground read these back
 * (pngjs decodes the PNGs, browsers play the audio), so every format is valid, small and
 * deterministic: the same arguments always give the same bytes, hence the same sha256.
 */
import { PNG } from "pngjs";
import { Readable } from "node:stream";

/** xorshift32: fast, seedable, good enough to make bytes that do not compress. */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** A stable 32-bit seed from any text (FNV-1a), so file contents follow from their names. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function pseudoRandomBytes(seed: number, size: number): Buffer {
  const next = prng(seed);
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let i = 0; i < words.length; i++) words[i] = next();
  return Buffer.from(words.buffer, 0, size);
}

/**
 * Bytes `[start, end)` of a generated file of any length, without holding it in memory:
 * the file is a sequence of 1 MiB blocks, each a shared random block whose first 8 bytes
 * are replaced by the block number, so any range can be produced from its offset alone.
 */
const GENERATED_BLOCK = 1 << 20;
const baseBlocks = new Map<number, Buffer>();

function baseBlock(seed: number): Buffer {
  let block = baseBlocks.get(seed);
  if (!block) {
    block = pseudoRandomBytes(seed, GENERATED_BLOCK);
    // A few dozen seeds in any run (the bench's games use one per asset): making a block costs
    // milliseconds of the replica's CPU, which a benchmark would count against the client.
    if (baseBlocks.size >= 64) baseBlocks.clear();
    baseBlocks.set(seed, block);
  }
  return block;
}

function blockNumber(index: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeBigUInt64LE(BigInt(index), 0);
  return header;
}

/** Bytes `[from, to)` of block `index`, copying only those: a small file costs its own size. */
function generatedSlice(seed: number, index: number, from: number, to: number): Buffer {
  const out = Buffer.allocUnsafe(to - from);
  baseBlock(seed).copy(out, 0, from, to);
  if (from < 8) blockNumber(index).copy(out, 0, from, Math.min(8, to));
  return out;
}

export function generatedRange(seed: number, start: number, end: number): Readable {
  let offset = start;
  return new Readable({
    read() {
      if (offset >= end) {
        this.push(null);
        return;
      }
      const index = Math.floor(offset / GENERATED_BLOCK);
      const within = offset - index * GENERATED_BLOCK;
      const take = Math.min(GENERATED_BLOCK - within, end - offset);
      // One 1 MiB copy per block costs far less than the socket write it feeds.
      this.push(generatedSlice(seed, index, within, within + take));
      offset += take;
    },
  });
}

/** The whole of a (small) generated file; tests use it to compute expected hashes. */
export function generatedBytes(seed: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += GENERATED_BLOCK) {
    generatedSlice(seed, offset / GENERATED_BLOCK, 0, Math.min(GENERATED_BLOCK, size - offset)).copy(out, offset);
  }
  return out;
}

export type SpriteShape = "circle" | "diamond" | "checker" | "tiles" | "waveform";

/**
 * An RGBA PNG with a recognisable picture on a transparent background: sprites of different
 * sizes for the playground, and a tileset grid. Colours follow the seed.
 */
export function png(width: number, height: number, seed: number, shape: SpriteShape = "circle"): Buffer {
  const image = new PNG({ width, height });
  const next = prng(seed);
  const palette = Array.from({ length: 8 }, () => {
    const v = next();
    return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff] as const;
  });
  const tile = 16;
  // The site's audio previews show a waveform: a bar of random height every 3 pixels.
  const bars = Array.from({ length: width }, () => 0.15 + (next() % 1000) / 1250);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      let colour: readonly [number, number, number] | null = null;
      const dx = (x + 0.5) / width - 0.5;
      const dy = (y + 0.5) / height - 0.5;
      if (shape === "circle" && dx * dx + dy * dy < 0.2) colour = palette[dx < 0 === dy < 0 ? 0 : 1] ?? null;
      if (shape === "diamond" && Math.abs(dx) + Math.abs(dy) < 0.45) colour = palette[2] ?? null;
      if (shape === "checker") colour = palette[((x >> 2) + (y >> 2)) % 2 === 0 ? 3 : 4] ?? null;
      if (shape === "waveform" && x % 3 !== 2 && Math.abs(dy) * 2 < bars[x - (x % 3)]!) colour = [90, 140, 200];
      if (shape === "tiles") {
        const t = Math.floor(x / tile) + Math.floor(y / tile) * Math.ceil(width / tile);
        const edge = x % tile === 0 || y % tile === 0;
        colour = edge ? [20, 20, 20] : (palette[t % palette.length] ?? null);
      }
      image.data[i] = colour?.[0] ?? 0;
      image.data[i + 1] = colour?.[1] ?? 0;
      image.data[i + 2] = colour?.[2] ?? 0;
      image.data[i + 3] = colour ? 255 : 0;
    }
  }
  return PNG.sync.write(image);
}

/** A 16-bit mono PCM WAV: a decaying tone, the shape of a short sound effect. */
export function wav(durationMs: number, frequency = 440, sampleRate = 22_050): Buffer {
  const samples = Math.round((durationMs / 1000) * sampleRate);
  const dataBytes = samples * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write("RIFF", 0, "ascii");
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write("WAVE", 8, "ascii");
  out.write("fmt ", 12, "ascii");
  out.writeUInt32LE(16, 16); // fmt chunk size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28); // byte rate
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34); // bits per sample
  out.write("data", 36, "ascii");
  out.writeUInt32LE(dataBytes, 40);
  for (let n = 0; n < samples; n++) {
    const envelope = 1 - n / samples;
    const value = Math.sin((2 * Math.PI * frequency * n) / sampleRate) * envelope * 0.6;
    out.writeInt16LE(Math.round(value * 32_767), 44 + n * 2);
  }
  return out;
}

/**
 * A silent MP3: MPEG-1 Layer III frames, 128 kbps, 44.1 kHz, joint stereo (header FF FB 90 64).
 * Such a frame is 417 bytes including its 4-byte header and holds 1152 samples; an all-zero
 * side info and body decode to silence, so the file is valid and of a known duration.
 */
export const MP3_FRAME_BYTES = 417;
export const MP3_FRAME_SECONDS = 1152 / 44_100;

export function silentMp3(seconds: number): Buffer {
  const frames = Math.max(1, Math.ceil(seconds / MP3_FRAME_SECONDS));
  const out = Buffer.alloc(frames * MP3_FRAME_BYTES);
  for (let f = 0; f < frames; f++) out.writeUInt32BE(0xfffb9064, f * MP3_FRAME_BYTES);
  return out;
}

/**
 * An Ogg page stream is costly to fake faithfully; tests only need bytes that start like Ogg
 * ("OggS") and differ per file, so the rest is pseudo-random.
 */
export function fakeOgg(seed: number, size: number): Buffer {
  const out = pseudoRandomBytes(seed, size);
  if (size >= 6) {
    out.write("OggS", 0, "ascii");
    out[4] = 0; // stream structure version
    out[5] = 2; // beginning of stream
  }
  return out;
}
