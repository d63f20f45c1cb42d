import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MultiExposureConfig } from '../../../../../src/core/model/architectures/multi-exposure/config.js';
import {
  LITE16_PRIOR_CONFIG,
  LITE_PRIOR_CONFIG,
  TINY_CONFIG,
} from '../../../../../src/core/model/architectures/multi-exposure/config.js';
import type { MultiExposureModel } from '../../../../../src/core/model/architectures/multi-exposure/model.js';
import { createMultiExposureModel } from '../../../../../src/core/model/architectures/multi-exposure/model.js';
import type { WeightTensor } from '../../../../../src/core/model/architectures/multi-exposure/retarget-widths.js';
import { retargetMultiExposure } from '../../../../../src/core/model/architectures/multi-exposure/retarget-widths.js';
import { applyWeights } from '../../../../../src/core/model/nn/weights-io.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Tiny nets with every path the lite ones use: stem 2, three levels, input concatenation, prior. */
const SMALL: MultiExposureConfig = {
  ...TINY_CONFIG,
  name: 'small-prior',
  n1: { ...TINY_CONFIG.n1, stem: 2, widths: [4, 6, 8] },
  n23: { ...TINY_CONFIG.n23, stem: 2, widths: [4, 6, 8] },
  outputPrior: 'srgb-scaling',
};
const withWidths = (n1: number[], n23: number[]): MultiExposureConfig => ({
  ...SMALL,
  name: `small-prior ${n1}/${n23}`,
  n1: { ...SMALL.n1, widths: n1 },
  n23: { ...SMALL.n23, widths: n23 },
});

function tensors(model: MultiExposureModel): Map<string, WeightTensor> {
  return new Map(
    model.params
      .list()
      .map((e) => [
        e.name,
        { shape: e.variable.shape, data: e.variable.dataSync() as Float32Array },
      ]),
  );
}

/** A trained-looking model: random weights and batch-norm statistics away from 0 / 1. */
function trainedModel(config: MultiExposureConfig): MultiExposureModel {
  const model = createMultiExposureModel(config, 3);
  let seed = 10;
  for (const e of model.params.list()) {
    seed += 1;
    const v = e.name.endsWith('.var')
      ? tf.randomUniform(e.variable.shape, 0.5, 2, 'float32', seed)
      : tf.randomNormal(e.variable.shape, 0, 0.3, 'float32', seed);
    e.variable.assign(v);
    v.dispose();
  }
  return model;
}

function retargeted(trained: MultiExposureModel, to: MultiExposureConfig): MultiExposureModel {
  const target = createMultiExposureModel(to, 7);
  const mapped = retargetMultiExposure(trained.config, to, tensors(trained), tensors(target));
  applyWeights(
    target.params,
    new Map([...mapped].map(([k, v]) => [k, { shape: [...v.shape], data: v.data }])),
  );
  return target;
}

function bracket(model: MultiExposureModel): Float32Array[] {
  const x = tf.randomUniform([1, 32, 32, 3], 0, 1, 'float32', 99) as tf.Tensor4D;
  const frames = model.generate(x, [-2, 1.5]);
  const out = frames.map((f) => f.dataSync() as Float32Array);
  for (const f of frames) f.dispose();
  x.dispose();
  return out;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('retargetMultiExposure', () => {
  it('a model that only grows renders exactly what the trained one did', () => {
    const trained = trainedModel(SMALL);
    const wider = retargeted(trained, withWidths([5, 8, 8], [8, 6, 12]));
    const [a, b] = [bracket(trained), bracket(wider)];
    for (let i = 0; i < a.length; i++) expect(maxAbsDiff(a[i], b[i])).toBeLessThan(1e-5);
    // and the new channels are live (non-zero incoming weights), so training can use them
    const w = wider.params.get('n2.enc0.0.conv.w').dataSync();
    expect(Math.max(...Array.from(w.slice(0, 8 * 12)).map(Math.abs))).toBeGreaterThan(0);
    trained.dispose();
    wider.dispose();
  });

  it('a narrower model keeps the first channels of each level and differs only by what was dropped', () => {
    const trained = trainedModel(SMALL);
    const narrower = retargeted(trained, withWidths([4, 4, 8], [4, 6, 8]));
    // N2/N3 unchanged: their weights are copied as they are
    for (const name of ['n2.dec1.0.conv.w', 'n3.out.w', 'n3.up0.bn.gamma']) {
      expect(narrower.params.get(name).dataSync()).toEqual(trained.params.get(name).dataSync());
    }
    // N1 level 1: channels 0..3 of 6 kept; the skip half and the up half of dec1's input stay apart
    const old = trained.params.get('n1.dec1.0.conv.w'); // [3,3,12,6]
    const now = narrower.params.get('n1.dec1.0.conv.w'); // [3,3,8,4]
    expect(now.shape).toEqual([3, 3, 8, 4]);
    const o = old.dataSync();
    const n = now.dataSync();
    // tap 0, input channel 5 (up half, channel 1) → old input channel 7, output 2 → old output 2
    expect(n[(0 * 8 + 5) * 4 + 2]).toBe(o[(0 * 12 + 7) * 6 + 2]);
    // n1.up0 writes 4 sub-pixel blocks of level 0 (4 channels each) from level 1's first 4
    const upOld = trained.params.get('n1.up0.conv.w').dataSync(); // [1,1,6,16]
    const upNow = narrower.params.get('n1.up0.conv.w').dataSync(); // [1,1,4,16]
    expect(upNow[3 * 16 + 13]).toBe(upOld[3 * 16 + 13]);
    const [a, b] = [bracket(trained), bracket(narrower)];
    expect(maxAbsDiff(a[0], b[0])).toBeGreaterThan(1e-6);
    trained.dispose();
    narrower.dispose();
  });

  it('maps the shipped lite widths onto the blocked lite16 widths', () => {
    const from = createMultiExposureModel(LITE_PRIOR_CONFIG, 1);
    const to = createMultiExposureModel(LITE16_PRIOR_CONFIG, 2);
    const mapped = retargetMultiExposure(
      LITE_PRIOR_CONFIG,
      LITE16_PRIOR_CONFIG,
      tensors(from),
      tensors(to),
    );
    expect(mapped.size).toBe(to.params.list().length);
    expect(mapped.get('n2.up0.conv.w')?.shape).toEqual([1, 1, 16, 64]);
    from.dispose();
    to.dispose();
  });

  it('carries sub-pixel upsampling to nearest-neighbour upsampling through the first sub-pixel block', () => {
    const trained = trainedModel(SMALL);
    const nearest: MultiExposureConfig = {
      ...SMALL,
      name: 'small-nearest-prior',
      n1: { ...SMALL.n1, upsample: 'nearest' },
      n23: { ...SMALL.n23, upsample: 'nearest' },
    };
    const target = retargeted(trained, nearest);
    // n2.up0: level 1 (6) → level 0 (4); sub-pixel had 4 blocks of 4 outputs, nearest keeps block 0
    const upOld = trained.params.get('n2.up0.conv.w').dataSync(); // [1,1,6,16]
    const upNow = target.params.get('n2.up0.conv.w'); // [1,1,6,4]
    expect(upNow.shape).toEqual([1, 1, 6, 4]);
    const u = upNow.dataSync();
    for (let i = 0; i < 6; i++)
      for (let o = 0; o < 4; o++) expect(u[i * 4 + o]).toBe(upOld[i * 16 + o]);
    expect(target.params.get('n2.up0.bn.mean').dataSync()).toEqual(
      trained.params.get('n2.up0.bn.mean').dataSync().slice(0, 4),
    );
    // everything else as it was
    expect(target.params.get('n3.dec0.0.conv.w').dataSync()).toEqual(
      trained.params.get('n3.dec0.0.conv.w').dataSync(),
    );
    // an explicit 'subpixel' is the default: the same structure
    const explicit: MultiExposureConfig = {
      ...SMALL,
      n1: { ...SMALL.n1, upsample: 'subpixel' },
      n23: { ...SMALL.n23, upsample: 'subpixel' },
    };
    expect(retargetMultiExposure(SMALL, explicit, tensors(trained), tensors(trained)).size).toBe(
      trained.params.list().length,
    );
    // and back is refused: nearest has no sub-pixel blocks to fill
    expect(() => retargetMultiExposure(nearest, SMALL, tensors(target), tensors(trained))).toThrow(
      /sub-pixel upsampling may become nearest/,
    );
    trained.dispose();
    target.dispose();
  });

  it('refuses configs that differ in more than their widths', () => {
    const a = createMultiExposureModel(SMALL, 1);
    const deeper = withWidths([4, 6, 8, 8], [4, 6, 8]);
    const b = createMultiExposureModel(deeper, 1);
    expect(() => retargetMultiExposure(SMALL, deeper, tensors(a), tensors(b))).toThrow(
      /only the widths may differ/,
    );
    const noPrior = { ...SMALL, outputPrior: undefined };
    expect(() => retargetMultiExposure(SMALL, noPrior, tensors(a), tensors(a))).toThrow(
      /only the U-Net widths may differ/,
    );
    a.dispose();
    b.dispose();
  });
});
