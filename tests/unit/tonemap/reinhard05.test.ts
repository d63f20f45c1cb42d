import { describe, expect, it } from 'vitest';
import { reinhard05, reinhard05Contrast } from '../../../src/core/tonemap/reinhard05.js';
import { createHdr } from '../../../src/core/image/image.js';
import { allInUnit, constant, nasty, ramp } from './helpers.js';

describe('reinhard05', () => {
  it('constant image: V = 1/(1 + e^(−f·m)) with m = 0.3', () => {
    for (const f of [0, 2, -1]) {
      const lin = reinhard05.applyLinear(constant(42), { intensity: f });
      expect(lin.rgb[0]).toBeCloseTo(1 / (1 + Math.exp(-f * 0.3)), 4);
    }
  });
  it('contrast from the log-domain key (Eq. 8)', () => {
    expect(reinhard05Contrast(-4, 0, -4)).toBeCloseTo(1, 10);
    expect(reinhard05Contrast(-4, 0, 0)).toBeCloseTo(0.3, 10);
    expect(reinhard05Contrast(-4, 0, -2)).toBeCloseTo(0.3 + 0.7 * Math.pow(0.5, 1.4), 10);
  });
  it('normalises the result to span [0, 1]', () => {
    const img = createHdr(2, 1, 3, new Float32Array([0.1, 0.1, 0.1, 10, 10, 10]));
    const lin = reinhard05.applyLinear(img, { light: 0 });
    expect(lin.rgb[0]).toBeCloseTo(0, 6);
    expect(lin.rgb[3]).toBeCloseTo(1, 6);
  });
  it('is monotonic on a ramp, in [0, 1] and NaN-safe', () => {
    for (const light of [0, 0.5, 1]) {
      const out = reinhard05.apply(ramp(200), { light });
      expect(allInUnit(out.data)).toBe(true);
      for (let x = 1; x < 200; x++)
        expect(out.data[3 * x]).toBeGreaterThanOrEqual(out.data[3 * x - 3] - 1e-6);
    }
    expect(allInUnit(reinhard05.apply(nasty(), { chromatic: 1 }).data)).toBe(true);
  });
});
