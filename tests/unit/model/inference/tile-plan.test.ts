import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../src/core/errors.js';
import {
  LITE_CONFIG,
  unetFlopsPerPixel,
} from '../../../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../../../src/core/model/architectures/multi-exposure/model.js';
import { tileGrid } from '../../../../src/core/image/tiles.js';
import {
  BRACKET_BYTES_PER_PIXEL,
  bracketFlops,
  budgetTileSize,
  budgetTiles,
  DEFAULT_MEMORY_BUDGET,
  DEFAULT_TILE_SIZE,
  FLOAT_PHOTO_BYTES_PER_PIXEL,
  MAX_BUDGET_TILE_SIZE,
  MIN_BUDGET_TILE_SIZE,
  planTiles,
} from '../../../../src/core/model/inference/tile-plan.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('planTiles', () => {
  it('tiles a 2048 × 1536 photo for stride 16 with the defaults: 3 × 2 tiles of 768 × 832', () => {
    const plan = planTiles(16, 2048, 1536);
    // 1024-px tiles overlapping by 128 need ⌈(2048 − 128)/896⌉ = 3 columns and
    // ⌈(1536 − 128)/896⌉ = 2 rows; the smallest multiples of 16 that still need only that many
    // are ⌈(1920/3 + 128)/16⌉·16 = 768 and ⌈(1408/2 + 128)/16⌉·16 = 832.
    expect(plan).toMatchObject({ tileSize: 1024, overlap: 128, margin: 32 });
    expect(plan).toMatchObject({ tileWidth: 768, tileHeight: 832 });
    expect(plan.tiles).toHaveLength(6);
  });

  it('tiles a 2048 × 1536 photo for stride 16 at 512 / 32: 5 × 4 tiles of 448 × 416', () => {
    const plan = planTiles(16, 2048, 1536, { tileSize: 512, overlap: 32 });
    expect(plan).toMatchObject({
      paddedWidth: 2048,
      paddedHeight: 1536,
      tileSize: 512,
      overlap: 32,
      margin: 8,
      tileWidth: 448,
      tileHeight: 416,
      batchSize: 1,
    });
    // 512-px tiles would need ⌈(2048 − 32)/480⌉ = 5 columns and ⌈(1536 − 32)/480⌉ = 4 rows;
    // the smallest multiples of 16 that still need only that many are
    // ⌈(2016/5 + 32)/16⌉·16 = 448 and ⌈(1504/4 + 32)/16⌉·16 = 416.
    // x: step 416, last shifted in to 2048 − 448; y: step 384, last at 1536 − 416
    expect([...new Set(plan.tiles.map((t) => t.x))]).toEqual([0, 416, 832, 1248, 1600]);
    expect([...new Set(plan.tiles.map((t) => t.y))]).toEqual([0, 384, 768, 1120]);
    expect(plan.tiles).toHaveLength(20);
    expect(plan.tiles[7]).toMatchObject({ x: 832, y: 384, width: 448, height: 416 });
    // columns as tileGrid cuts them, inner rects included
    const ref = tileGrid(2048, 1536, 448, 32); // also 5 × 4, with the same columns
    expect(plan.tiles.map((t) => [t.x, t.inner.x, t.inner.width])).toEqual(
      ref.map((t) => [t.x, t.inner.x, t.inner.width]),
    );
  });

  it('snaps tile size down and overlap up to the stride, and pads odd sizes', () => {
    const plan = planTiles(16, 100, 37, { tileSize: 70, overlap: 20 });
    expect(plan.tileSize).toBe(64);
    expect(plan.overlap).toBe(32);
    expect([plan.paddedWidth, plan.paddedHeight]).toEqual([112, 48]);
    expect([plan.tileWidth, plan.tileHeight]).toEqual([64, 48]);
    for (const t of plan.tiles) {
      expect(t.x % 16).toBe(0);
      expect(t.y % 16).toBe(0);
      expect(t.x + t.width).toBeLessThanOrEqual(112);
    }
    // 512² pixel budget / (64 · 48) = 85 tiles per batch, capped at the tile count
    expect(plan.batchSize).toBe(plan.tiles.length);
    expect(planTiles(16, 100, 37, { tileSize: 70, overlap: 20, batchSize: 1 }).batchSize).toBe(1);
  });

  it('rejects tiles below the stride, overlaps that fill the tile, bad margins and sizes', () => {
    expect(() => planTiles(16, 100, 100, { tileSize: 15 })).toThrow(InvalidInputError);
    expect(() => planTiles(16, 100, 100, { tileSize: 32, overlap: 17 })).toThrow(/overlap/);
    expect(() => planTiles(16, 100, 100, { tileSize: 64, overlap: 16, margin: 9 })).toThrow(
      /margin/,
    );
    expect(() => planTiles(16, 100, 100, { tileSize: 64.5 })).toThrow(InvalidInputError);
    expect(() => planTiles(16, 0, 100)).toThrow(InvalidInputError);
    expect(() => planTiles(16, 100, 100, { batchSize: 0 })).toThrow(InvalidInputError);
  });
});

describe('bracketFlops', () => {
  it('counts N1 once and N2/N3 per non-zero EV over every padded tile pixel', () => {
    const model = createMultiExposureModel(LITE_CONFIG, 1);
    try {
      const enc = unetFlopsPerPixel(LITE_CONFIG.n1);
      const ren = unetFlopsPerPixel(LITE_CONFIG.n23);
      const tilePixels = 20 * 448 * 416; // 5 × 4 tiles at 512 / 32, see above
      const small = { tileSize: 512, overlap: 32 };
      expect(bracketFlops(model, 2048, 1536, [-3, -2, -1, 0, 1, 2, 3], small)).toBe(
        tilePixels * (enc + 6 * ren),
      );
      expect(bracketFlops(model, 2048, 1536, [0, 0], small)).toBe(0);
      // one 48 × 112 padded tile for a 100 × 37 photo
      expect(bracketFlops(model, 100, 37, [1], { tileSize: 512 })).toBe(112 * 48 * (enc + ren));
    } finally {
      model.dispose();
    }
  });
});

describe('planTiles for an engine running several tiles at once', () => {
  const work = (p: ReturnType<typeof planTiles>, lanes: number): number =>
    Math.ceil(p.tiles.length / lanes) * p.tileWidth * p.tileHeight;

  it('gives two lanes two tiles where one tile would leave one lane idle', () => {
    const one = planTiles(16, 1216, 832, { tileSize: 1536 });
    expect(one.tiles).toHaveLength(1);
    const two = planTiles(16, 1216, 832, { tileSize: 1536, lanes: 2 });
    expect(two.tiles).toHaveLength(2);
    expect([two.tileWidth, two.tileHeight]).toEqual([672, 832]);
    expect(work(two, 2)).toBeLessThan(work(one, 2));
  });

  it('rounds an odd tile count up with smaller tiles when that is less work per lane', () => {
    // 3 columns of 960 for one lane; for two, 4 columns of 752 take as many rounds, each shorter
    const one = planTiles(16, 2600, 900, { tileSize: 1024 });
    const two = planTiles(16, 2600, 900, { tileSize: 1024, lanes: 2 });
    expect([one.tiles.length, one.tileWidth]).toEqual([3, 960]);
    expect([two.tiles.length, two.tileWidth]).toEqual([4, 752]);
    expect(work(two, 2)).toBeLessThan(work(one, 2));
    // the chosen grid covers the photo and no tile exceeds the size asked for
    for (const p of [one, two]) {
      expect(Math.max(...p.tiles.map((t) => t.x + t.width))).toBe(p.paddedWidth);
      expect(p.tileWidth).toBeLessThanOrEqual(1024);
    }
  });

  it('keeps the fewest tiles when they already fill every lane', () => {
    const plan = planTiles(16, 4000, 3000, { tileSize: 1313, lanes: 2 });
    expect([plan.tiles.length, plan.tileWidth, plan.tileHeight]).toEqual([12, 1104, 1088]);
    expect(() => planTiles(16, 100, 100, { lanes: 0 })).toThrow(InvalidInputError);
  });
});

describe('budgetTileSize', () => {
  const ort = { workingBytesPerTilePixel: 560, baselineBytes: 190e6 };

  it('keeps the default tile when the engine does not state its memory; grows it to the cap when the photo is small', () => {
    expect(budgetTileSize(6000, 4000, {})).toBe(DEFAULT_TILE_SIZE);
    expect(budgetTileSize(1000, 1000, { workingBytesPerTilePixel: 200 })).toBe(
      MAX_BUDGET_TILE_SIZE,
    );
    // a 12-MP photo: between the default and the cap
    const side = budgetTileSize(4000, 3000, ort);
    expect(side).toBeGreaterThan(DEFAULT_TILE_SIZE);
    expect(side).toBeLessThan(MAX_BUDGET_TILE_SIZE);
  });

  it('shrinks the tile so that photo buffers and tile memory fit the budget', () => {
    const side = budgetTileSize(6000, 4000, ort);
    expect(side).toBeLessThan(DEFAULT_TILE_SIZE);
    const used = (s: number, photo = FLOAT_PHOTO_BYTES_PER_PIXEL) =>
      190e6 + (BRACKET_BYTES_PER_PIXEL + photo) * 24e6 + 560 * s * s;
    expect(used(side)).toBeLessThanOrEqual(DEFAULT_MEMORY_BUDGET);
    expect(used(side + 1)).toBeGreaterThan(DEFAULT_MEMORY_BUDGET);
    // a photo kept as 8-bit codes (3 bytes per pixel) leaves room for a larger tile
    const coded = budgetTileSize(6000, 4000, ort, DEFAULT_MEMORY_BUDGET, 3);
    expect(coded).toBeGreaterThan(side);
    expect(used(coded, 3)).toBeLessThanOrEqual(DEFAULT_MEMORY_BUDGET);
    expect(used(coded + 1, 3)).toBeGreaterThan(DEFAULT_MEMORY_BUDGET);
    // a larger budget allows a larger tile; a hopeless one stops at the floor
    expect(budgetTileSize(6000, 4000, ort, 1.6e9)).toBeGreaterThan(side);
    expect(budgetTileSize(12000, 8000, ort)).toBe(MIN_BUDGET_TILE_SIZE);
  });
});

describe('budgetTiles', () => {
  // an engine whose faster input transport holds more memory per tile pixel
  const ort = {
    workingBytesPerTilePixel: 400,
    fastWorkingBytesPerTilePixel: 560,
    baselineBytes: 280e6,
  };

  it('takes the faster transport while default-size tiles fit with it, else the lean one', () => {
    const twelve = budgetTiles(4000, 3000, ort, DEFAULT_MEMORY_BUDGET, 3);
    expect(twelve.lean).toBe(false);
    expect(twelve.tileSize).toBe(
      budgetTileSize(
        4000,
        3000,
        { ...ort, workingBytesPerTilePixel: 560 },
        DEFAULT_MEMORY_BUDGET,
        3,
      ),
    );
    expect(twelve.tileSize).toBeGreaterThanOrEqual(DEFAULT_TILE_SIZE);
    const twentyFour = budgetTiles(6000, 4000, ort, DEFAULT_MEMORY_BUDGET, 3);
    expect(twentyFour.lean).toBe(true);
    expect(twentyFour.tileSize).toBe(budgetTileSize(6000, 4000, ort, DEFAULT_MEMORY_BUDGET, 3));
    // one way only: never lean
    expect(budgetTiles(6000, 4000, { workingBytesPerTilePixel: 400 })).toEqual({
      tileSize: budgetTileSize(6000, 4000, { workingBytesPerTilePixel: 400 }),
      lean: false,
    });
  });
});
