import { describe, expect, it } from 'vitest';
import { createHdr } from '../../../src/core/image/image.js';
import {
  TileAccumulator,
  blendTiles,
  extractTile,
  featherWeights,
  tileGrid,
} from '../../../src/core/image/tiles.js';

describe('tileGrid', () => {
  it('covers every pixel, and the inner rects partition the image', () => {
    for (const [w, h, t, o] of [
      [100, 70, 32, 8],
      [64, 64, 32, 0],
      [10, 5, 32, 4],
      [33, 33, 16, 15],
    ]) {
      const tiles = tileGrid(w, h, t, o);
      const cover = new Uint8Array(w * h);
      const own = new Uint8Array(w * h);
      for (const tile of tiles) {
        expect(tile.x + tile.width).toBeLessThanOrEqual(w);
        expect(tile.y + tile.height).toBeLessThanOrEqual(h);
        for (let y = tile.y; y < tile.y + tile.height; y++)
          for (let x = tile.x; x < tile.x + tile.width; x++) cover[y * w + x] = 1;
        const r = tile.inner;
        expect(r.x).toBeGreaterThanOrEqual(tile.x);
        expect(r.x + r.width).toBeLessThanOrEqual(tile.x + tile.width);
        for (let y = r.y; y < r.y + r.height; y++)
          for (let x = r.x; x < r.x + r.width; x++) own[y * w + x]++;
      }
      expect(cover.every((v) => v === 1)).toBe(true);
      expect(own.every((v) => v === 1)).toBe(true);
    }
  });
  it('rejects bad arguments', () => {
    expect(() => tileGrid(10, 10, 8, 8)).toThrow(RangeError);
    expect(() => tileGrid(0, 10, 8, 2)).toThrow(RangeError);
  });
});

describe('feathered reassembly', () => {
  it('gives back the exact image from unprocessed tiles', () => {
    const w = 90;
    const h = 61;
    const img = createHdr(
      w,
      h,
      3,
      new Float32Array(w * h * 3).map((_, i) => Math.cos(i)),
    );
    const tiles = tileGrid(w, h, 32, 8);
    const out = blendTiles(
      tiles,
      tiles.map((t) => extractTile(img, t).data),
      w,
      h,
      3,
      8,
    );
    for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(img.data[i], 5);
  });
  it('ramps weights linearly so exact overlaps sum to 1', () => {
    const tiles = tileGrid(24, 1, 16, 8);
    expect(tiles).toHaveLength(2);
    const a = featherWeights(tiles[0], 8);
    const b = featherWeights(tiles[1], 8);
    expect(a[0]).toBe(1);
    expect(b[15]).toBe(1);
    for (let x = 8; x < 16; x++) expect(a[x] + b[x - 8]).toBeCloseTo(1, 6);
    expect(b[0]).toBeCloseTo(1 / 9, 6);
  });
  it('blends a constant offset per tile into a smooth result', () => {
    const tiles = tileGrid(24, 1, 16, 8);
    const acc = new TileAccumulator(24, 1, 1, 8);
    acc.add(tiles[0], new Float32Array(16).fill(0));
    acc.add(tiles[1], new Float32Array(16).fill(1));
    const out = acc.result();
    expect(out[0]).toBe(0);
    expect(out[23]).toBe(1);
    for (let x = 1; x < 24; x++) expect(out[x]).toBeGreaterThanOrEqual(out[x - 1]);
    expect(() => acc.add(tiles[0], new Float32Array(3))).toThrow(RangeError);
  });
});
