import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  combinedLoss,
  l1Loss,
  LOG_EPS,
  representationLoss,
  totalVariation,
} from '../../../../../src/core/model/architectures/multi-exposure/losses.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const full = (v: number, shape: [number, number, number, number] = [2, 4, 4, 3]) =>
  tf.fill(shape, v) as tf.Tensor4D;

describe('multi-exposure losses', () => {
  it('Lh is 0 for consistent latents and |log((2a+ε)/(a+ε))| for a factor-2 mismatch', () => {
    expect(representationLoss(full(0.4), full(0.4)).dataSync()[0]).toBeCloseTo(0, 7);
    const want = Math.abs(Math.log((0.8 + LOG_EPS) / (0.4 + LOG_EPS)));
    expect(representationLoss(full(0.8), full(0.4)).dataSync()[0]).toBeCloseTo(want, 5);
  });

  it('Lh with a weight averages only the weighted pixels', () => {
    const a = tf.concat([full(0.8, [1, 2, 4, 3]), full(0.4, [1, 2, 4, 3])], 1) as tf.Tensor4D;
    const w = tf.concat([tf.zeros([1, 2, 4, 1]), tf.ones([1, 2, 4, 1])], 1) as tf.Tensor4D;
    expect(representationLoss(a, full(0.4, [1, 4, 4, 3]), w).dataSync()[0]).toBeCloseTo(0, 6);
  });

  it('L1 and TV on known images', () => {
    expect(l1Loss(full(0.3), full(0.5)).dataSync()[0]).toBeCloseTo(0.2, 6);
    const half = tf.concat([tf.zeros([2, 2, 4, 1]), tf.ones([2, 2, 4, 1])], 1) as tf.Tensor4D;
    expect(l1Loss(full(0.3), full(0.5), half).dataSync()[0]).toBeCloseTo(0.1, 6);
    // horizontal ramp 0, 0.1, 0.2, 0.3: mean |dx| = 0.1, dy = 0
    const ramp = tf.tile(
      tf.tensor4d([0, 0.1, 0.2, 0.3], [1, 1, 4, 1]),
      [1, 3, 1, 2],
    ) as tf.Tensor4D;
    expect(totalVariation(ramp).dataSync()[0]).toBeCloseTo(0.1, 6);
    expect(totalVariation(full(0.7)).dataSync()[0]).toBe(0);
  });

  it('combines the terms with their weights over both directions', () => {
    const one = full(1);
    const d = {
      scaledLatent: full(0.8),
      targetLatent: full(0.4),
      rendered: full(0.3),
      target: full(0.5),
      targetMask: tf.ones([2, 4, 4, 1]) as tf.Tensor4D,
    };
    const lh = Math.abs(Math.log((0.8 + LOG_EPS) / (0.4 + LOG_EPS)));
    const l = combinedLoss([d, d], { h: 2, r: 3, tv: 5 });
    expect(l.h.dataSync()[0]).toBeCloseTo(2 * lh, 5);
    expect(l.r.dataSync()[0]).toBeCloseTo(0.4, 5);
    expect(l.tv.dataSync()[0]).toBe(0);
    expect(l.total.dataSync()[0]).toBeCloseTo(2 * 2 * lh + 3 * 0.4, 5);
    one.dispose();
  });
});
