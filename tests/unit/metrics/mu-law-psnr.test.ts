import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/errors.js';
import { createHdr } from '../../../src/core/image/image.js';
import { muLawPsnr } from '../../../src/core/metrics/mu-law-psnr.js';

const fill = (v: number, n = 12): Float32Array => new Float32Array(n).fill(v);

describe('muLawPsnr', () => {
  it('matches the closed form for constant images', () => {
    const a = createHdr(2, 2, 3, fill(0.5));
    const b = createHdr(2, 2, 3, fill(1));
    const t = Math.log(1 + 5000 * 0.5) / Math.log(5001);
    expect(muLawPsnr(a, b)).toBeCloseTo(-20 * Math.log10(1 - t), 6);
  });
  it('normalises by the reference maximum (scale invariant)', () => {
    const a = createHdr(2, 1, 1, new Float32Array([0.2, 3]));
    const b = createHdr(2, 1, 1, new Float32Array([0.25, 4]));
    const a2 = createHdr(
      2,
      1,
      1,
      a.data.map((v) => v * 100),
    );
    const b2 = createHdr(
      2,
      1,
      1,
      b.data.map((v) => v * 100),
    );
    expect(muLawPsnr(a2, b2)).toBeCloseTo(muLawPsnr(a, b), 6);
    // By hand: values / 4 → (0.05, 0.75) vs (0.0625, 1).
    const T = (x: number): number => Math.log1p(5000 * x) / Math.log1p(5000);
    const mse = ((T(0.05) - T(0.0625)) ** 2 + (T(0.75) - 1) ** 2) / 2;
    expect(muLawPsnr(a, b)).toBeCloseTo(-10 * Math.log10(mse), 6);
  });
  it('is Infinity for identical images, and validates input', () => {
    const a = createHdr(2, 2, 3, fill(0.4));
    expect(muLawPsnr(a, a)).toBe(Infinity);
    expect(() => muLawPsnr(a, createHdr(2, 2, 3))).toThrow(InvalidInputError);
    expect(() => muLawPsnr(a, createHdr(2, 3, 3))).toThrow(/differ in size/);
  });
  it('works without normalisation on 0…1 data', () => {
    const a = createHdr(2, 2, 3, fill(0.5));
    const b = createHdr(2, 2, 3, fill(0.25));
    const T = (x: number): number => Math.log1p(100 * x) / Math.log1p(100);
    expect(muLawPsnr(a, b, { mu: 100, normalise: false })).toBeCloseTo(
      -20 * Math.log10(T(0.5) - T(0.25)),
      6,
    );
  });
});
