import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MultiExposureConfig } from '../../../../../src/core/model/architectures/multi-exposure/config.js';
import { TINY_CONFIG } from '../../../../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../../../../src/core/model/architectures/multi-exposure/model.js';
import { loadWeights, saveWeights } from '../../../../../src/core/model/nn/weights-io.js';

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-me-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Exercises the stem-2, strided-conv, 3×3-upsampler paths on a tiny scale. */
const STEM_CONFIG: MultiExposureConfig = {
  ...TINY_CONFIG,
  name: 'tiny-stem',
  n1: { ...TINY_CONFIG.n1, stem: 2, downsample: 'conv', upKernel: 3, widths: [4, 6, 8] },
  n23: { ...TINY_CONFIG.n23, stem: 2, widths: [4, 8] },
};

const image = (seed: number, h = 16, w = 16) =>
  tf.randomUniform([1, h, w, 3], 0, 1, 'float32', seed) as tf.Tensor4D;

describe('multi-exposure model', () => {
  for (const config of [TINY_CONFIG, STEM_CONFIG]) {
    it(`${config.name}: shapes, latent and outputs in [0,1], EV 0 identity, no leaks`, () => {
      const model = createMultiExposureModel(config, 5);
      const x = image(1);
      const before = tf.memory().numTensors;
      const latent = model.encode(x);
      expect(latent.shape).toEqual([1, 16, 16, 3]);
      const lat = latent.dataSync();
      expect(Math.min(...lat)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...lat)).toBeLessThanOrEqual(1);
      latent.dispose();
      const frames = model.generate(x, [-3, -1.5, 0, 0.7, 4]);
      expect(frames).toHaveLength(5);
      for (const f of frames) {
        expect(f.shape).toEqual([1, 16, 16, 3]);
        const d = f.dataSync();
        expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...d)).toBeLessThanOrEqual(1);
      }
      expect(frames[2].dataSync()).toEqual(x.dataSync());
      for (const f of frames) f.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      model.dispose();
    });
  }

  it('N2 renders positive EVs and N3 negative ones (different weights → different outputs)', () => {
    const model = createMultiExposureModel(TINY_CONFIG, 2);
    const x = image(3);
    const lat = model.encode(x);
    const up = model.render(lat, 1).dataSync();
    const down = model.render(lat, -1).dataSync();
    expect(up).not.toEqual(down);
    model.dispose();
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const x = image(4);
    const run = (seed: number) => {
      const m = createMultiExposureModel(TINY_CONFIG, seed);
      const out = m.generate(x, [2])[0].dataSync();
      m.dispose();
      return out;
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });

  it('rejects EVs outside [−4, 4], non-finite EVs and sizes not a multiple of the stride', () => {
    const model = createMultiExposureModel(STEM_CONFIG, 1);
    expect(model.stride).toBe(8);
    expect(() => model.generate(image(1), [4.5])).toThrow(/EV/);
    expect(() => model.generate(image(1), [Number.NaN])).toThrow(/EV/);
    expect(() => model.generate(image(1, 12, 16), [1])).toThrow(/multiples of 8/);
    model.dispose();
  });

  it('reports its parameter count and FLOPs', () => {
    const model = createMultiExposureModel(TINY_CONFIG, 1);
    // Trainable conv weights of one tiny U-Net: enc0 3·9·4 + 4·9·4, enc1 4·9·8 + 8·9·8,
    // up 8·16 (1×1), dec0 8·9·4 + 4·9·4, out (4 or 7)·3 + 3 bias; BN γ,β per conv channel.
    const convs = 108 + 144 + 288 + 576 + 128 + 288 + 144;
    const bn = 2 * (4 + 4 + 8 + 8 + 16 + 4 + 4);
    const n1 = convs + bn + 4 * 3 + 3;
    const n23 = convs + bn + 7 * 3 + 3;
    expect(model.params.count(true)).toBe(n1 + 2 * n23);
    expect(model.params.count()).toBe(n1 + 2 * n23 + 3 * bn); // + running mean/var
    expect(model.flopsPerPixel.encode).toBeGreaterThan(0);
    model.dispose();
  });

  it('save → load into a differently seeded model gives identical outputs', async () => {
    const a = createMultiExposureModel(STEM_CONFIG, 1);
    const b = createMultiExposureModel(STEM_CONFIG, 2);
    const x = image(6);
    const base = path.join(dir, 'me');
    await saveWeights(base, a.params, { config: a.config.name });
    const outA = a.generate(x, [-2, 1.5]).map((t) => t.dataSync());
    expect(b.generate(x, [-2, 1.5])[0].dataSync()).not.toEqual(outA[0]);
    await loadWeights(`${base}.json`, b.params);
    const outB = b.generate(x, [-2, 1.5]).map((t) => t.dataSync());
    expect(outB).toEqual(outA);
    a.dispose();
    b.dispose();
  });
});
