import { describe, expect, it } from 'vitest';
import { featherRamps, featherWeights, tileGrid } from '../../../../src/core/image/tiles.js';
import { FrameBlender } from '../../../../src/core/model/inference/frame-blender.js';

describe('featherWeights', () => {
  it('equals featherWeights with margin 0', () => {
    for (const tile of tileGrid(100, 70, 40, 12)) {
      expect(Array.from(featherWeights(tile, 12, 0))).toEqual(Array.from(featherWeights(tile, 12)));
    }
  });

  it('drops the margin, ramps linearly after it, and two neighbours sum to 1', () => {
    // width 72, tile 40, overlap 8 → tiles at x = 0 and 32, overlap columns 32..39
    const tiles = tileGrid(72, 1, 40, 8);
    expect(tiles.map((t) => t.x)).toEqual([0, 32]);
    const a = featherWeights(tiles[0], 8, 2);
    const b = featherWeights(tiles[1], 8, 2);
    // right edge of a (d = 0 at column 39): 0 0 then (d − 1)/5 for d = 2..5, then 1
    expect(Array.from(a.subarray(32, 40)).map((v) => +v.toFixed(6))).toEqual(
      [1, 1, 0.8, 0.6, 0.4, 0.2, 0, 0].map((v) => +v.toFixed(6)),
    );
    for (let x = 32; x < 40; x++) expect(a[x] + b[x - 32]).toBeCloseTo(1, 6);
    // hard cut when 2·margin = overlap
    const h = featherWeights(tiles[0], 8, 4);
    expect(Array.from(h.subarray(32, 40))).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect(() => featherWeights(tiles[0], 8, 5)).toThrow(RangeError);
  });
});

describe('FrameBlender', () => {
  // A linear image: any convex combination of exact copies reproduces it.
  const value = (x: number, y: number, k: number) => 0.01 * x - 0.02 * y + k;

  it('reassembles an image from its tiles, dropping tile parts past the frame, and is reusable', () => {
    const w = 45;
    const h = 31;
    // tiles of the 48 × 32 padded image; the frame is the 45 × 31 photo
    const tiles = tileGrid(48, 32, 16, 8);
    for (const margin of [0, 2, 4]) {
      const blender = new FrameBlender(w, h, tiles, 8, margin);
      for (let round = 0; round < 2; round++) {
        blender.reset();
        tiles.forEach((t, i) => {
          const data = new Float32Array(t.width * t.height * 3 + 6);
          for (let y = 0; y < t.height; y++)
            for (let x = 0; x < t.width; x++)
              for (let k = 0; k < 3; k++)
                data[6 + (y * t.width + x) * 3 + k] = value(t.x + x, t.y + y, k) + round;
          blender.add(i, data, 6);
        });
        const frame = blender.finish();
        expect(frame).toBe(blender.frame);
        expect(frame.length).toBe(w * h * 3);
        let maxErr = 0;
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++)
            for (let k = 0; k < 3; k++)
              maxErr = Math.max(
                maxErr,
                Math.abs(frame[(y * w + x) * 3 + k] - value(x, y, k) - round),
              );
        expect(maxErr).toBeLessThan(1e-5);
      }
    }
  });

  it('hands its weight plane to a smaller frame: same blend as a fresh blender, first frame kept', () => {
    const tiles = tileGrid(48, 32, 16, 8);
    const rand = (t: { width: number; height: number }, seed: number) =>
      Float32Array.from({ length: t.width * t.height * 3 }, (_, i) => Math.sin(i * 12.9898 + seed));
    const blendAll = (b: FrameBlender, seed: number) => {
      b.reset();
      tiles.forEach((t, i) => b.add(i, rand(t, seed + i)));
      return b.finish();
    };
    const padded = new FrameBlender(48, 32, tiles, 8, 2);
    const first = blendAll(padded, 1).slice();
    const fresh = new FrameBlender(45, 31, tiles, 8, 2);
    const taken = padded.takeWeightsFor(45, 31);
    expect(padded.frame).toEqual(first);
    expect(taken.frame).not.toBe(padded.frame);
    const a = blendAll(taken, 7);
    const b = blendAll(fresh, 7);
    expect(a.length).toBe(45 * 31 * 3);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(() => padded.takeWeightsFor(49, 31)).toThrow(RangeError);
  });

  it('equals zero-accumulate-normalise blending bit for bit, on regular and shifted last tiles', () => {
    // The straightforward blend: zero the frame, add weight·data of every tile, divide by the
    // summed weights (float32 planes, weights as featherRamps' products).
    const reference = (
      w: number,
      h: number,
      tiles: ReturnType<typeof tileGrid>,
      overlap: number,
      margin: number,
      data: Float32Array[],
    ): Float32Array => {
      const frame = new Float32Array(w * h * 3);
      const wsum = new Float32Array(w * h);
      tiles.forEach((t, i) => {
        const { rx, ry } = featherRamps(t, overlap, margin);
        for (let y = 0; y < t.height && t.y + y < h; y++)
          for (let x = 0; x < t.width && t.x + x < w; x++) {
            const p = (t.y + y) * w + t.x + x;
            wsum[p] += Math.fround(rx[x] * ry[y]);
            for (let k = 0; k < 3; k++)
              frame[p * 3 + k] += rx[x] * ry[y] * data[i][(y * t.width + x) * 3 + k];
          }
      });
      for (let p = 0; p < w * h; p++) {
        const inv = Math.fround(1 / wsum[p]);
        for (let k = 0; k < 3; k++) frame[p * 3 + k] *= inv;
      }
      return frame;
    };
    // 61 × 45 inside 64 × 48 tiles of 24 (overlap 8): the last tile of each axis is shifted to
    // end at the edge, so it overlaps its neighbour by more than 8 pixels
    for (const [pw, ph, w, h, size, overlap, margin] of [
      [64, 48, 61, 45, 24, 8, 2],
      [48, 32, 48, 32, 16, 8, 0],
      [100, 70, 97, 70, 40, 12, 3],
    ]) {
      const tiles = tileGrid(pw, ph, size, overlap);
      const data = tiles.map((t, i) =>
        Float32Array.from({ length: t.width * t.height * 3 }, (_, j) =>
          Math.abs(Math.sin(j * 0.37 + i)),
        ),
      );
      const blender = new FrameBlender(w, h, tiles, overlap, margin);
      for (let round = 0; round < 2; round++) {
        blender.reset();
        tiles.forEach((_, i) => blender.add(i, data[i]));
        expect(Array.from(blender.finish())).toEqual(
          Array.from(reference(w, h, tiles, overlap, margin, data)),
        );
      }
    }
  });

  it('takes tiles in list order only', () => {
    const tiles = tileGrid(48, 32, 16, 8);
    const blender = new FrameBlender(48, 32, tiles, 8, 2);
    const data = (i: number) => new Float32Array(tiles[i].width * tiles[i].height * 3);
    blender.add(0, data(0));
    expect(() => blender.add(2, data(2))).toThrow(/tile 2 added where tile 1 was due/);
    blender.reset();
    expect(() => blender.add(0, data(0))).not.toThrow();
  });

  it('rejects tiles that leave pixels uncovered', () => {
    const tiles = tileGrid(32, 32, 16, 4).slice(1);
    expect(() => new FrameBlender(32, 32, tiles, 4)).toThrow(/not covered/);
  });
});

describe('featherRamps', () => {
  it('are the separable factors of featherWeights', () => {
    for (const tile of tileGrid(100, 70, 40, 12)) {
      const { rx, ry } = featherRamps(tile, 12, 3);
      const w = featherWeights(tile, 12, 3);
      for (let y = 0; y < tile.height; y++) {
        for (let x = 0; x < tile.width; x++)
          expect(w[y * tile.width + x]).toBe(Math.fround(rx[x] * ry[y]));
      }
    }
  });
});
