import { describe, expect, it } from 'vitest';
import { alignMtb, shiftFrame } from '../../../src/core/hdr/align-mtb.js';
import { createLdr, type LdrImage } from '../../../src/core/image/image.js';
import { CancelledError, InvalidInputError } from '../../../src/core/errors.js';
import { valueNoise } from './synth.js';

const W = 200;
const H = 160;
const PAD = 40;
const scene = valueNoise(W + 2 * PAD, H + 2 * PAD, 42);

/**
 * A W×H view of the scene whose content is displaced by (sx, sy): frame(x, y) = scene(x − sx,
 * y − sy), exposed with gain k through a γ 2.2 camera and clipped (8-bit).
 */
function view(sx: number, sy: number, k: number): LdrImage {
  const img = createLdr(W, H, 3);
  const sw = W + 2 * PAD;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const e = Math.pow(scene[(y - sy + PAD) * sw + (x - sx + PAD)], 2.2) * k;
      for (let c = 0; c < 3; c++) {
        const v = Math.min(1, Math.pow(e * (1 - 0.1 * c), 1 / 2.2));
        img.data[3 * (y * W + x) + c] = Math.round(v * 255) / 255;
      }
    }
  return img;
}

describe('alignMtb', () => {
  it.each([
    [13, -21],
    [-32, 32],
    [32, -5],
    [0, 7],
    [-1, 0],
  ])('recovers a displacement of (%i, %i) px across exposures', (sx, sy) => {
    const ref = view(0, 0, 1);
    const dark = view(sx, sy, 0.25);
    const bright = view(-sy, sx, 3);
    const res = alignMtb([dark, ref, bright]);
    const z = (v: number) => v + 0; // −0 → 0
    expect(res.shifts).toEqual([
      [z(-sx), z(-sy)],
      [0, 0],
      [z(sy), z(-sx)],
    ]);
    expect(res.frames[1]).toBe(ref);
    // The aligned dark frame matches a dark view with no displacement (away from the border).
    const truth = view(0, 0, 0.25);
    const a = res.frames[0];
    for (let y = PAD; y < H - PAD; y += 7)
      for (let x = PAD; x < W - PAD; x += 7) {
        const i = 3 * (y * W + x);
        expect(a.data[i]).toBe(truth.data[i]);
      }
  });

  it('shifts frames with edge replication', () => {
    const f = createLdr(3, 2, 1, Float32Array.from([1, 2, 3, 4, 5, 6]));
    expect(Array.from(shiftFrame(f, 1, 0).data)).toEqual([1, 1, 2, 4, 4, 5]);
    expect(Array.from(shiftFrame(f, -2, 1).data)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(Array.from(shiftFrame(f, 5, -1).data)).toEqual([4, 4, 4, 4, 4, 4]);
  });

  it('rejects bad options and honours cancellation', () => {
    const f = view(0, 0, 1);
    expect(() => alignMtb([f, createLdr(10, 10, 3)])).toThrow(InvalidInputError);
    expect(() => alignMtb([f], { maxBits: 0 })).toThrow(/maxBits/);
    expect(() => alignMtb([f], { reference: 3 })).toThrow(/reference/);
    const ac = new AbortController();
    ac.abort();
    expect(() => alignMtb([f, f], { signal: ac.signal })).toThrow(CancelledError);
  });
});
