import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  avgPool2,
  nearest2,
  pixelShuffle,
  pixelUnshuffle,
  skipConcat,
} from '../../../../src/core/model/nn/resample.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Reference space-to-depth by index arithmetic: out[n,h,w,(2i+j)C+c] = in[n,2h+i,2w+j,c]. */
function spaceToDepthRef(x: tf.Tensor4D): number[][][][] {
  const a = x.arraySync();
  const [n, h, w, c] = x.shape;
  const out: number[][][][] = [];
  for (let b = 0; b < n; b++) {
    const rows: number[][][] = [];
    for (let y = 0; y < h / 2; y++) {
      const cols: number[][] = [];
      for (let z = 0; z < w / 2; z++) {
        const v: number[] = [];
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 2; j++)
            for (let k = 0; k < c; k++) v.push(a[b][2 * y + i][2 * z + j][k]);
        cols.push(v);
      }
      rows.push(cols);
    }
    out.push(rows);
  }
  return out;
}

const ramp = (shape: [number, number, number, number]) =>
  tf.tensor4d(
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => i * 0.01),
    shape,
  );

describe('resample', () => {
  it('pixelShuffle matches tf.depthToSpace and pixelUnshuffle is its index-exact inverse', () => {
    const x = ramp([2, 3, 5, 8]);
    expect(pixelShuffle(x).arraySync()).toEqual(tf.depthToSpace(x, 2).arraySync());
    const y = ramp([2, 6, 4, 3]);
    expect(pixelUnshuffle(y).arraySync()).toEqual(spaceToDepthRef(y));
    expect(pixelShuffle(pixelUnshuffle(y)).arraySync()).toEqual(y.arraySync());
  });

  it('avgPool2 equals 2×2 average pooling and its gradient spreads 1/4 to each input', () => {
    const x = ramp([2, 4, 6, 3]);
    const ref = tf.avgPool(x, 2, 2, 'valid');
    const got = avgPool2(x);
    expect(got.shape).toEqual([2, 2, 3, 3]);
    const a = got.dataSync();
    const b = ref.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    const g = tf.grad((t: tf.Tensor) => tf.sum(avgPool2(t as tf.Tensor4D)))(x);
    for (const v of g.dataSync()) expect(v).toBeCloseTo(0.25, 6);
  });

  it('pixelShuffle gradient is the inverse permutation (exact adjoint)', () => {
    const x = ramp([1, 2, 2, 8]);
    const r = tf.randomUniform([1, 4, 4, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pixelShuffle(t as tf.Tensor4D), r)))(x);
    expect(g.arraySync()).toEqual(spaceToDepthRef(r));
  });

  it('nearest2 repeats every pixel over a 2×2 block, as tf.image.resizeNearestNeighbor does', () => {
    const x = ramp([2, 3, 5, 4]);
    const got = nearest2(x);
    expect(got.shape).toEqual([2, 6, 10, 4]);
    const a = x.arraySync();
    const b = got.arraySync();
    for (let n = 0; n < 2; n++)
      for (let y = 0; y < 6; y++)
        for (let z = 0; z < 10; z++) expect(b[n][y][z]).toEqual(a[n][y >> 1][z >> 1]);
    expect(b).toEqual(tf.image.resizeNearestNeighbor(x, [6, 10]).arraySync());
  });

  it('nearest2 gradient sums each 2×2 block of the upstream gradient (exact adjoint)', () => {
    const x = ramp([1, 2, 3, 2]);
    const r = tf.randomUniform([1, 4, 6, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(nearest2(t as tf.Tensor4D), r)))(x);
    const ref = tf.mul(tf.avgPool(r, 2, 2, 'valid'), 4);
    const [ga, gb] = [g.dataSync(), ref.dataSync()];
    expect(ga.length).toBe(gb.length);
    for (let i = 0; i < ga.length; i++) expect(ga[i]).toBeCloseTo(gb[i], 5);
  });

  it('rejects odd sizes and mismatched skips', () => {
    expect(() => avgPool2(tf.zeros([1, 3, 4, 1]) as tf.Tensor4D)).toThrow(/even/);
    expect(() =>
      skipConcat(tf.zeros([1, 4, 4, 1]) as tf.Tensor4D, tf.zeros([1, 2, 2, 1]) as tf.Tensor4D),
    ).toThrow();
    expect(
      skipConcat(tf.zeros([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([1, 4, 4, 2]) as tf.Tensor4D).shape,
    ).toEqual([1, 4, 4, 3]);
  });
});
