import { describe, expect, it } from 'vitest';
import { createHdr } from '../../../src/core/image/image.js';
import { luminance } from '../../../src/core/image/luminance.js';

describe('luminance', () => {
  it('uses Rec. 709 weights', () => {
    const img = createHdr(4, 1, 3, new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 2, 2, 2]));
    const y = luminance(img);
    expect(y[0]).toBeCloseTo(0.2126, 6);
    expect(y[1]).toBeCloseTo(0.7152, 6);
    expect(y[2]).toBeCloseTo(0.0722, 6);
    expect(y[3]).toBeCloseTo(2, 6);
  });
  it('copies a grey image', () => {
    const img = createHdr(2, 1, 1, new Float32Array([3, 4]));
    const y = luminance(img);
    expect(Array.from(y)).toEqual([3, 4]);
    y[0] = 9;
    expect(img.data[0]).toBe(3);
  });
});
