import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/camera/rng.js';
import {
  applyAugment,
  applyGains,
  applySaturation,
  orientCrop,
  randomAugmentParams,
} from '../../../../src/core/model/data/augment.js';

/** 3×2 image whose red channel holds the pixel number 0…5 (row-major). */
function numbered(): Float32Array {
  const d = new Float32Array(18);
  for (let i = 0; i < 6; i++) d[3 * i] = i;
  return d;
}
const reds = (d: Float32Array): number[] =>
  Array.from({ length: d.length / 3 }, (_, i) => d[3 * i]);

describe('orientCrop', () => {
  // 0 1 2
  // 3 4 5
  it('flips and turns a known image correctly', () => {
    expect(reds(orientCrop(numbered(), 3, 2, 1).data)).toEqual([2, 1, 0, 5, 4, 3]);
    const cw = orientCrop(numbered(), 3, 2, 2); // one clockwise turn
    expect([cw.width, cw.height]).toEqual([2, 3]);
    expect(reds(cw.data)).toEqual([3, 0, 4, 1, 5, 2]);
    expect(reds(orientCrop(numbered(), 3, 2, 4).data)).toEqual([5, 4, 3, 2, 1, 0]);
    const ccw = orientCrop(numbered(), 3, 2, 6);
    expect(reds(ccw.data)).toEqual([2, 5, 1, 4, 0, 3]);
  });

  it('four clockwise turns and two flips are the identity; all 8 are distinct', () => {
    let img = { data: numbered(), width: 3, height: 2 };
    for (let k = 0; k < 4; k++) img = orientCrop(img.data, img.width, img.height, 2);
    expect(reds(img.data)).toEqual([0, 1, 2, 3, 4, 5]);
    const f = orientCrop(numbered(), 3, 2, 1);
    expect(reds(orientCrop(f.data, 3, 2, 1).data)).toEqual([0, 1, 2, 3, 4, 5]);
    const seen = new Set<string>();
    for (let o = 0; o < 8; o++) seen.add(reds(orientCrop(numbered(), 3, 2, o).data).join());
    expect(seen.size).toBe(8);
  });

  it('rejects bad orientations and sizes', () => {
    expect(() => orientCrop(numbered(), 3, 2, 8)).toThrow();
    expect(() => orientCrop(numbered(), 4, 2, 0)).toThrow();
  });
});

describe('colour jitter', () => {
  it('gains multiply channels; saturation 0 gives grey of the same luminance, 1 is identity', () => {
    const d = new Float32Array([0.2, 0.4, 0.8, 1, 0.5, 0.25]);
    applyGains(d, [2, 1, 0.5]);
    expect(Array.from(d)).toEqual([0.4, 0.4, 0.4, 2, 0.5, 0.125].map((v) => Math.fround(v)));
    const e = new Float32Array([0.2, 0.4, 0.8]);
    const y = 0.2126 * 0.2 + 0.7152 * 0.4 + 0.0722 * 0.8;
    applySaturation(e, 0);
    for (const v of e) expect(v).toBeCloseTo(y, 6);
    const f = new Float32Array([0.2, 0.4, 0.8]);
    applySaturation(f, 1);
    expect(Array.from(f)).toEqual(Array.from(new Float32Array([0.2, 0.4, 0.8])));
    const g = new Float32Array([1, 0, 0]);
    applySaturation(g, 3); // would push G and B negative: clamped at 0
    expect(Math.min(...g)).toBe(0);
  });

  it('draws within ranges; "upright" never turns 180°; deterministic; input untouched', () => {
    const rng = mulberry32(5);
    const orients = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const p = randomAugmentParams(rng, { whiteBalanceStops: 0.3, saturation: [0.7, 1.3] });
      orients.add(p.orient);
      expect(p.orient >> 1).not.toBe(2);
      expect(Math.abs(Math.log2(p.gains[0]))).toBeLessThanOrEqual(0.3);
      expect(p.gains[1]).toBe(1);
      expect(p.saturation).toBeGreaterThanOrEqual(0.7);
      expect(p.saturation).toBeLessThanOrEqual(1.3);
    }
    expect(orients.size).toBe(6);
    const all = new Set<number>();
    for (let i = 0; i < 400; i++) all.add(randomAugmentParams(rng, { geometric: 'all' }).orient);
    expect(all.size).toBe(8);
    expect(randomAugmentParams(mulberry32(1))).toEqual(randomAugmentParams(mulberry32(1)));
    const src = numbered();
    applyAugment(src, 3, 2, { orient: 3, gains: [2, 1, 2], saturation: 0.5 });
    expect(reds(src)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
