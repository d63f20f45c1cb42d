import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { wellExposedMask } from '../../../../../src/core/model/architectures/multi-exposure/mask.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('wellExposedMask (Eq. 14)', () => {
  it('is 1 mid-range, 0 at black and white, ½ halfway into each band (τ = 0.95)', () => {
    const greys = [0.5, 0, 1, 0.025, 0.975, 0.05, 0.95, 1.3, -0.2];
    const x = tf.tensor4d(
      greys.flatMap((g) => [g, g, g]),
      [1, 1, greys.length, 3],
    );
    const m = Array.from(wellExposedMask(x, 0.95).dataSync());
    const want = [1, 0, 0, 0.5, 0.5, 1, 1, 0, 0];
    m.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  });

  it('uses Rec.601 luma: pure green 0.587 is well exposed, pure blue 0.114 too, red at τ=0.9 too', () => {
    const x = tf.tensor4d([0, 1, 0, 0, 0, 1, 1, 0, 0], [1, 1, 3, 3]);
    const m = Array.from(wellExposedMask(x, 0.9).dataSync());
    expect(m).toEqual([1, 1, 1]);
    const dark = tf.tensor4d([0, 0, 0.2], [1, 1, 1, 3]); // Y = 0.0228 → (0.05−0.0228)/0.05 under
    expect(wellExposedMask(dark, 0.95).dataSync()[0]).toBeCloseTo(1 - (0.05 - 0.0228) / 0.05, 4);
  });

  it('rejects bad τ and channel counts', () => {
    expect(() => wellExposedMask(tf.zeros([1, 1, 1, 3]) as tf.Tensor4D, 0.4)).toThrow(/tau/);
    expect(() => wellExposedMask(tf.zeros([1, 1, 1, 1]) as tf.Tensor4D)).toThrow(/3 channels/);
  });
});
