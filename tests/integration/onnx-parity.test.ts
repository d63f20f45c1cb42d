/**
 * ONNX export parity on the shipped architectures (lite, lite-prior, lite16-prior,
 * lite16-nearest-prior) at 64×64: ONNX Runtime
 * vs TensorFlow.js cpu within 1e-4 max abs for encode and for render at integer and
 * non-integer EVs, on random inputs and on a real photo crop (shared data; skipped if absent).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIGS } from '../../src/core/model/architectures/multi-exposure/config.js';
import {
  createMultiExposureModel,
  type MultiExposureModel,
} from '../../src/core/model/architectures/multi-exposure/model.js';
import {
  createOrtTileModel,
  exportMultiExposureOnnx,
  type OrtTileModel,
} from '../../src/core/model/onnx/index.js';
import { codeToUnit, type LdrCodes } from '../../src/core/image/image.js';
import { generateBracket } from '../../src/core/model/inference/index.js';
import {
  compare,
  maxAbsDiff,
  photoCrop,
  randomImage,
  randomiseParams,
  sharedPhoto,
} from '../unit/model/onnx/parity.js';

const TOL = 1e-4;
const EVS = [-2.3, -1, 1.5, 3];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// the prior configs twice: the shipped graphs and the runtime's (prior as an input, prior-table.ts)
for (const [name, priorInput] of [
  ['lite', false],
  ['lite-prior', false],
  ['lite-prior', true],
  ['lite16-prior', false],
  ['lite16-prior', true],
  ['lite16-nearest-prior', false],
  ['lite16-nearest-prior', true],
] as const) {
  describe(`ONNX parity: ${name}${priorInput ? ', prior as input,' : ''} at 64×64`, () => {
    let model: MultiExposureModel;
    let ort: OrtTileModel;
    beforeAll(async () => {
      model = createMultiExposureModel(CONFIGS[name], 3);
      randomiseParams(model, 4);
      ort = await createOrtTileModel(exportMultiExposureOnnx(model, { priorInput }), {
        threads: 1,
      });
    });
    afterAll(async () => {
      await ort.release();
      model.dispose();
    });

    it('matches on a random input', async () => {
      const d = await compare(model, ort, randomImage(1, 1, 64, 64), 1, 64, 64, EVS);
      expect(d.encode).toBeLessThan(TOL);
      for (const r of d.render) expect(r).toBeLessThan(TOL);
    });

    it('matches on a real photo crop', async (ctx) => {
      const path = sharedPhoto();
      if (!path) {
        ctx.skip(); // ../shared/data/brackets/memorial is absent
        return;
      }
      const x = await photoCrop(path, 180, 260, 64, 64);
      const d = await compare(model, ort, x, 1, 64, 64, EVS);
      expect(d.encode).toBeLessThan(TOL);
      for (const r of d.render) expect(r).toBeLessThan(TOL);
    });
  });
}

// the runtime's graphs as brackets run them: two worker threads, a batch of two non-square
// tiles, renders in the space-to-depth frame layout (undone in JavaScript, frame-layout.ts)
describe('ONNX parity: lite16-nearest-prior, prior as input, two workers, batch 2 of 48×80', () => {
  let model: MultiExposureModel;
  let ort: OrtTileModel;
  beforeAll(async () => {
    model = createMultiExposureModel(CONFIGS['lite16-nearest-prior'], 5);
    randomiseParams(model, 6);
    const graphs = exportMultiExposureOnnx(model, { priorInput: true });
    expect(graphs.frameLayout).toBe('s2d');
    ort = await createOrtTileModel(graphs, { threads: 2, workers: 2 });
  });
  afterAll(async () => {
    await ort.release();
    model.dispose();
  });

  it('brackets a photo kept as codes (prior straight from them) exactly as its float values', async () => {
    const [w, h] = [100, 70];
    const codes = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7 + (i >> 9)) % 256);
    const photo: LdrCodes = {
      kind: 'ldr-codes',
      width: w,
      height: h,
      channels: 3,
      bitDepth: 8,
      codes,
    };
    const unit = codeToUnit(8);
    const floats = {
      width: w,
      height: h,
      channels: 3 as const,
      data: Float32Array.from(codes, (c) => unit[c]),
    };
    const opts = { tileSize: 48, overlap: 16 };
    const evs = [-2, 1.5];
    const fromCodes = await generateBracket(ort, photo, evs, opts);
    const fromFloats = await generateBracket(ort, floats, evs, opts);
    const tfjs = await generateBracket(model, floats, evs, opts);
    for (let i = 0; i < evs.length; i++) {
      expect(maxAbsDiff(fromCodes[i].data, fromFloats[i].data)).toBe(0);
      expect(maxAbsDiff(fromCodes[i].data, tfjs[i].data)).toBeLessThan(TOL);
    }
  });

  it('matches tfjs on every frame, however many times the buffers are reused', async () => {
    expect(ort.workers).toBe(2);
    for (let round = 0; round < 2; round++) {
      const d = await compare(model, ort, randomImage(7 + round, 2, 48, 80), 2, 48, 80, EVS);
      expect(d.encode).toBeLessThan(TOL);
      for (const r of d.render) expect(r).toBeLessThan(TOL);
    }
  });
});
