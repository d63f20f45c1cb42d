/**
 * OpenEXR's RLE, ZIPS and ZIP block decompression. Both end with the same two steps: undo the
 * byte-delta predictor (each byte stored as the difference to the previous one, +128), then
 * re-interleave the two halves (the first half holds the even bytes, the second the odd ones).
 */
import { inflateSync } from 'node:zlib';

function unpredictAndInterleave(t: Uint8Array, out: Uint8Array): void {
  const n = t.length;
  for (let i = 1; i < n; i++) t[i] = (t[i - 1] + t[i] - 128) & 0xff;
  const half = (n + 1) >> 1;
  for (let i = 0, j = 0; i < half; i++) {
    out[j++] = t[i];
    if (j < n) out[j++] = t[half + i];
  }
}

/**
 * Decompresses a ZIP/ZIPS block (zlib stream).
 * @param src - compressed bytes
 * @param size - expected uncompressed size in bytes
 * @throws Error when the stream is corrupt or inflates to a different size
 */
export function zipDecompress(src: Uint8Array, size: number): Uint8Array {
  let t: Uint8Array;
  try {
    t = inflateSync(src, { maxOutputLength: Math.max(size, 1) });
  } catch (err) {
    throw new Error(`corrupt ZIP data (${(err as Error).message})`, { cause: err });
  }
  if (t.length !== size)
    throw new Error(`ZIP block inflates to ${t.length} bytes, expected ${size}`);
  const out = new Uint8Array(size);
  unpredictAndInterleave(t, out);
  return out;
}

/**
 * Decompresses an RLE block: a signed count byte c < 0 is followed by −c literal bytes,
 * c ≥ 0 by one byte repeated c + 1 times.
 * @param size - expected uncompressed size in bytes
 * @throws Error when the runs are truncated or yield a different size
 */
export function rleDecompress(src: Uint8Array, size: number): Uint8Array {
  const t = new Uint8Array(size);
  let i = 0;
  let o = 0;
  while (i < src.length) {
    const c = (src[i++] << 24) >> 24;
    if (c < 0) {
      const n = -c;
      if (i + n > src.length || o + n > size) throw new Error('corrupt RLE data');
      t.set(src.subarray(i, i + n), o);
      i += n;
      o += n;
    } else {
      if (i >= src.length || o + c + 1 > size) throw new Error('corrupt RLE data');
      t.fill(src[i++], o, o + c + 1);
      o += c + 1;
    }
  }
  if (o !== size) throw new Error(`RLE block decodes to ${o} bytes, expected ${size}`);
  const out = new Uint8Array(size);
  unpredictAndInterleave(t, out);
  return out;
}
