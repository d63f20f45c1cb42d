import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/errors.js';
import { createHdr } from '../../../src/core/image/image.js';
import type { FloatImage } from '../../../src/core/image/image.js';
import { ssim } from '../../../src/core/metrics/ssim.js';

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomImage(w: number, h: number, c: 1 | 3, seed: number): FloatImage {
  const r = rng(seed);
  return createHdr(
    w,
    h,
    c,
    new Float32Array(w * h * c).map(() => r()),
  );
}

/** Direct definition: 2-D 11×11 Gaussian window (σ 1.5) at every valid position. */
function naiveSsim(a: FloatImage, b: FloatImage): number {
  const { width: w, height: h } = a;
  const g: number[] = [];
  let gs = 0;
  for (let i = 0; i < 11; i++) {
    g.push(Math.exp(-((i - 5) ** 2) / (2 * 1.5 * 1.5)));
    gs += g[i];
  }
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  let total = 0;
  let count = 0;
  for (let y = 0; y + 11 <= h; y++) {
    for (let x = 0; x + 11 <= w; x++) {
      let mx = 0;
      let my = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let j = 0; j < 11; j++) {
        for (let i = 0; i < 11; i++) {
          const wt = (g[i] * g[j]) / (gs * gs);
          const p = (y + j) * w + x + i;
          mx += wt * a.data[p];
          my += wt * b.data[p];
        }
      }
      for (let j = 0; j < 11; j++) {
        for (let i = 0; i < 11; i++) {
          const wt = (g[i] * g[j]) / (gs * gs);
          const p = (y + j) * w + x + i;
          const dx = a.data[p] - mx;
          const dy = b.data[p] - my;
          sxx += wt * dx * dx;
          syy += wt * dy * dy;
          sxy += wt * dx * dy;
        }
      }
      total +=
        ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2));
      count++;
    }
  }
  return total / count;
}

describe('ssim', () => {
  it('is 1 for identical images', () => {
    const a = randomImage(32, 24, 3, 1);
    expect(ssim(a, a)).toBeCloseTo(1, 10);
  });
  it('matches the luminance term for constant images', () => {
    const a = createHdr(16, 16, 1, new Float32Array(256).fill(0.5));
    const b = createHdr(16, 16, 1, new Float32Array(256).fill(0.3));
    const c1 = 1e-4;
    expect(ssim(a, b)).toBeCloseTo((2 * 0.5 * 0.3 + c1) / (0.25 + 0.09 + c1), 6);
  });
  it('matches the direct 2-D definition on random data', () => {
    const a = randomImage(30, 20, 1, 2);
    const r = rng(3);
    const b = createHdr(
      30,
      20,
      1,
      a.data.map((v) => 0.7 * v + 0.2 * r()),
    );
    expect(ssim(a, b)).toBeCloseTo(naiveSsim(a, b), 6);
  });
  it('is strongly negative for a contrast-inverted texture', () => {
    const d = new Float32Array(24 * 24);
    for (let y = 0; y < 24; y++) for (let x = 0; x < 24; x++) d[y * 24 + x] = (x + y) % 2;
    const a = createHdr(
      24,
      24,
      1,
      d.map((v) => 0.3 + 0.4 * v),
    );
    const b = createHdr(
      24,
      24,
      1,
      d.map((v) => 0.7 - 0.4 * v),
    );
    // ≈ (−2σ² + C2) / (2σ² + C2) with σ ≈ 0.2
    expect(ssim(a, b)).toBeLessThan(-0.9);
  });
  it('averages channels and is symmetric', () => {
    const a = randomImage(20, 20, 3, 4);
    const b = randomImage(20, 20, 3, 5);
    expect(ssim(a, b)).toBeCloseTo(ssim(b, a), 10);
    const split = (img: FloatImage, c: number): FloatImage =>
      createHdr(
        20,
        20,
        1,
        img.data.filter((_, i) => i % 3 === c),
      );
    const mean =
      (ssim(split(a, 0), split(b, 0)) +
        ssim(split(a, 1), split(b, 1)) +
        ssim(split(a, 2), split(b, 2))) /
      3;
    expect(ssim(a, b)).toBeCloseTo(mean, 10);
  });
  it('handles images smaller than the window', () => {
    const a = randomImage(5, 7, 1, 6);
    expect(ssim(a, a)).toBeCloseTo(1, 10);
  });
  it('rejects mismatched sizes and honours abort', () => {
    expect(() => ssim(createHdr(4, 4), createHdr(4, 5))).toThrow(InvalidInputError);
    const ctl = new AbortController();
    ctl.abort();
    const a = randomImage(16, 16, 1, 7);
    expect(() => ssim(a, a, { signal: ctl.signal })).toThrow(/Cancelled/);
  });
});
