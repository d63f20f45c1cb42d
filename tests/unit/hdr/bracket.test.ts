import { describe, expect, it } from 'vitest';
import {
  middleExposureIndex,
  validateBracket,
  validateResponse,
} from '../../../src/core/hdr/bracket.js';
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
