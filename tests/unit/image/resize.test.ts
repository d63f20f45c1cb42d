import { describe, expect, it } from 'vitest';
import { createHdr, createLdr } from '../../../src/core/image/image.js';
import { downsample2x, resize } from '../../../src/core/image/resize.js';

function mean(d: Float32Array): number {
  let s = 0;
  for (const v of d) s += v;
  return s / d.length;
}

describe('resize (area)', () => {
  it('averages a checkerboard to grey and keeps constants', () => {
    const d = new Float32Array(8 * 6);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) d[y * 8 + x] = (x + y) % 2;
    const out = resize(createHdr(8, 6, 1, d), 4, 3, 'area');
    for (const v of out.data) expect(v).toBeCloseTo(0.5, 6);
    const c = resize(createHdr(7, 5, 3, new Float32Array(105).fill(0.3)), 3, 2);
    for (const v of c.data) expect(v).toBeCloseTo(0.3, 6);
  });
  it('uses fractional coverage (3 → 2)', () => {
    const out = resize(createHdr(3, 1, 1, new Float32Array([1, 2, 4])), 2, 1, 'area');
    expect(out.data[0]).toBeCloseTo((1 + 0.5 * 2) / 1.5, 6);
    expect(out.data[1]).toBeCloseTo((0.5 * 2 + 4) / 1.5, 6);
  });
  it('preserves the mean for non-integer factors', () => {
    const w = 37;
    const h = 23;
    const d = new Float32Array(w * h * 3).map((_, i) => Math.sin(i * 0.37) + 1);
    const out = resize(createHdr(w, h, 3, d), 10, 7, 'area');
    expect(mean(out.data)).toBeCloseTo(mean(d), 5);
  });
  it('keeps kind and bit depth', () => {
    const out = resize(createLdr(4, 4, 3, undefined, 16), 2, 2);
    expect(out.kind).toBe('ldr');
    expect(out.bitDepth).toBe(16);
    expect(out.width).toBe(2);
  });
});

describe('resize (bilinear)', () => {
  it('reproduces a linear ramp exactly away from the clamped edges', () => {
    const w = 16;
    const d = new Float32Array(w * 4);
    for (let y = 0; y < 4; y++) for (let x = 0; x < w; x++) d[y * w + x] = 3 * x + 2 * y;
    // Downscale by 2: centres at 2x + 0.5 (exact); upscale by 2: x/2 − 0.25.
    const down = resize(createHdr(w, 4, 1, d), 8, 2, 'bilinear');
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 8; x++) {
        expect(down.data[y * 8 + x]).toBeCloseTo(3 * (2 * x + 0.5) + 2 * (2 * y + 0.5), 4);
      }
    }
    const up = resize(createHdr(w, 4, 1, d), 32, 8, 'bilinear');
    for (let y = 1; y < 7; y++) {
      for (let x = 1; x < 31; x++) {
        expect(up.data[y * 32 + x]).toBeCloseTo(3 * (x / 2 - 0.25) + 2 * (y / 2 - 0.25), 4);
      }
    }
  });
  it('clamps at the edges and area falls back to bilinear when enlarging', () => {
    const img = createHdr(2, 1, 1, new Float32Array([0, 1]));
    const a = resize(img, 4, 1, 'area');
    const b = resize(img, 4, 1, 'bilinear');
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(b.data)).toEqual([0, 0.25, 0.75, 1]);
  });
  it('rejects invalid sizes and copies on identity', () => {
    const img = createHdr(2, 2, 1, new Float32Array([1, 2, 3, 4]));
    expect(() => resize(img, 0, 2)).toThrow(RangeError);
    const same = resize(img, 2, 2);
    expect(Array.from(same.data)).toEqual([1, 2, 3, 4]);
    expect(same.data).not.toBe(img.data);
  });
});

describe('downsample2x', () => {
  it('averages 2×2 blocks and rounds odd sizes up', () => {
    const img = createHdr(3, 3, 1, new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const out = downsample2x(img);
    expect(out.width).toBe(2);
    expect(out.height).toBe(2);
    expect(Array.from(out.data)).toEqual([3, 4.5, 7.5, 9]);
    const rgb = downsample2x(createHdr(4, 2, 3, new Float32Array(24).fill(0.5)));
    expect(rgb.data.length).toBe(6);
    for (const v of rgb.data) expect(v).toBe(0.5);
  });
});
