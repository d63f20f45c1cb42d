/** Conversion between interleaved pixel buffers and planar (one array per channel) layouts. */
import type { FloatImage } from './image.js';

/**
 * Splits an interleaved image into one plane per channel.
 * @param img - 1- or 3-channel image
 * @returns `img.channels` new planes of width·height samples each (for 1 channel, a copy)
 */
export function splitPlanes(img: FloatImage): Float32Array[] {
  const n = img.width * img.height;
  const c = img.channels;
  const src = img.data;
  if (c === 1) return [src.slice(0, n)];
  const r = new Float32Array(n);
  const g = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    r[i] = src[j];
    g[i] = src[j + 1];
    b[i] = src[j + 2];
  }
  return [r, g, b];
}

/**
 * Interleaves planes into one pixel buffer (inverse of {@link splitPlanes}).
 * @param planes - 1 or 3 planes of width·height samples each
 * @returns a new buffer of width·height·planes.length samples, ready for createHdr/createLdr
 * @throws RangeError if the plane count or a plane's length is wrong
 */
export function joinPlanes(planes: Float32Array[], width: number, height: number): Float32Array {
  const c = planes.length;
  const n = width * height;
  if (c !== 1 && c !== 3) throw new RangeError(`joinPlanes: expected 1 or 3 planes, got ${c}`);
  for (let p = 0; p < c; p++) {
    if (planes[p].length !== n) {
      throw new RangeError(
        `joinPlanes: plane ${p} holds ${planes[p].length} samples, expected ${width}×${height} = ${n}`,
      );
    }
  }
  if (c === 1) return planes[0].slice();
  const out = new Float32Array(n * 3);
  const [r, g, b] = planes;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[j] = r[i];
    out[j + 1] = g[i];
    out[j + 2] = b[i];
  }
  return out;
}
