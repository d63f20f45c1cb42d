import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../src/core/errors.js';
import {
  checkBracketImage,
  checkEvs,
  inUnitRange,
} from '../../../../src/core/model/inference/validate.js';

describe('bracket input checks', () => {
  it('inUnitRange: true only when every sample lies in [0, 1] (ends included)', () => {
    expect(inUnitRange(new Float32Array([0, 0.5, 1]))).toBe(true);
    expect(inUnitRange(new Float32Array([0, 1.0001]))).toBe(false);
    expect(inUnitRange(new Float32Array([-1e-7, 0.5]))).toBe(false);
    expect(inUnitRange(new Float32Array(0))).toBe(true);
  });

  it('checkBracketImage names a non-finite sample; checkEvs an EV out of range', () => {
    const data = new Float32Array(2 * 1 * 3).fill(0.5);
    data[4] = NaN;
    expect(() => checkBracketImage({ width: 2, height: 1, channels: 3, data }, 'a.jpg')).toThrow(
      /a\.jpg: 1 sample is not finite \(first: NaN at x=1, y=0, channel 1\)/,
    );
    expect(() => checkEvs([1, 4.5])).toThrow(InvalidInputError);
    expect(() => checkEvs([-4, 0, 2.5])).not.toThrow();
  });
});
