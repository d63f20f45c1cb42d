import { describe, expect, it } from 'vitest';
import { drago03, dragoGammaCurve } from '../../../src/core/tonemap/drago03.js';
import { linearRgb } from '../../../src/core/tonemap/display.js';
import { allInUnit, nasty, ramp } from './helpers.js';

describe('drago03', () => {
  it('follows the paper formula (brightest pixel at Ldmax·0.01)', () => {
    const img = ramp(101, -2, 3);
    const n = 101;
    let s = 0;
    let max = 0;
    for (let x = 0; x < n; x++) {
      s += Math.log(img.data[3 * x] + 1e-6 * 1000);
      max = Math.max(max, img.data[3 * x]);
    }
    const lwa = Math.exp(s / n);
    const lwmax = max / lwa;
    for (const [bias, ldmax] of [
      [0.85, 100],
      [0.6, 50],
    ]) {
      const lin = drago03.applyLinear(img, { bias, ldmax });
      expect(linearRgb(lin)[(n - 1) * 3]).toBeCloseTo(ldmax * 0.01, 4);
      const p = Math.log(bias) / Math.log(0.5);
      for (const x of [10, 50, 80]) {
        const lw = img.data[3 * x] / lwa;
        const expected =
          ((ldmax * 0.01) / Math.log10(lwmax + 1)) *
          (Math.log(lw + 1) / Math.log(2 + 8 * Math.pow(lw / lwmax, p)));
        expect(linearRgb(lin)[3 * x] / expected).toBeCloseTo(1, 3);
      }
    }
  });
  it('is monotonic, in [0, 1] and NaN-safe', () => {
    const out = drago03.apply(ramp(300), {});
    expect(allInUnit(out.data)).toBe(true);
    for (let x = 1; x < 300; x++)
      expect(out.data[3 * x]).toBeGreaterThanOrEqual(out.data[3 * x - 3]);
    expect(allInUnit(drago03.apply(nasty(), { paperGamma: 1 }).data)).toBe(true);
  });
  it('paper gamma: Rec. 709 constants for γ = 2, continuous at the toe', () => {
    const c = dragoGammaCurve(2);
    expect(c(0.018)).toBeCloseTo(4.5 * 0.018, 3);
    expect(c(1)).toBeCloseTo(1, 10);
    const g = dragoGammaCurve(2.2);
    for (let v = 0.001; v < 0.1; v += 0.001)
      expect(Math.abs(g(v + 1e-7) - g(v))).toBeLessThan(1e-5);
  });
});
