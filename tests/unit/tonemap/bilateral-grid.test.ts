import { describe, expect, it } from 'vitest';
import { bilateralGrid } from '../../../src/core/tonemap/bilateral-grid.js';

function bruteBilateral(
  p: Float32Array,
  w: number,
  h: number,
  ss: number,
  sr: number,
): Float32Array {
  const out = new Float32Array(w * h);
  const r = Math.ceil(3 * ss);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = p[y * w + x];
      let sv = 0;
      let sw = 0;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const v = p[yy * w + xx];
          const wt = Math.exp(
            -(dx * dx + dy * dy) / (2 * ss * ss) - ((v - c) * (v - c)) / (2 * sr * sr),
          );
          sv += wt * v;
          sw += wt;
        }
      }
      out[y * w + x] = sv / sw;
    }
  }
  return out;
}

describe('bilateralGrid', () => {
  it('approximates a brute-force bilateral filter', () => {
    const w = 48;
    const h = 40;
    const p = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        p[y * w + x] =
          (x > 20 ? 1 : 0) + 0.1 * Math.sin(x * 0.9 + y * 0.5) + 0.05 * Math.cos(y * 1.3);
      }
    }
    const ss = 4;
    const sr = 0.3;
    const fast = bilateralGrid(p, w, h, ss, sr);
    const ref = bruteBilateral(p, w, h, ss, sr);
    let sumErr = 0;
    let maxErr = 0;
    for (let i = 0; i < w * h; i++) {
      const e = Math.abs(fast[i] - ref[i]);
      sumErr += e;
      maxErr = Math.max(maxErr, e);
    }
    // Signal amplitude ≈ 1 (step) + 0.15 texture: mean error well under the texture amplitude.
    expect(sumErr / (w * h)).toBeLessThan(0.02);
    expect(maxErr).toBeLessThan(0.1);
  });

  it('preserves a step edge while smoothing noise on each side', () => {
    const w = 64;
    const h = 16;
    const p = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) p[y * w + x] = (x >= 32 ? 2 : 0) + ((x + y) % 2 ? 0.05 : -0.05);
    }
    const out = bilateralGrid(p, w, h, 6, 0.4);
    for (let y = 0; y < h; y++) {
      // Right next to the edge the step is intact (within 5 %).
      expect(out[y * w + 31]).toBeLessThan(0.1);
      expect(out[y * w + 32]).toBeGreaterThan(1.9);
      // Noise of ±0.05 is smoothed.
      expect(Math.abs(out[y * w + 10])).toBeLessThan(0.02);
      expect(Math.abs(out[y * w + 50] - 2)).toBeLessThan(0.02);
    }
  });

  it('returns a constant plane unchanged', () => {
    const p = new Float32Array(30 * 20).fill(-1.5);
    const out = bilateralGrid(p, 30, 20, 3, 0.2);
    for (const v of out) expect(v).toBeCloseTo(-1.5, 5);
  });

  it('rejects bad sigmas and sizes', () => {
    expect(() => bilateralGrid(new Float32Array(4), 2, 2, 0, 1)).toThrow();
    expect(() => bilateralGrid(new Float32Array(3), 2, 2, 1, 1)).toThrow();
  });
});
