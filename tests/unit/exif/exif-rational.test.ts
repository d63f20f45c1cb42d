import { describe, expect, it } from 'vitest';
import {
  bestRational,
  biasRational,
  formatEv,
  scaleExposureTime,
  signedRational,
} from '../../../src/core/exif/exif-rational.js';

describe('biasRational', () => {
  it('is exact for multiples of 1/2 and 1/3 EV', () => {
    expect(biasRational(-2)).toEqual([-2, 1]);
    expect(biasRational(0)).toEqual([0, 1]);
    expect(biasRational(-0)).toEqual([0, 1]);
    expect(biasRational(0.5)).toEqual([1, 2]);
    expect(biasRational(1 / 3)).toEqual([1, 3]);
    expect(biasRational(-0.333333)).toEqual([-1, 3]); // typed on a command line
    expect(biasRational(-4 / 3)).toEqual([-4, 3]);
    expect(biasRational(5 / 6)).toEqual([5, 6]);
    expect(biasRational(-1 / 3 + 2)).toEqual([5, 3]);
  });
  it('falls back to 1/100 EV, reduced', () => {
    expect(biasRational(0.3)).toEqual([3, 10]);
    expect(biasRational(-0.7)).toEqual([-7, 10]);
    expect(biasRational(0.123)).toEqual([3, 25]); // 0.12
    expect(biasRational(1.25)).toEqual([5, 4]);
  });
  it('rejects non-finite values', () => {
    expect(() => biasRational(Number.NaN)).toThrow(RangeError);
  });
});

describe('scaleExposureTime', () => {
  it('is exact for whole stops', () => {
    expect(scaleExposureTime([1, 60], -2)).toEqual([1, 240]);
    expect(scaleExposureTime([1, 60], 1)).toEqual([1, 30]);
    expect(scaleExposureTime([1, 60], 6)).toEqual([16, 15]);
    expect(scaleExposureTime([30, 1], 3)).toEqual([240, 1]);
    expect(scaleExposureTime([10, 1250], -1)).toEqual([1, 250]);
  });
  it('is as close as 32-bit terms allow for fractional stops', () => {
    for (const ev of [0.5, 1 / 3, -2 / 3, -0.25, 2.7]) {
      const [n, d] = scaleExposureTime([1, 60], ev);
      expect(n).toBeLessThanOrEqual(0xffffffff);
      expect(d).toBeLessThanOrEqual(0xffffffff);
      expect(Number.isInteger(n) && Number.isInteger(d)).toBe(true);
      expect(Math.abs(n / d / ((1 / 60) * 2 ** ev) - 1)).toBeLessThan(1e-14);
    }
  });
  it('falls back to an approximation when a whole-stop result overflows 32 bits', () => {
    expect(scaleExposureTime([3, 4_000_000_000], 2)).toEqual([3, 1_000_000_000]);
    const [n, d] = scaleExposureTime([3_000_000_001, 3_000_000_000], 2);
    expect(n / d / (4 * (3_000_000_001 / 3_000_000_000)) - 1).toBeCloseTo(0, 15);
    expect(Math.max(n, d)).toBeLessThanOrEqual(0xffffffff);
    // Below the smallest representable positive value: 1/(2³²−1), never 0.
    expect(scaleExposureTime([1, 4_000_000_000], -2)).toEqual([1, 0xffffffff]);
  });
});

describe('bestRational / signedRational', () => {
  it('finds simple fractions and bounds the terms', () => {
    expect(bestRational(0.75)).toEqual([3, 4]);
    expect(bestRational(0)).toEqual([0, 1]);
    const [n, d] = bestRational(Math.PI, 1000, 1000);
    expect([n, d]).toEqual([355, 113]);
    expect(signedRational(-Math.log2(15))[0]).toBeLessThan(0);
    const [sn, sd] = signedRational(-Math.log2(15));
    expect(sn / sd).toBeCloseTo(-Math.log2(15), 15);
  });
});

describe('formatEv', () => {
  it('always signs, two decimals', () => {
    expect(formatEv(2)).toBe('+2.00');
    expect(formatEv(-1 / 3)).toBe('-0.33');
    expect(formatEv(0)).toBe('+0.00');
    expect(formatEv(-0.001)).toBe('+0.00');
  });
});
