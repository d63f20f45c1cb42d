import { describe, expect, it } from 'vitest';
import {
  REINHARD05_ANCHOR,
  reinhard05,
  reinhard05Contrast,
} from '../../../src/core/tonemap/reinhard05.js';
import { linearRgb } from '../../../src/core/tonemap/display.js';
import { createHdr } from '../../../src/core/image/image.js';
import { allInUnit, constant, nasty, ramp } from './helpers.js';

/** Grey pixels: the paper's model written out independently (light l, no chromatic adaptation). */
function expectedGrey(values: number[], l: number, f = 0): number[] {
  const lmax = Math.max(...values);
  const lmin = Math.min(...values);
  const floor = 1e-8 * lmax;
  const lav = Math.exp(values.reduce((s, v) => s + Math.log(floor + v), 0) / values.length);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const k = (Math.log(lmax) - Math.log(lav)) / (Math.log(lmax) - Math.log(lmin));
  const m = 0.3 + 0.7 * Math.pow(k, 1.4);
  const norm = REINHARD05_ANCHOR / lav;
  const v = values.map((x) => {
    const i = x * norm;
    const ia = l * i + (1 - l) * mean * norm;
    return i / (i + Math.pow(Math.exp(-f) * ia, m));
  });
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return v.map((x) => (x - lo) / (hi - lo));
}

describe('reinhard05', () => {
  it('constant image: m = 0.3 and V = A/(A + (e^−f·A)^0.3) at the anchor A, any scale', () => {
    for (const k of [0.001, 42, 1e5]) {
      for (const f of [0, 2, -1]) {
        const v = linearRgb(reinhard05.applyLinear(constant(k), { intensity: f }))[0];
        const a = REINHARD05_ANCHOR;
        expect(v).toBeCloseTo(a / (a + Math.pow(Math.exp(-f) * a, 0.3)), 4);
      }
    }
  });
  it('contrast from the log-domain key (Eq. 8)', () => {
    expect(reinhard05Contrast(-4, 0, -4)).toBeCloseTo(1, 10);
    expect(reinhard05Contrast(-4, 0, 0)).toBeCloseTo(0.3, 10);
    expect(reinhard05Contrast(-4, 0, -2)).toBeCloseTo(0.3 + 0.7 * Math.pow(0.5, 1.4), 10);
  });
  it('follows the paper on a grey image with 8 decades (no 1e-4 luminance floor)', () => {
    const values = [1e-5, 1e-3, 0.01, 0.1, 0.5, 1, 10, 1000];
    const img = createHdr(values.length, 1, 3, new Float32Array(values.flatMap((v) => [v, v, v])));
    for (const light of [1, 0.5, 0]) {
      const want = expectedGrey(values, light, 0.5);
      const got = linearRgb(reinhard05.applyLinear(img, { light, chromatic: 0, intensity: 0.5 }));
      for (let x = 0; x < values.length; x++) expect(got[3 * x]).toBeCloseTo(want[x], 4);
    }
  });
  it('is scale-invariant and shows V without a display gamma', () => {
    const a = reinhard05.apply(ramp(64), {}).data;
    const img = ramp(64);
    for (let i = 0; i < img.data.length; i++) img.data[i] *= 1000;
    const lin = reinhard05.applyLinear(img, {});
    expect(lin.gamma).toBe(1);
    const b = reinhard05.apply(img, {}).data;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 4);
  });
  it('normalises the result to span [0, 1]', () => {
    const img = createHdr(2, 1, 3, new Float32Array([0.1, 0.1, 0.1, 10, 10, 10]));
    const lin = linearRgb(reinhard05.applyLinear(img, { light: 0 }));
    expect(lin[0]).toBeCloseTo(0, 6);
    expect(lin[3]).toBeCloseTo(1, 6);
  });
  it('is monotonic on a ramp, in [0, 1] and NaN-safe', () => {
    for (const light of [0, 0.5, 1]) {
      const out = reinhard05.apply(ramp(200), { light, chromatic: 0 });
      expect(allInUnit(out.data)).toBe(true);
      for (let x = 1; x < 200; x++)
        expect(out.data[3 * x]).toBeGreaterThanOrEqual(out.data[3 * x - 3] - 1e-6);
    }
    expect(allInUnit(reinhard05.apply(nasty(), { chromatic: 1 }).data)).toBe(true);
  });
});
