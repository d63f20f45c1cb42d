/**
 * Reflect padding of interleaved (HWC) float images to multiples of a network's stride, and
 * cropping back. "Reflect" mirrors about the edge pixel without repeating it (tf.mirrorPad's
 * 'reflect' mode: … 2 1 | 0 1 2 … n−1 | n−2 n−3 …); pads longer than the image keep
 * reflecting back and forth, so any pad works, even on a 1-pixel-wide image.
 */
import { unitScale } from '../../image/image.js';

/**
 * Maps a coordinate of the reflect-padded axis to one inside [0, n).
 * @param i - coordinate, any integer (negative or ≥ n reflects)
 * @param n - axis length in pixels, ≥ 1
 */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

/**
 * The smallest multiple of `stride` that is ≥ `n`.
 * @param n - length in pixels, ≥ 1
 * @param stride - integer ≥ 1
 */
export function paddedSize(n: number, stride: number): number {
  return Math.ceil(n / stride) * stride;
}

/**
 * Reflect-pads an HWC image on the bottom and right to `outWidth` × `outHeight`.
 * @param data - width·height·channels interleaved samples
 * @param outWidth - padded width, ≥ width
 * @param outHeight - padded height, ≥ height
 * @returns a new outWidth·outHeight·channels buffer
 * @throws RangeError for inconsistent sizes
 */
export function reflectPad(
  data: Float32Array,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
): Float32Array {
  if (data.length !== width * height * channels || outWidth < width || outHeight < height) {
    throw new RangeError(
      `reflectPad: cannot pad ${width}×${height}×${channels} (${data.length} samples) to ${outWidth}×${outHeight}`,
    );
  }
  const out = new Float32Array(outWidth * outHeight * channels);
  readReflected(data, width, height, channels, 0, 0, outWidth, outHeight, out);
  return out;
}

/**
 * Copies the rectangle (x, y, w, h) of the image reflect-extended beyond its right and bottom
 * edges (and left/top, for negative x, y) into `out`, optionally clamping every sample to
 * [lo, hi]. No allocation.
 * @param data - width·height·channels interleaved samples of the source
 * @param out - receives w·h·channels samples starting at `outOffset`
 * @param clamp - optional [lo, hi] range applied while copying
 */
export function readReflected(
  data: Float32Array,
  width: number,
  height: number,
  channels: number,
  x: number,
  y: number,
  w: number,
  h: number,
  out: Float32Array,
  outOffset = 0,
  clamp?: readonly [number, number],
): void {
  const c = channels;
  const lo = clamp ? clamp[0] : -Infinity;
  const hi = clamp ? clamp[1] : Infinity;
  // Columns inside the source form one run; only the reflected ones need the index map.
  const x0 = Math.max(0, x);
  const x1 = Math.min(width, x + w);
  for (let r = 0; r < h; r++) {
    const sy = reflectIndex(y + r, height);
    const srcRow = sy * width * c;
    const dstRow = outOffset + r * w * c;
    if (!clamp && x1 > x0) {
      // the inside run is a plain copy; the reflected columns (at most the padding) below
      out.set(data.subarray(srcRow + x0 * c, srcRow + x1 * c), dstRow + (x0 - x) * c);
      const copyReflected = (i: number): void => {
        const s = srcRow + reflectIndex(x + i, width) * c;
        const d = dstRow + i * c;
        for (let k = 0; k < c; k++) out[d + k] = data[s + k];
      };
      for (let i = 0; i < x0 - x; i++) copyReflected(i);
      for (let i = x1 - x; i < w; i++) copyReflected(i);
      continue;
    }
    for (let i = 0; i < w; i++) {
      const sx = x + i >= x0 && x + i < x1 ? x + i : reflectIndex(x + i, width);
      const s = srcRow + sx * c;
      const d = dstRow + i * c;
      for (let k = 0; k < c; k++) {
        const v = data[s + k];
        out[d + k] = v < lo ? lo : v > hi ? hi : v;
      }
    }
  }
}

/**
 * {@link readReflected} for an image kept as integer codes (LdrCodes): each sample becomes
 * code · unitScale(bits) as it is copied, codeToUnit's value of that code. Codes map into
 * [0, 1], so nothing needs clamping.
 * @param codes - width·height·channels interleaved codes, 8-bit in a Uint8Array or 16-bit in a
 *   Uint16Array
 * @param out - receives w·h·channels samples starting at `outOffset`
 */
export function readReflectedCodes(
  codes: Uint8Array | Uint16Array,
  width: number,
  height: number,
  channels: number,
  x: number,
  y: number,
  w: number,
  h: number,
  out: Float32Array,
  outOffset = 0,
): void {
  const scale = unitScale(codes instanceof Uint8Array ? 8 : 16);
  reflectedCodes(codes, width, height, channels, x, y, w, h, out, outOffset, scale);
}

/**
 * Copies the tile (x, y, w, h) of an image kept as integer codes, reflected beyond its edges as
 * {@link readReflected} reads it, into `out` as codes (no conversion): row runs inside the image
 * are plain copies.
 * @param codes - width·height·channels interleaved codes (8- or 16-bit)
 * @param out - receives w·h·channels codes starting at `outOffset`, of the same bit depth
 */
export function copyReflectedCodes(
  codes: Uint8Array | Uint16Array,
  width: number,
  height: number,
  channels: number,
  x: number,
  y: number,
  w: number,
  h: number,
  out: Uint8Array | Uint16Array,
  outOffset = 0,
): void {
  reflectedCodes(codes, width, height, channels, x, y, w, h, out, outOffset, null);
}

/** The reflected tile of codes, each times `scale`, or copied as they are (`scale` null). */
function reflectedCodes(
  codes: Uint8Array | Uint16Array,
  width: number,
  height: number,
  c: number,
  x: number,
  y: number,
  w: number,
  h: number,
  out: Float32Array | Uint8Array | Uint16Array,
  outOffset: number,
  scale: number | null,
): void {
  const x0 = Math.max(0, x);
  const x1 = Math.min(width, x + w);
  const inside = Math.max(0, x1 - x0) * c;
  const factor = scale ?? 1;
  for (let r = 0; r < h; r++) {
    const srcRow = reflectIndex(y + r, height) * width * c;
    const dstRow = outOffset + r * w * c;
    // the inside run, then the reflected columns (at most the padding)
    const s = srcRow + x0 * c;
    const d = dstRow + (x0 - x) * c;
    if (scale === null) {
      if (inside > 0) out.set(codes.subarray(s, s + inside), d);
    } else {
      for (let i = 0; i < inside; i++) out[d + i] = codes[s + i] * factor;
    }
    const reflected = (i: number): void => {
      const si = srcRow + reflectIndex(x + i, width) * c;
      for (let j = 0; j < c; j++) out[dstRow + i * c + j] = codes[si + j] * factor;
    };
    for (let i = 0; i < Math.min(w, x0 - x); i++) reflected(i);
    for (let i = Math.max(0, x1 - x); i < w; i++) reflected(i);
  }
}

/**
 * Crops the top-left `width` × `height` pixels out of an HWC image of `srcWidth` columns
 * (the inverse of {@link reflectPad}).
 * @param data - srcWidth·srcHeight·channels interleaved samples
 * @returns a new width·height·channels buffer
 * @throws RangeError if the crop does not fit
 */
export function cropTopLeft(
  data: Float32Array,
  srcWidth: number,
  channels: number,
  width: number,
  height: number,
): Float32Array {
  const srcHeight = data.length / (srcWidth * channels);
  if (!Number.isInteger(srcHeight) || width > srcWidth || height > srcHeight) {
    throw new RangeError(
      `cropTopLeft: cannot crop ${width}×${height} from ${srcWidth} columns × ${channels} channels (${data.length} samples)`,
    );
  }
  const out = new Float32Array(width * height * channels);
  const rowLen = width * channels;
  for (let y = 0; y < height; y++) {
    const s = y * srcWidth * channels;
    out.set(data.subarray(s, s + rowLen), y * rowLen);
  }
  return out;
}
