/** Luminance of an image (Rec. 709 / sRGB primaries). */
import type { FloatImage } from './image.js';

/** Rec. 709 luminance weights for R, G, B. */
export const REC709_WEIGHTS: readonly [number, number, number] = [0.2126, 0.7152, 0.0722];

/**
 * Luminance plane Y = 0.2126 R + 0.7152 G + 0.0722 B.
 * Meaningful on linear data; on encoded data it gives a luma-like value.
 * @param img - 1- or 3-channel image (any range; NaN propagates)
 * @returns a new width·height plane, in the same units as the input; for a 1-channel
 *   image a copy of its data
 */
export function luminance(img: FloatImage): Float32Array {
  const n = img.width * img.height;
  const src = img.data;
  if (img.channels === 1) return src.slice(0, n);
  const out = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = 0.2126 * src[j] + 0.7152 * src[j + 1] + 0.0722 * src[j + 2];
  }
  return out;
}
