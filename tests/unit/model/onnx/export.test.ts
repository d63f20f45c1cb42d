import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, uniform } from '../../../../src/core/camera/rng.js';
import { codeToUnit } from '../../../../src/core/image/image.js';
import { CONFIGS } from '../../../../src/core/model/architectures/multi-exposure/config.js';
import {
  createMultiExposureModel,
  type MultiExposureModel,
} from '../../../../src/core/model/architectures/multi-exposure/model.js';
import {
  createAdam,
  trainStep,
} from '../../../../src/core/model/architectures/multi-exposure/train-step.js';
import { generateBracket } from '../../../../src/core/model/inference/index.js';
import {
  createOrtTileModel,
  exportMultiExposureOnnx,
  hwioToOihw,
  type OrtTileModel,
} from '../../../../src/core/model/onnx/index.js';
import { unshuffledFilter } from '../../../../src/core/model/onnx/export.js';
import { pixelUnshuffle } from '../../../../src/core/model/nn/resample.js';
import {
  compare,
  maxAbsDiff,
  photoCrop,
  randomImage,
  randomiseParams,
  sharedPhoto,
} from './parity.js';

const TOL = 1e-4;
const EVS = [-3, -1.5, -0.4, 0.7, 1, 2.5, 4];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('hwioToOihw', () => {
  it('matches tf.transpose([3, 2, 0, 1])', () => {
    const rng = mulberry32(3);
    const w = Float32Array.from({ length: 3 * 2 * 4 * 5 }, () => uniform(rng, -1, 1));
    const expected = tf.tidy(() =>
      tf.transpose(tf.tensor4d(w, [3, 2, 4, 5]), [3, 2, 0, 1]).dataSync(),
    );
    expect(Array.from(hwioToOihw(w, 3, 2, 4, 5))).toEqual(Array.from(expected));
  });
});

describe('unshuffledFilter', () => {
  for (const k of [1, 3]) {
    it(`a ${k}×${k} conv of the unshuffled image is the stride-2 ${2 * k}×${2 * k} conv of the image`, () => {
      const rng = mulberry32(5 + k);
      const [c, cout] = [3, 5];
      const w = Float32Array.from({ length: k * k * 4 * c * cout }, () => uniform(rng, -1, 1));
      const x = tf.tensor4d(
        Float32Array.from({ length: 2 * 12 * 16 * c }, () => uniform(rng, 0, 1)),
        [2, 12, 16, c],
      );
      const full = unshuffledFilter({ data: w, shape: [k, k, 4 * c, cout] });
      expect(full.shape).toEqual([2 * k, 2 * k, c, cout]);
      const [expected, actual] = tf.tidy(() => [
        tf.conv2d(pixelUnshuffle(x), tf.tensor4d(w, [k, k, 4 * c, cout]), 1, 'same').dataSync(),
        tf.conv2d(x, tf.tensor4d(full.data, [...full.shape]), 2, 'same').dataSync(),
      ]);
      x.dispose();
      expect(actual.length).toBe(2 * 6 * 8 * cout);
      expect(maxAbsDiff(actual as Float32Array, expected as Float32Array)).toBeLessThan(1e-5);
    });
  }
});

// the shipped, self-contained graphs and the runtime's (prior as an input, prior-table.ts)
for (const [name, priorInput] of [
  ['tiny', false],
  ['tiny-prior', false],
  ['tiny-prior', true],
] as const) {
  describe(`ONNX export parity: ${name}${priorInput ? ', prior as input' : ''}`, () => {
    let model: MultiExposureModel;
    let ort: OrtTileModel;
    beforeAll(async () => {
      model = createMultiExposureModel(CONFIGS[name], 7);
      randomiseParams(model, 11);
      ort = await createOrtTileModel(exportMultiExposureOnnx(model, { priorInput }), {
        threads: 1,
      });
    });
    afterAll(async () => {
      await ort.release();
      model.dispose();
    });

    it('declares what the model needs', () => {
      expect(ort.needsInput).toBe(name === 'tiny-prior');
      expect(exportMultiExposureOnnx(model, { priorInput }).priorInput).toBe(priorInput);
      expect(ort.stride).toBe(model.stride);
    });

    it('matches tfjs on random inputs (batch 2, non-square)', async () => {
      const x = randomImage(5, 2, 8, 12);
      const d = await compare(model, ort, x, 2, 8, 12, EVS);
      expect(d.encode).toBeLessThan(TOL);
      for (const r of d.render) expect(r).toBeLessThan(TOL);
    });

    it('changes output with the weights (the comparison can fail)', async () => {
      // a second model with other weights must NOT match the first one's graphs
      const other = createMultiExposureModel(CONFIGS[name], 8);
      randomiseParams(other, 12);
      const x = randomImage(6, 1, 8, 8);
      const d = await compare(other, ort, x, 1, 8, 8, [1]);
      other.dispose();
      expect(d.encode).toBeGreaterThan(1e-2);
      expect(d.render[0]).toBeGreaterThan(1e-2);
    });

    it('matches tfjs on a real photo crop', async (ctx) => {
      const path = sharedPhoto();
      if (!path) {
        ctx.skip(); // ../shared/data/brackets/memorial is absent
        return;
      }
      const x = await photoCrop(path, 200, 300, 16, 16);
      const d = await compare(model, ort, x, 1, 16, 16, EVS);
      expect(d.encode).toBeLessThan(TOL);
      for (const r of d.render) expect(r).toBeLessThan(TOL);
    });

    it('matches tfjs after fine-tuning steps (new weights and running statistics)', async () => {
      const tuned = createMultiExposureModel(CONFIGS[name], 7);
      const opt = createAdam(1e-2);
      for (let s = 0; s < 2; s++) {
        const a = tf.tensor4d(randomImage(20 + s, 2, 8, 8), [2, 8, 8, 3]);
        const b = tf.tidy(() => tf.clipByValue(tf.mul(a, 1.6), 0, 1)) as tf.Tensor4D;
        trainStep(tuned, opt, { a, b, ratio: [2, 2] });
        a.dispose();
        b.dispose();
      }
      opt.dispose();
      const mean = tuned.params.get('n2.enc0.0.bn.mean').dataSync();
      expect(maxAbsDiff(mean as Float32Array, new Float32Array(mean.length))).toBeGreaterThan(0);
      const ortTuned = await createOrtTileModel(exportMultiExposureOnnx(tuned, { priorInput }), {
        threads: 1,
      });
      const d = await compare(tuned, ortTuned, randomImage(9, 1, 8, 8), 1, 8, 8, EVS);
      await ortTuned.release();
      tuned.dispose();
      expect(d.encode).toBeLessThan(TOL);
      for (const r of d.render) expect(r).toBeLessThan(TOL);
    });

    it('gives the same tiled bracket as tfjs', async () => {
      const w = 20;
      const h = 14;
      const data = randomImage(13, 1, h, w);
      const image = { width: w, height: h, channels: 3 as const, data };
      const evs = [-2, 0, 1.5];
      const opts = { tileSize: 8, overlap: 4 };
      const ref = await generateBracket(model, image, evs, opts);
      const got = await generateBracket(ort, image, evs, opts);
      for (let i = 0; i < evs.length; i++) {
        expect(maxAbsDiff(ref[i].data, got[i].data)).toBeLessThan(TOL);
      }
    });
  });
}

describe('ONNX Runtime on worker threads', () => {
  // lite16-nearest-prior: stem 2, frames as space-to-depth planes, turned into NHWC tiles by the
  // workers in shared memory; graphs fixed to the tile shape (the default), and symbolic ones
  it.each([
    ['tiny-prior', true],
    ['lite16-nearest-prior', true],
    ['lite16-nearest-prior', false],
  ] as const)(
    'gives the same tiled bracket as tfjs with tiles running on two workers (%s, fixed shapes %s)',
    async (name, fixedShapes) => {
      const model = createMultiExposureModel(CONFIGS[name], 7);
      randomiseParams(model, 11);
      const ort = await createOrtTileModel(exportMultiExposureOnnx(model, { priorInput: true }), {
        threads: 2,
        workers: 2,
        fixedShapes,
      });
      try {
        expect(ort.workers).toBe(2);
        expect(ort.concurrency).toBe(2);
        // several tiles of twice the grid step (tiny: 40×28 in tiles of 16, lite: 80×56 in 32)
        const step = Math.max(8, model.stride);
        const [w, h] = [5 * step, (7 * step) / 2];
        const image = { width: w, height: h, channels: 3 as const, data: randomImage(14, 1, h, w) };
        const evs = [-2, 0, 1.5];
        const opts = { tileSize: 2 * step, overlap: step, batchSize: 1 };
        const ref = await generateBracket(model, image, evs, opts);
        // tiles in shared memory (the default here), then moved to the workers and back (a
        // budget too small for that: budgetTiles)
        for (const memoryBudget of [undefined, 1]) {
          const got = await generateBracket(ort, image, evs, { ...opts, memoryBudget });
          for (let i = 0; i < evs.length; i++) {
            expect(maxAbsDiff(ref[i].data, got[i].data)).toBeLessThan(TOL);
          }
        }
      } finally {
        await ort.release();
        model.dispose();
      }
    },
  );

  it.each([8, 16] as const)(
    'gives the same tiled bracket as tfjs from a photo kept as %i-bit codes (lite16-nearest-prior)',
    async (bits) => {
      // the photo's render tiles go to the workers as codes in shared memory (the worker looks
      // up the prior), as floats when moved to them, and as floats to this thread's sessions
      const model = createMultiExposureModel(CONFIGS['lite16-nearest-prior'], 7);
      randomiseParams(model, 12);
      const graphs = exportMultiExposureOnnx(model, { priorInput: true });
      const onWorkers = await createOrtTileModel(graphs, { threads: 2, workers: 2 });
      const inThread = await createOrtTileModel(graphs, { threads: 1, workers: 0 });
      try {
        const step = model.stride;
        const [width, height] = [5 * step - 6, (7 * step) / 2 + 4];
        const rnd = mulberry32(bits);
        const max = bits === 8 ? 255 : 65535;
        const n = width * height * 3;
        const codes =
          bits === 8
            ? Uint8Array.from({ length: n }, () => Math.round(rnd() * max))
            : Uint16Array.from({ length: n }, () => Math.round(rnd() * max));
        const photo = {
          kind: 'ldr-codes',
          width,
          height,
          channels: 3,
          bitDepth: bits,
          codes,
        } as const;
        const unit = codeToUnit(bits);
        const floats = {
          width,
          height,
          channels: 3 as const,
          data: Float32Array.from(codes, (c) => unit[c]),
        };
        const evs = [-2, 0, 1.5];
        const opts = { tileSize: 2 * step, overlap: step, batchSize: 1 };
        const ref = await generateBracket(model, floats, evs, opts);
        for (const [ort, memoryBudget] of [
          [onWorkers, undefined],
          [onWorkers, 1],
          [inThread, undefined],
        ] as const) {
          const got = await generateBracket(ort, photo, evs, { ...opts, memoryBudget });
          for (let i = 0; i < evs.length; i++) {
            expect(maxAbsDiff(ref[i].data, got[i].data)).toBeLessThan(TOL);
          }
        }
      } finally {
        await onWorkers.release();
        await inThread.release();
        model.dispose();
      }
    },
  );
});
