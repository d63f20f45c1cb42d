/**
 * The model shipped in resources/models loads, its weights match the SHA-256 of its descriptor,
 * and it renders a bracket of the right shape with values in [0, 1].
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID, loadModel } from '../../../../src/core/model/store/index.js';

const dir = path.resolve('resources/models', DEFAULT_MODEL_ID);
const present = existsSync(path.join(dir, 'model.json'));
if (!present) console.warn(`shipped-model.test: ${dir} is absent; skipped`);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(!present)(`shipped ${DEFAULT_MODEL_ID}`, () => {
  it('loads with verified weights and renders [0, 1] frames', async () => {
    const descriptor = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
      sha256: string;
      config: string;
    };
    const loaded = await loadModel();
    try {
      expect(loaded.sha256).toBe(descriptor.sha256);
      expect(loaded.model.config.name).toBe(descriptor.config);
      const x = tf.fill([1, 32, 32, 3], 0.4) as tf.Tensor4D;
      const [down, up] = loaded.model.generate(x, [-1, 1]);
      const d = Array.from(await down.data());
      const u = Array.from(await up.data());
      expect(down.shape).toEqual([1, 32, 32, 3]);
      expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...u)).toBeLessThanOrEqual(1);
      // darker at −1 EV than at +1 EV on a flat grey
      expect(d.reduce((a, b) => a + b, 0)).toBeLessThan(u.reduce((a, b) => a + b, 0));
      tf.dispose([x, down, up]);
    } finally {
      loaded.model.dispose();
    }
  });
});
