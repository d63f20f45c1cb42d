import { describe, expect, it } from 'vitest';
import {
  collapse,
  defaultLevels,
  gaussianPyramid,
  laplacianPyramid,
  pyrDown,
  pyrUpAdd,
  createPlane,
} from '../../../src/core/hdr/pyramid.js';
import { rng } from './synth.js';

function randomPlane(w: number, h: number, seed: number) {
  const r = rng(seed);
  const p = createPlane(w, h);
  for (let i = 0; i < p.data.length; i++) p.data[i] = r();
  return p;
}

describe('pyramid', () => {
  it.each([
    [1, 1],
    [2, 3],
    [5, 7],
    [33, 17],
    [64, 64],
    [101, 50],
  ])('decomposes and collapses a %i×%i plane losslessly', (w, h) => {
    const p = randomPlane(w, h, w * 1000 + h);
    const levels = defaultLevels(w, h);
    const lap = laplacianPyramid(p, levels);
    expect(lap.length).toBe(levels);
    const back = collapse(lap);
    expect(back.width).toBe(w);
    expect(back.height).toBe(h);
    for (let i = 0; i < p.data.length; i++)
      expect(Math.abs(back.data[i] - p.data[i])).toBeLessThan(1e-5);
  });

  it('halves sizes with ceiling and keeps a constant plane constant', () => {
    const p = createPlane(13, 6);
    p.data.fill(0.7);
    const g = gaussianPyramid(p, 4);
    expect(g.map((l) => [l.width, l.height])).toEqual([
      [13, 6],
      [7, 3],
      [4, 2],
      [2, 1],
    ]);
    for (const l of g) for (const v of l.data) expect(v).toBeCloseTo(0.7, 6);
    // Expanding a constant gives the same constant: Laplacian levels of a constant are 0.
    for (const l of laplacianPyramid(p, 4).slice(0, 3))
      for (const v of l.data) expect(Math.abs(v)).toBeLessThan(1e-6);
  });

  it('reduces with the [1 4 6 4 1]/16 kernel (impulse response) and expands with 4× it', () => {
    const p = createPlane(9, 9);
    p.data[4 * 9 + 4] = 256; // impulse at (4, 4)
    const d = pyrDown(p); // 5×5; output (2,2) sits on the impulse: weight 6·6
    expect(d.data[2 * 5 + 2]).toBeCloseTo(36, 5);
    expect(d.data[2 * 5 + 1]).toBeCloseTo(6, 5); // x offset 2 → weight 1·6
    expect(d.data[1 * 5 + 1]).toBeCloseTo(1, 5);
    const small = createPlane(5, 5);
    small.data[2 * 5 + 2] = 64;
    const up = createPlane(9, 9);
    pyrUpAdd(small, up);
    expect(up.data[4 * 9 + 4]).toBeCloseTo(36, 5); // (6/8)² · 64
    expect(up.data[4 * 9 + 5]).toBeCloseTo(24, 5); // (4/8)(6/8) · 64
    expect(up.data[5 * 9 + 5]).toBeCloseTo(16, 5);
    expect(up.data[4 * 9 + 6]).toBeCloseTo(6, 5); // (1/8)(6/8) · 64
  });

  it('rejects mismatched expand sizes', () => {
    expect(() => pyrUpAdd(createPlane(3, 3), createPlane(8, 5))).toThrow(RangeError);
  });
});
