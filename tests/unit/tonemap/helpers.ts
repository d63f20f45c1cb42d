import { createHdr } from '../../../src/core/image/image.js';
import type { HdrImage } from '../../../src/core/image/image.js';

/** Horizontal luminance ramp (grey), values 10^(lo…hi) left to right, one row. */
export function ramp(width: number, lo = -3, hi = 3): HdrImage {
  const d = new Float32Array(width * 3);
  for (let x = 0; x < width; x++) {
    const v = Math.pow(10, lo + ((hi - lo) * x) / (width - 1));
    d[3 * x] = v;
    d[3 * x + 1] = v;
    d[3 * x + 2] = v;
  }
  return createHdr(width, 1, 3, d);
}

/** Small colourful HDR test image with a deterministic pseudo-random texture. */
export function texture(w = 48, h = 32): HdrImage {
  const d = new Float32Array(w * h * 3);
  let seed = 7;
  const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const base = Math.pow(10, (4 * x) / w - 2) * (1 + 0.5 * Math.sin(y / 3));
      const i = (y * w + x) * 3;
      d[i] = base * (0.5 + rnd());
      d[i + 1] = base * (0.5 + rnd());
      d[i + 2] = base * (0.5 + rnd());
    }
  }
  return createHdr(w, h, 3, d);
}

/** Constant image of value k. */
export function constant(k: number, w = 8, h = 8): HdrImage {
  return createHdr(w, h, 3, new Float32Array(w * h * 3).fill(k));
}

/** Image with NaN, ±Inf and negative samples sprinkled over a texture. */
export function nasty(): HdrImage {
  const img = texture(16, 16);
  const d = img.data;
  d[0] = NaN;
  d[4] = Infinity;
  d[8] = -Infinity;
  d[13] = -5;
  d[30] = 1e30;
  return img;
}

export function allInUnit(d: Float32Array): boolean {
  for (let i = 0; i < d.length; i++) if (!(d[i] >= 0 && d[i] <= 1)) return false;
  return true;
}
