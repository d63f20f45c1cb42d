import { describe, expect, it } from 'vitest';
import { mulaw } from '../../../src/core/tonemap/mu-law.js';
import { allInUnit, nasty, ramp } from './helpers.js';

describe('mulaw', () => {
  it('applies ln(1 + μx)/ln(1 + μ) to values normalised by the maximum', () => {
    const img = ramp(50, -4, 1);
    const max = img.data[49 * 3];
    for (const mu of [5000, 10]) {
      const out = mulaw.apply(img, { mu }).data;
      for (const x of [0, 10, 30, 49]) {
        const v = img.data[3 * x] / max;
        expect(out[3 * x]).toBeCloseTo(Math.log1p(mu * v) / Math.log1p(mu), 4);
      }
    }
  });
  it('a lower percentile clips the top, output stays in [0, 1]', () => {
    const out = mulaw.apply(ramp(100), { percentile: 80 }).data;
    expect(out[99 * 3]).toBe(1);
    expect(out[70 * 3]).toBeLessThan(1);
    expect(allInUnit(mulaw.apply(nasty(), {}).data)).toBe(true);
  });
});
