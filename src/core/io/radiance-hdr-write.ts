/**
 * Radiance RGBE writer: `#?RADIANCE`, `FORMAT=32-bit_rle_rgbe`, `-Y H +X W` (top row first),
 * new-style RLE scanlines (each component run-length coded, runs ≥ 4) for widths 8…32767,
 * flat scanlines otherwise.
 *
 * Float → RGBE: the largest component v = m·2^e (m ∈ [0.5, 1)) sets the shared exponent
 * e + 128 and each mantissa is ⌊c·256/2^e⌋ (relative error < 1/128 of v, centred by the
 * reader's +0.5). Components < 1e-32 (max), negative values and NaN become 0; values above
 * 1.7e38 are clamped.
 */
import type { HdrImage } from '../image/image.js';
import { throwIfAborted, type JobOptions } from '../job.js';

const MIN_RUN = 4;

function encodeComponent(
  src: Uint8Array,
  c: number,
  width: number,
  out: Uint8Array,
  pos: number,
): number {
  let x = 0;
  while (x < width) {
    // find the next run of ≥ MIN_RUN equal bytes starting at or after x
    let runStart = x;
    let runLen = 0;
    while (runStart < width) {
      const v = src[(runStart << 2) | c];
      runLen = 1;
      while (runStart + runLen < width && runLen < 127 && src[((runStart + runLen) << 2) | c] === v)
        runLen++;
      if (runLen >= MIN_RUN) break;
      runStart += runLen;
      runLen = 0;
    }
    // literals before the run
    while (x < runStart) {
      const count = Math.min(128, runStart - x);
      out[pos++] = count;
      for (let k = 0; k < count; k++) out[pos++] = src[((x + k) << 2) | c];
      x += count;
    }
    if (runLen >= MIN_RUN) {
      out[pos++] = 128 + runLen;
      out[pos++] = src[(runStart << 2) | c];
      x = runStart + runLen;
    }
  }
  return pos;
}

/**
 * Encodes an HDR image (1 or 3 channels, linear, ≥ 0) as a Radiance RGBE file.
 * @returns the file bytes
 */
export function encodeRadiance(image: HdrImage, options: JobOptions = {}): Uint8Array {
  const { width, height, channels, data } = image;
  const header = Buffer.from(
    `#?RADIANCE\n# Written by Bracketeer\nFORMAT=32-bit_rle_rgbe\n\n-Y ${height} +X ${width}\n`,
    'latin1',
  );
  const rle = width >= 8 && width < 32768;
  // worst case per scanline: 4 marker bytes + 4 components × (width + ⌈width/128⌉)
  const maxLine = 4 + 4 * (width + Math.ceil(width / 128));
  const out = new Uint8Array(header.length + maxLine * height);
  out.set(header, 0);
  let pos = header.length;
  const scan = new Uint8Array(width * 4);
  // 2^(8-e) for the float32 binary exponent field E (e = E - 126)
  const mant = new Float32Array(256);
  for (let E = 1; E < 255; E++) mant[E] = 2 ** (8 - (E - 126));
  const f = new Float32Array(1);
  const bits = new Uint32Array(f.buffer);
  for (let y = 0; y < height; y++) {
    if ((y & 63) === 0) {
      throwIfAborted(options.signal);
      options.onProgress?.({ fraction: y / height, message: 'Writing Radiance' });
    }
    let s = y * width * channels;
    for (let x = 0; x < width; x++, s += channels) {
      let r = data[s];
      let g = channels === 3 ? data[s + 1] : r;
      let b = channels === 3 ? data[s + 2] : r;
      if (!(r > 0)) r = 0;
      if (!(g > 0)) g = 0;
      if (!(b > 0)) b = 0;
      let v = r > g ? r : g;
      if (b > v) v = b;
      const d = x << 2;
      if (v < 1e-32) {
        scan[d] = scan[d + 1] = scan[d + 2] = scan[d + 3] = 0;
        continue;
      }
      if (v > 1.7e38) {
        if (r > 1.7e38) r = 1.7e38;
        if (g > 1.7e38) g = 1.7e38;
        if (b > 1.7e38) b = 1.7e38;
        v = 1.7e38;
      }
      f[0] = v;
      const E = (bits[0] >>> 23) & 255;
      const k = mant[E];
      scan[d] = Math.min(255, r * k) | 0;
      scan[d + 1] = Math.min(255, g * k) | 0;
      scan[d + 2] = Math.min(255, b * k) | 0;
      scan[d + 3] = E + 2; // (E - 126) + 128
    }
    if (rle) {
      out[pos++] = 2;
      out[pos++] = 2;
      out[pos++] = width >> 8;
      out[pos++] = width & 255;
      for (let c = 0; c < 4; c++) pos = encodeComponent(scan, c, width, out, pos);
    } else {
      out.set(scan, pos);
      pos += scan.length;
    }
  }
  options.onProgress?.({ fraction: 1, message: 'Writing Radiance' });
  return out.subarray(0, pos);
}
