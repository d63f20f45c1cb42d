import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/errors.js';
import { createHdr } from '../../../src/core/image/image.js';
import { logLuminanceError } from '../../../src/core/metrics/log-luminance.js';

describe('logLuminanceError', () => {
  it('is 0 for identical images and |log10 k| for a gain k', () => {
    const a = createHdr(3, 1, 3, new Float32Array([1, 2, 3, 0.5, 0.5, 0.5, 10, 0, 4]));
    expect(logLuminanceError(a, a)).toBe(0);
    const b = createHdr(
      3,
      1,
      3,
      a.data.map((v) => v * 10),
    );
    expect(logLuminanceError(b, a)).toBeCloseTo(1, 5);
    expect(logLuminanceError(a, b)).toBeCloseTo(1, 5);
  });
  it('uses the single channel of grey images and ε for black', () => {
    const a = createHdr(2, 1, 1, new Float32Array([0, 1]));
    const b = createHdr(2, 1, 1, new Float32Array([0, 100]));
    expect(logLuminanceError(a, b)).toBeCloseTo(Math.sqrt(2), 5);
    const z = createHdr(1, 1, 1, new Float32Array([0]));
    const o = createHdr(1, 1, 1, new Float32Array([0.01]));
    expect(logLuminanceError(o, z, { epsilon: 0.01 })).toBeCloseTo(Math.log10(2), 6);
  });
  it('validates input', () => {
    expect(() => logLuminanceError(createHdr(1, 1), createHdr(1, 2))).toThrow(InvalidInputError);
    expect(() => logLuminanceError(createHdr(1, 1), createHdr(1, 1), { epsilon: 0 })).toThrow(
      InvalidInputError,
    );
  });
});
