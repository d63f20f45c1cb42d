import { expect } from 'vitest';
import { createHdr } from '../../../src/core/image/image.js';
import type { HdrImage, FloatImage } from '../../../src/core/image/image.js';
import type { ToneMapOperator } from '../../../src/core/tonemap/operator.js';

/** Default params of an operator. */
export function defaults(op: ToneMapOperator): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of op.meta.params) out[p.key] = p.default;
  return out;
}

/** HDR test scene: horizontal log ramp over `decades`, a 2×2-checker texture of ±amp, tinted. */
export function rampScene(w: number, h: number, decades: number, amp = 0.2): HdrImage {
  const d = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = ((x >> 1) + (y >> 1)) % 2 ? 1 + amp : 1 - amp;
      const L = Math.pow(10, (decades * x) / (w - 1)) * t;
      const i = (y * w + x) * 3;
      d[i] = 1.2 * L;
      d[i + 1] = L;
      d[i + 2] = 0.6 * L;
    }
  }
  return createHdr(w, h, 3, d);
}

export function expectDisplayable(out: FloatImage, w: number, h: number): void {
  expect(out.width).toBe(w);
  expect(out.height).toBe(h);
  expect(out.channels).toBe(3);
  for (const v of out.data) {
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
  }
}

export function maxAbsDiff(a: FloatImage, b: FloatImage): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

/** Image with NaN, ±Inf, negatives and zeros sprinkled over a ramp. */
export function hostileScene(w: number, h: number): HdrImage {
  const img = rampScene(w, h, 3);
  const bad = [NaN, Infinity, -Infinity, -5, 0];
  for (let i = 0; i < img.data.length; i += 37) img.data[i] = bad[i % bad.length];
  return img;
}

/** Mean |difference| of the green channel between 2×2-checker neighbours in a column band. */
export function textureContrast(out: FloatImage, x0: number, x1: number): number {
  const { width, height, data } = out;
  let s = 0;
  let n = 0;
  for (let y = 2; y < height - 4; y += 2) {
    for (let x = x0; x < x1; x += 2) {
      const a = data[(y * width + x) * 3 + 1];
      const b = data[((y + 2) * width + x) * 3 + 1];
      s += Math.abs(a - b);
      n++;
    }
  }
  return s / n;
}
