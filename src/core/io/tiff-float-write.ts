/**
 * Minimal baseline TIFF writer for 32-bit float pixels (SampleFormat = 3 IEEE float,
 * BitsPerSample = 32, 1 or 3 samples, chunky), little-endian, uncompressed or Adobe Deflate
 * (zlib, no predictor). Written by hand because sharp mislabels raw float input.
 */
import { deflateSync } from 'node:zlib';
import type { FloatImage } from '../image/image.js';

/** Options of {@link encodeFloatTiff}. */
export interface FloatTiffOptions {
  /** 'deflate' (default) or 'none'. */
  readonly compression?: 'none' | 'deflate';
}

/**
 * Encodes a float image (any values, written as-is) as a 32-bit float TIFF.
 * @returns the file bytes
 */
export function encodeFloatTiff(image: FloatImage, options: FloatTiffOptions = {}): Uint8Array {
  const { width, height, channels, data } = image;
  const deflate = (options.compression ?? 'deflate') === 'deflate';
  const rowBytes = width * channels * 4;
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(262144 / rowBytes)));
  const nStrips = Math.ceil(height / rowsPerStrip);
  const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const strips: Uint8Array[] = [];
  for (let s = 0; s < nStrips; s++) {
    const a = s * rowsPerStrip * rowBytes;
    const b = Math.min(height, (s + 1) * rowsPerStrip) * rowBytes;
    strips.push(deflate ? deflateSync(src.subarray(a, b), { level: 1 }) : src.subarray(a, b));
  }
  // layout: header | strips (each word-aligned) | IFD | arrays
  let pos = 8;
  const offsets: number[] = [];
  for (const st of strips) {
    offsets.push(pos);
    pos += st.length + (st.length & 1);
  }
  const tags: [number, number, number[]][] = [
    [256, 4, [width]],
    [257, 4, [height]],
    [258, 3, new Array<number>(channels).fill(32)],
    [259, 3, [deflate ? 8 : 1]],
    [262, 3, [channels === 3 ? 2 : 1]],
    [273, 4, offsets],
    [277, 3, [channels]],
    [278, 4, [rowsPerStrip]],
    [279, 4, strips.map((st) => st.length)],
    [284, 3, [1]],
    [339, 3, new Array<number>(channels).fill(3)],
  ];
  const ifdPos = pos;
  const ifdSize = 2 + tags.length * 12 + 4;
  let extra = ifdPos + ifdSize;
  const total =
    extra +
    tags.reduce(
      (n, [, type, v]) => n + (v.length * (type === 3 ? 2 : 4) > 4 ? v.length * 4 : 0),
      0,
    );
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0], 0);
  dv.setUint32(4, ifdPos, true);
  strips.forEach((st, i) => out.set(st, offsets[i]));
  dv.setUint16(ifdPos, tags.length, true);
  let e = ifdPos + 2;
  for (const [tag, type, values] of tags) {
    const size = type === 3 ? 2 : 4;
    dv.setUint16(e, tag, true);
    dv.setUint16(e + 2, type, true);
    dv.setUint32(e + 4, values.length, true);
    let at = e + 8;
    if (values.length * size > 4) {
      dv.setUint32(e + 8, extra, true);
      at = extra;
      extra += values.length * 4;
    }
    for (let k = 0; k < values.length; k++) {
      if (size === 2) dv.setUint16(at + 2 * k, values[k], true);
      else dv.setUint32(at + 4 * k, values[k], true);
    }
    e += 12;
  }
  dv.setUint32(e, 0, true);
  return out;
}
