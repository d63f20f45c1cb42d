/**
 * PIZ decompression for one OpenEXR block (scanline block of up to 32 lines, or a tile).
 *
 * A PIZ block holds: minNonZero (u16), maxNonZero (u16), the bytes minNonZero…maxNonZero of
 * an 8192-byte bitmap of the 16-bit values that occur, a u32 length, then that many bytes of
 * Huffman-coded words (see openexr-huffman.ts). The decoded words are indices into the
 * "reverse LUT" built from the bitmap (value 0 is always present); before the LUT is applied,
 * each channel's plane is wavelet-decoded in place. Words are ordered by channel (in header
 * order) then line then sample; FLOAT/UINT samples take two words (low half first) and are
 * wavelet-decoded as two interleaved planes.
 */
import { huffmanDecode } from './openexr-huffman.js';

/** Shape of one channel's samples within a block. */
export interface PizChannel {
  /** Samples per line in the block (after x subsampling), ≥ 0. */
  readonly nx: number;
  /** Lines in the block (after y subsampling), ≥ 0. */
  readonly ny: number;
  /** 16-bit words per sample: 1 for HALF, 2 for FLOAT and UINT. */
  readonly size: 1 | 2;
}

const BITMAP_SIZE = 8192;

// inverse of one 14-bit (lossless, values < 2^14) wavelet step: returns (a << 16) | b
function wdec14(l: number, h: number): number {
  const hs = (h << 16) >> 16;
  const ai = ((l << 16) >> 16) + (hs & 1) + (hs >> 1);
  return ((ai & 0xffff) << 16) | ((ai - hs) & 0xffff);
}

// inverse of one 16-bit (modular) wavelet step: returns (a << 16) | b
function wdec16(l: number, h: number): number {
  const b = (l - (h >> 1)) & 0xffff;
  return (((h + b - 0x8000) & 0xffff) << 16) | b;
}

/**
 * In-place inverse 2-D wavelet transform of one plane.
 * @param a - the words
 * @param base - index of sample (0, 0)
 * @param nx - samples per line
 * @param ox - index step between neighbouring samples
 * @param ny - lines
 * @param oy - index step between lines
 * @param maxValue - largest LUT index; < 2^14 selects the 14-bit transform
 */
function waveletDecode(
  a: Uint16Array,
  base: number,
  nx: number,
  ox: number,
  ny: number,
  oy: number,
  maxValue: number,
): void {
  const dec = maxValue < 1 << 14 ? wdec14 : wdec16;
  const n = Math.min(nx, ny);
  let p = 1;
  while (p <= n) p <<= 1;
  p >>= 1;
  let p2 = p;
  p >>= 1;
  while (p >= 1) {
    const oy1 = oy * p;
    const oy2 = oy * p2;
    const ox1 = ox * p;
    const ox2 = ox * p2;
    const ey = base + oy * (ny - p2);
    let py = base;
    for (; py <= ey; py += oy2) {
      const ex = py + ox * (nx - p2);
      let px = py;
      for (; px <= ex; px += ox2) {
        const p01 = px + ox1;
        const p10 = px + oy1;
        const p11 = p10 + ox1;
        const r0 = dec(a[px], a[p10]);
        const r1 = dec(a[p01], a[p11]);
        const r2 = dec(r0 >>> 16, r1 >>> 16);
        const r3 = dec(r0 & 0xffff, r1 & 0xffff);
        a[px] = r2 >>> 16;
        a[p01] = r2;
        a[p10] = r3 >>> 16;
        a[p11] = r3;
      }
      if (nx & p) {
        // odd column
        const p10 = px + oy1;
        const r = dec(a[px], a[p10]);
        a[px] = r >>> 16;
        a[p10] = r;
      }
    }
    if (ny & p) {
      // odd line
      const ex = py + ox * (nx - p2);
      for (let px = py; px <= ex; px += ox2) {
        const p01 = px + ox1;
        const r = dec(a[px], a[p01]);
        a[px] = r >>> 16;
        a[p01] = r;
      }
    }
    p2 = p;
    p >>= 1;
  }
}

const bitmap = new Uint8Array(BITMAP_SIZE);
const lut = new Uint16Array(65536);

/**
 * Decompresses one PIZ block.
 * @param src - the block's compressed bytes
 * @param channels - every channel of the file, in header order, with its shape in this block
 * @returns one Uint16Array per channel (ny lines × nx·size words, line-major), views into one
 *   buffer of the block's total word count
 * @throws Error (with a reason) when the data is malformed or truncated
 */
export function pizDecompress(src: Uint8Array, channels: readonly PizChannel[]): Uint16Array[] {
  let total = 0;
  for (const c of channels) total += c.nx * c.ny * c.size;
  const words = new Uint16Array(total);
  const planes: Uint16Array[] = [];
  let start = 0;
  for (const c of channels) {
    const n = c.nx * c.ny * c.size;
    planes.push(words.subarray(start, start + n));
    start += n;
  }
  if (src.length < 4) throw new Error('PIZ block is truncated');
  const minNz = src[0] | (src[1] << 8);
  const maxNz = src[2] | (src[3] << 8);
  let pos = 4;
  if (maxNz >= BITMAP_SIZE) throw new Error('PIZ bitmap range is invalid');
  if (minNz <= maxNz) {
    const n = maxNz - minNz + 1;
    if (pos + n > src.length) throw new Error('PIZ bitmap is truncated');
    bitmap.set(src.subarray(pos, pos + n), minNz);
    pos += n;
  }
  // reverse LUT: k-th value present in the bitmap (0 always present)
  lut[0] = 0;
  let k = 1;
  for (let byte = minNz; byte <= maxNz; byte++) {
    const bits = bitmap[byte];
    if (bits === 0) continue;
    for (let j = byte === 0 ? 1 : 0; j < 8; j++) if (bits & (1 << j)) lut[k++] = 8 * byte + j;
  }
  const maxValue = k - 1;
  lut.fill(0, k);
  if (pos + 4 > src.length) throw new Error('PIZ block is truncated');
  const length =
    (src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16) | (src[pos + 3] << 24)) >>> 0;
  pos += 4;
  if (pos + length > src.length) throw new Error('PIZ Huffman data is truncated');
  huffmanDecode(src.subarray(pos, pos + length), words);
  start = 0;
  for (const c of channels) {
    for (let j = 0; j < c.size; j++) {
      waveletDecode(words, start + j, c.nx, c.size, c.ny, c.nx * c.size, maxValue);
    }
    start += c.nx * c.ny * c.size;
  }
  for (let i = 0; i < total; i++) words[i] = lut[words[i]];
  return planes;
}
