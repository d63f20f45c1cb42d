/**
 * Seams of tiled inference on ONNX Runtime with the shipped model: a 512 × 768 photo (Debevec's
 * memorial frame from the shared data, or a generated scene when that is absent) rendered in
 * 256-px tiles with the default overlap and feathering, against one untiled pass of the same
 * sessions. The error must stay below a quarter of an 8-bit code on average in the seam bands
 * (no visible step) and be float rounding elsewhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloatImage } from '../../src/core/image/image.js';
import { generateBracket, planTiles } from '../../src/core/model/inference/index.js';
import {
  createOrtTileModel,
  exportMultiExposureOnnx,
  type OrtTileModel,
} from '../../src/core/model/onnx/index.js';
import { loadModel } from '../../src/core/model/store/index.js';
import { photoCrop, sharedPhoto } from '../unit/model/onnx/parity.js';

const W = 512;
const H = 768;
const EVS = [-3, -1, 2];
let ort: OrtTileModel;
let image: FloatImage;
let source = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  const { model } = await loadModel();
  try {
    ort = await createOrtTileModel(exportMultiExposureOnnx(model));
  } finally {
    model.dispose();
  }
  const photo = sharedPhoto('memorial0067.png');
  let data: Float32Array;
  if (photo) {
    data = await photoCrop(photo, 0, 0, W, H);
    source = 'memorial0067';
  } else {
    console.warn(
      'onnx seams: ../shared/data absent, using a generated scene instead of memorial0067',
    );
    data = new Float32Array(W * H * 3);
    for (let i = 0; i < W * H; i++) {
      const x = i % W;
      const y = Math.floor(i / W);
      const v = 0.5 + 0.45 * Math.sin(x / 17) * Math.cos(y / 29) + (x > 300 && y < 200 ? 0.4 : 0);
      data.fill(Math.min(1, Math.max(0, v)), 3 * i, 3 * i + 3);
    }
    source = 'generated';
  }
  image = { width: W, height: H, channels: 3, data };
}, 120_000);

afterAll(async () => {
  await ort?.release();
});

describe('tiled inference on ONNX Runtime', () => {
  it('has no visible seams against an untiled pass (shipped model)', async () => {
    // one tile: lanes 1, or the planner would split the photo between the two workers
    const untiled = await generateBracket(ort, image, EVS, { tileSize: 1024, lanes: 1 });
    expect(planTiles(ort.stride, W, H, { tileSize: 1024, lanes: 1 }).tiles).toHaveLength(1);
    const opts = { tileSize: 256 };
    const plan = planTiles(ort.stride, W, H, opts);
    expect(plan.tiles.length).toBeGreaterThan(4);
    const tiled = await generateBracket(ort, image, EVS, opts);
    const band = (starts: number[], n: number, size: number): Uint8Array => {
      const m = new Uint8Array(n);
      for (let i = 1; i < starts.length; i++) {
        for (let p = starts[i]; p < Math.min(n, starts[i - 1] + size); p++) m[p] = 1;
      }
      return m;
    };
    const bx = band([...new Set(plan.tiles.map((t) => t.x))], W, plan.tileWidth);
    const by = band([...new Set(plan.tiles.map((t) => t.y))], H, plan.tileHeight);
    let seam = 0;
    let nSeam = 0;
    let rest = 0;
    let max = 0;
    for (let f = 0; f < EVS.length; f++) {
      const a = tiled[f].data;
      const b = untiled[f].data;
      for (let i = 0; i < a.length; i++) {
        const p = Math.floor(i / 3);
        const d = Math.abs(a[i] - b[i]);
        max = Math.max(max, d);
        if (bx[p % W] || by[Math.floor(p / W)]) {
          seam += d;
          nSeam++;
        } else rest = Math.max(rest, d);
      }
    }
    console.info(
      `ORT seams (${source}, ${plan.tiles.length} tiles of ${plan.tileWidth}×${plan.tileHeight}, overlap ${plan.overlap}): ` +
        `seam bands mean ${(seam / nSeam).toExponential(2)}, max ${max.toExponential(2)}, elsewhere max ${rest.toExponential(2)}`,
    );
    expect(seam / nSeam).toBeLessThan(0.25 / 255);
    // single pixels in a band may move a few codes (measured 3.9 at EV −3 in the memorial's
    // window highlights), far below a visible step along the band
    expect(max).toBeLessThan(8 / 255);
    // elsewhere far below a visible difference (a fifth of an 8-bit code): measured 7.9e-4 with
    // the lite16-nearest-prior weights, 5.0e-4 with lite16-prior (at EV −1 right beside a band,
    // the same on tfjs-wasm: a tile border cuts some context there, it is not rounding); the
    // lite-prior weights stayed below 1e-4
    expect(rest).toBeLessThan(0.25 / 255);
  }, 300_000);
});
