import { describe, expect, it } from 'vitest';
import { crop } from '../../../src/core/image/crop.js';
import { createHdr, createLdr } from '../../../src/core/image/image.js';

describe('crop', () => {
  it('copies the rectangle', () => {
    const img = createHdr(
      4,
      3,
      1,
      new Float32Array(12).map((_, i) => i),
    );
    const out = crop(img, 1, 1, 2, 2);
    expect(Array.from(out.data)).toEqual([5, 6, 9, 10]);
    expect(out.width).toBe(2);
    const rgb = crop(createLdr(2, 1, 3, new Float32Array([1, 2, 3, 4, 5, 6]), 16), 1, 0, 1, 1);
    expect(Array.from(rgb.data)).toEqual([4, 5, 6]);
    expect(rgb.bitDepth).toBe(16);
  });
  it('rejects rectangles outside the image', () => {
    const img = createHdr(4, 3, 1);
    expect(() => crop(img, 3, 0, 2, 1)).toThrow(/not inside the 4×3 image/);
    expect(() => crop(img, -1, 0, 1, 1)).toThrow(RangeError);
    expect(() => crop(img, 0, 0, 0, 1)).toThrow(RangeError);
    expect(() => crop(img, 0.5, 0, 1, 1)).toThrow(RangeError);
  });
});
