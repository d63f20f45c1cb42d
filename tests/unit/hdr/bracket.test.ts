import { describe, expect, it } from 'vitest';
import {
  middleExposureIndex,
  validateBracket,
  validateResponse,
} from '../../../src/core/hdr/bracket.js';
import { hatWeights, robertsonWeights, toCode } from '../../../src/core/hdr/merge-weights.js';
import { createLdr } from '../../../src/core/image/image.js';
import { InvalidInputError } from '../../../src/core/errors.js';

describe('validateBracket', () => {
  const f = createLdr(4, 3, 3);
  it('accepts a valid bracket and names bad frames by index and file', () => {
    expect(() => validateBracket({ frames: [f, f], times: [1, 2] })).not.toThrow();
    expect(() =>
      validateBracket({
        frames: [f, createLdr(3, 4, 3)],
        times: [1, 2],
        files: ['a.jpg', 'b.jpg'],
      }),
    ).toThrow(/frame 1 \(b\.jpg\) is 3×4×3.*4×3×3/);
    expect(() => validateBracket({ frames: [f, f], times: [1, Infinity] })).toThrow(
      InvalidInputError,
    );
    expect(() => validateBracket({ frames: [f, f], times: [0, 1] })).toThrow(/frame 0/);
    expect(() => validateBracket({ frames: [f], times: [1] })).toThrow(/at least 2/);
  });
  it('checks the response', () => {
    const ok = new Float32Array(256).fill(1);
    expect(() => validateResponse({ inverse: [ok, ok, ok], source: 't' }, 3)).not.toThrow();
    expect(() => validateResponse({ inverse: [ok, ok], source: 't' }, 3)).toThrow(/2 curves/);
    const bad = ok.slice();
    bad[9] = NaN;
    expect(() => validateResponse({ inverse: [bad], source: 't' }, 3)).toThrow(/code 9/);
  });
  it('finds the middle exposure', () => {
    expect(middleExposureIndex([4, 1, 1 / 4])).toBe(1);
    expect(middleExposureIndex([1, 8, 2, 4, 16])).toBe(3);
  });
});

describe('merge weights', () => {
  it('hat: 0 at the ends, 1 at mid-grey, symmetric', () => {
    const w = hatWeights();
    expect(w[0]).toBe(0);
    expect(w[255]).toBe(0);
    expect(w[127]).toBe(1);
    for (let z = 0; z < 256; z++) expect(w[z]).toBeCloseTo(w[255 - z], 6);
  });
  it('Robertson: 0 at the ends, ≈1 at mid-grey, e⁻¹-ish at a quarter', () => {
    const w = robertsonWeights();
    expect(w[0]).toBeCloseTo(0, 6);
    expect(w[255]).toBeCloseTo(0, 6);
    expect(w[127]).toBeGreaterThan(0.999);
    const e4 = Math.exp(-4);
    // z = 63.75 → u = −0.5 → exp(−1)
    expect(w[64]).toBeCloseTo((Math.exp(-4 * ((64 - 127.5) / 127.5) ** 2) - e4) / (1 - e4), 6);
  });
  it('quantises to codes, NaN-safe', () => {
    expect(toCode(0)).toBe(0);
    expect(toCode(1)).toBe(255);
    expect(toCode(0.5)).toBe(128);
    expect(toCode(-3)).toBe(0);
    expect(toCode(7)).toBe(255);
    expect(toCode(NaN)).toBe(0);
  });
});
