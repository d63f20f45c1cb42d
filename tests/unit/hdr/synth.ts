/** Synthetic brackets with a known ground truth for the HDR tests (not a test file itself). */
import {
  createHdr,
  createLdr,
  type HdrImage,
  type LdrImage,
} from '../../../src/core/image/image.js';
import type { InverseResponse } from '../../../src/core/camera/response.js';

/** Deterministic PRNG in [0, 1): the engine's own mulberry32. */
import { mulberry32 } from '../../../src/core/camera/rng.js';

export const rng = mulberry32;

/** Camera with f(X) = X^(1/γ) on [0, 1]: inverse[z] = (z/255)^γ, code 0 mapped to (0.25/255)^γ. */
export function gammaResponse(gamma: number): InverseResponse {
  const curve = new Float32Array(256);
  for (let z = 0; z < 256; z++) curve[z] = Math.pow(Math.max(z, 0.25) / 255, gamma);
  return { inverse: [curve, curve, curve], source: `gamma ${gamma}` };
}

/** The forward camera matching {@link gammaResponse}: code value in [0, 1] for exposure X. */
export function gammaEncode(x: number, gamma: number): number {
  const v = Math.pow(Math.min(1, Math.max(0, x)), 1 / gamma);
  return Math.round(v * 255) / 255;
}

/**
 * Radiance ramp over `stops` stops left to right (2^(−stops/2)…2^(stops/2)), with a mild
 * vertical modulation and per-channel tints, so every channel differs.
 */
export function radianceRamp(width: number, height: number, stops: number): HdrImage {
  const img = createHdr(width, height, 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const e =
        Math.pow(2, stops * (x / Math.max(1, width - 1) - 0.5)) * (1 + 0.2 * Math.sin(y / 3));
      const o = (y * width + x) * 3;
      img.data[o] = e;
      img.data[o + 1] = e * 0.8;
      img.data[o + 2] = e * 0.6;
    }
  }
  return img;
}

/** Exposes radiance E for time t through the gamma camera: 8-bit-quantised frame. */
export function expose(e: HdrImage, t: number, gamma: number): LdrImage {
  const out = createLdr(e.width, e.height, e.channels);
  for (let i = 0; i < e.data.length; i++) out.data[i] = gammaEncode(e.data[i] * t, gamma);
  return out;
}

/** Smooth random texture in [0, 1] (sum of random sinusoids plus value noise), one channel. */
export function texture(width: number, height: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(width * height);
  const waves = Array.from({ length: 12 }, () => ({
    fx: (r() - 0.5) * 0.6,
    fy: (r() - 0.5) * 0.6,
    ph: r() * 6.283,
    a: 0.5 + r(),
  }));
  let min = Infinity;
  let max = -Infinity;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (const w of waves) v += w.a * Math.sin(w.fx * x + w.fy * y + w.ph);
      out[y * width + x] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] - min) / (max - min);
  return out;
}

/**
 * Multi-scale value noise in [0, 1] (bilinear random grids with cells of 64…2 px), so the
 * texture has structure at every pyramid level. One channel, width × height.
 */
export function valueNoise(width: number, height: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(width * height);
  for (let cell = 64, amp = 1; cell >= 2; cell >>= 1, amp *= 0.8) {
    const gw = Math.ceil(width / cell) + 2;
    const gh = Math.ceil(height / cell) + 2;
    const grid = Float32Array.from({ length: gw * gh }, () => r());
    for (let y = 0; y < height; y++) {
      const gy = y / cell;
      const iy = Math.floor(gy);
      const fy = gy - iy;
      for (let x = 0; x < width; x++) {
        const gx = x / cell;
        const ix = Math.floor(gx);
        const fx = gx - ix;
        const a = grid[iy * gw + ix] * (1 - fx) + grid[iy * gw + ix + 1] * fx;
        const b = grid[(iy + 1) * gw + ix] * (1 - fx) + grid[(iy + 1) * gw + ix + 1] * fx;
        out[y * width + x] += amp * (a * (1 - fy) + b * fy);
      }
    }
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of out) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] - min) / (max - min);
  return out;
}
