import { describe, expect, it } from 'vitest';
import { createHdr } from '../../../src/core/image/image.js';
import { joinPlanes, splitPlanes } from '../../../src/core/image/planes.js';

describe('planes', () => {
  it('splits and joins losslessly', () => {
    const data = new Float32Array(5 * 3 * 3).map((_, i) => i);
    const img = createHdr(5, 3, 3, data);
    const p = splitPlanes(img);
    expect(p).toHaveLength(3);
    expect(p[1][2]).toBe(7);
    expect(p[2][14]).toBe(44);
    expect(Array.from(joinPlanes(p, 5, 3))).toEqual(Array.from(data));
    const g = splitPlanes(createHdr(2, 1, 1, new Float32Array([1, 2])));
    expect(Array.from(joinPlanes(g, 2, 1))).toEqual([1, 2]);
  });
  it('rejects wrong plane sizes', () => {
    expect(() => joinPlanes([new Float32Array(3)], 2, 2)).toThrow(/expected 2×2/);
    expect(() => joinPlanes([new Float32Array(4), new Float32Array(4)], 2, 2)).toThrow(RangeError);
  });
});
