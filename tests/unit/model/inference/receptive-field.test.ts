import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MultiExposureConfig } from '../../../../src/core/model/architectures/multi-exposure/config.js';
import {
  LITE_CONFIG,
  TINY_CONFIG,
} from '../../../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../../../src/core/model/architectures/multi-exposure/model.js';
import {
  bracketReceptiveRadius,
  unetReceptiveRadius,
} from '../../../../src/core/model/inference/receptive-field.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Stem 2, strided-conv downsampling and 3×3 upsampling, small widths. */
const STEM_CONFIG: MultiExposureConfig = {
  ...TINY_CONFIG,
  name: 'tiny-stem',
  n1: { ...TINY_CONFIG.n1, stem: 2, downsample: 'conv', upKernel: 3, widths: [4, 6, 8] },
};

/** STEM_CONFIG with nearest-neighbour upsampling in both nets. */
const NEAREST_CONFIG: MultiExposureConfig = {
  ...STEM_CONFIG,
  name: 'tiny-stem-nearest',
  n1: { ...STEM_CONFIG.n1, upsample: 'nearest' },
  n23: { ...STEM_CONFIG.n23, upsample: 'nearest' },
};

describe('receptive-field radius', () => {
  it('matches hand counts', () => {
    // TINY, span [lo, hi]: enc0 2 convs [−2, 2]; pool [−2, 3]; enc1 2 convs at spacing 2
    // [−6, 7]; shuffle [−7, 7]; dec0 2 convs [−9, 9] → 9
    expect(unetReceptiveRadius(TINY_CONFIG.n1)).toBe(9);
    expect(bracketReceptiveRadius(TINY_CONFIG)).toBe(18);
    // LITE N2/N3: stem [0, 1]; enc0 [−4, 5]; pool+enc1 [−12, 15]; [−28, 35]; [−60, 75];
    // shuffle+dec2 [−84, 91]; [−96, 99]; [−102, 103]; unstem [−103, 103]
    expect(unetReceptiveRadius(LITE_CONFIG.n23)).toBe(103);
    // STEM N1: stem [0, 1]; enc0 [−4, 5]; strided+enc1 [−12, 17]; strided+enc2 [−28, 41];
    // up3 [−36, 49], shuffle [−40, 49], dec1 [−48, 57]; up3 [−52, 61], shuffle [−54, 61],
    // dec0 [−58, 65]; unstem [−59, 65] → 65
    expect(unetReceptiveRadius(STEM_CONFIG.n1)).toBe(65);
  });

  // Perturbs one input pixel and measures how far (Chebyshev distance) the output changes.
  function reach(config: MultiExposureConfig, size: number, net: 'encode' | 'render'): number {
    const model = createMultiExposureModel(config, 3);
    try {
      return tf.tidy(() => {
        const c = size / 2;
        const x = tf.randomUniform([1, size, size, 3], 0.2, 0.8, 'float32', 1) as tf.Tensor4D;
        const bump = tf.buffer([1, size, size, 3], 'float32');
        bump.set(0.1, 0, c, c, 0);
        const y = tf.add(x, bump.toTensor()) as tf.Tensor4D;
        const run = (t: tf.Tensor4D) => (net === 'encode' ? model.encode(t) : model.render(t, 1));
        const d = tf.sub(run(y), run(x)).dataSync();
        let r = 0;
        for (let i = 0; i < size; i++)
          for (let j = 0; j < size; j++)
            for (let k = 0; k < 3; k++)
              if (d[(i * size + j) * 3 + k] !== 0)
                r = Math.max(r, Math.abs(i - c), Math.abs(j - c));
        return r;
      });
    } finally {
      model.dispose();
    }
  }

  it('bounds the measured reach of one changed pixel (and is not loose by more than 2×)', () => {
    for (const [config, size] of [
      [TINY_CONFIG, 48],
      [STEM_CONFIG, 160],
      [NEAREST_CONFIG, 160],
    ] as const) {
      for (const net of ['encode', 'render'] as const) {
        const radius = unetReceptiveRadius(net === 'encode' ? config.n1 : config.n23);
        const r = reach(config, size, net);
        expect(r, `${config.name} ${net}`).toBeLessThanOrEqual(radius);
        expect(r, `${config.name} ${net}`).toBeGreaterThan(radius / 2);
      }
    }
  });
});
