import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/errors.js';
import { createHdr } from '../../../src/core/image/image.js';
import { mse, psnr } from '../../../src/core/metrics/psnr.js';

describe('psnr', () => {
  it('is Infinity for identical images', () => {
    const a = createHdr(3, 2, 3, new Float32Array(18).fill(0.4));
    expect(psnr(a, a)).toBe(Infinity);
  });
  it('is −10·log10(d²) for a uniform offset d', () => {
    const a = createHdr(4, 4, 3, new Float32Array(48).fill(0.25));
    const b = createHdr(4, 4, 3, new Float32Array(48).fill(0.35));
    expect(psnr(a, b)).toBeCloseTo(-10 * Math.log10(0.01), 4);
    expect(psnr(a, b, 255)).toBeCloseTo(10 * Math.log10((255 * 255) / 0.01), 3);
  });
  it('averages the error over channels', () => {
    const a = createHdr(1, 1, 3, new Float32Array([0, 0, 0]));
    const b = createHdr(1, 1, 3, new Float32Array([0.3, 0, 0]));
    expect(mse(a, b)).toBeCloseTo(0.03, 6);
  });
  it('throws on size mismatch and propagates NaN', () => {
    expect(() => psnr(createHdr(2, 2), createHdr(2, 3))).toThrow(InvalidInputError);
    expect(() => psnr(createHdr(2, 2, 1), createHdr(2, 2, 3))).toThrow(/differ in size/);
    const n = createHdr(1, 1, 1, new Float32Array([NaN]));
    expect(psnr(n, createHdr(1, 1, 1))).toBeNaN();
  });
});
