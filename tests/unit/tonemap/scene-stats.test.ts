import { describe, expect, it } from 'vitest';
import {
  exp2Fast,
  imageLogAverage,
  lnFast,
  luminanceStats,
} from '../../../src/core/tonemap/scene-stats.js';
import { createHdr } from '../../../src/core/image/image.js';

describe('scene statistics', () => {
  it('lnFast and exp2Fast match Math.log / 2^x', () => {
    for (const v of [1e-30, 1e-6, 0.3, 1, 2, 7.25, 1e4, 3e30])
      expect(Math.abs(lnFast(v) - Math.log(v))).toBeLessThan(2e-7);
    for (const t of [-999, -30.5, -1, 0, 0.3, 1.75, 40.1, 900])
      expect(exp2Fast(t) / Math.pow(2, t)).toBeCloseTo(1, 7);
    expect(exp2Fast(-2000)).toBe(0);
  });
  it('one-pass luminance statistics and log-average', () => {
    const img = createHdr(3, 1, 3, new Float32Array([1, 1, 1, 4, 4, 4, NaN, -1, Infinity]));
    const st = luminanceStats(img);
    expect(st.max).toBeCloseTo(4, 6);
    expect(st.minPositive).toBeCloseTo(1, 6);
    expect(st.mean).toBeCloseTo(5 / 3, 6);
    expect(st.channelMean[0]).toBeCloseTo(5 / 3, 6);
    // exp(mean(ln(δ + L))) with the black pixel at δ = 1e-3.
    const want = Math.exp((Math.log(1.001) + Math.log(4.001) + Math.log(0.001)) / 3);
    expect(imageLogAverage(img, 1e-3) / want).toBeCloseTo(1, 6);
  });
});
