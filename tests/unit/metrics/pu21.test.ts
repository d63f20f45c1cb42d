import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/errors.js';
import { createHdr } from '../../../src/core/image/image.js';
import { pu21Encode, pu21Psnr } from '../../../src/core/metrics/pu21.js';

describe('pu21Encode', () => {
  it('hits the published anchor values', () => {
    // 0.005 cd/m² → ≈0, 100 cd/m² → ≈256 (SDR-like range), 10000 cd/m² → ≈595.39.
    expect(pu21Encode(0.005)).toBeLessThan(1e-6);
    expect(pu21Encode(100)).toBeGreaterThan(250);
    expect(pu21Encode(100)).toBeLessThan(262);
    expect(pu21Encode(10000)).toBeCloseTo(595.3939, 3);
  });
  it('is monotonic and clamps to its range', () => {
    let prev = -1;
    for (let e = -2.3; e <= 4; e += 0.01) {
      const v = pu21Encode(10 ** e);
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
    expect(pu21Encode(1e6)).toBe(pu21Encode(10000));
    expect(pu21Encode(-5)).toBe(pu21Encode(0.005));
  });
});

describe('pu21Psnr', () => {
  it('matches the closed form for constant images', () => {
    const a = createHdr(2, 2, 3, new Float32Array(12).fill(0.1));
    const b = createHdr(2, 2, 3, new Float32Array(12).fill(1));
    // Reference max → 1000 cd/m²: a shows at 100 cd/m².
    const d = pu21Encode(1000) - pu21Encode(100);
    const expected = 20 * Math.log10(pu21Encode(10000) / d);
    expect(pu21Psnr(a, b)).toBeCloseTo(expected, 4);
    expect(pu21Psnr(a, b, { scale: 1000 })).toBeCloseTo(expected, 4);
    expect(pu21Psnr(a, b, { peakLuminance: 100 })).toBeCloseTo(
      20 * Math.log10(pu21Encode(10000) / (pu21Encode(100) - pu21Encode(10))),
      4,
    );
  });
  it('is Infinity for identical images and validates input', () => {
    const a = createHdr(2, 2, 1, new Float32Array([0.1, 0.5, 1, 2]));
    expect(pu21Psnr(a, a)).toBe(Infinity);
    expect(() => pu21Psnr(a, createHdr(2, 2, 1))).toThrow(InvalidInputError);
    expect(() => pu21Psnr(a, a, { scale: -1 })).toThrow(InvalidInputError);
  });
});
