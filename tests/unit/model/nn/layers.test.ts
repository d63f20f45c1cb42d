import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchNorm,
  conv,
  convBnAct,
  createBatchNorm,
  createConv,
  createConvBnAct,
  leakyRelu,
} from '../../../../src/core/model/nn/layers.js';
import { ParamStore } from '../../../../src/core/model/nn/params.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TRAIN = { training: true };
const INFER = { training: false };

describe('layers', () => {
  it('LeakyReLU: x for x ≥ 0, slope·x below', () => {
    const y = leakyRelu(tf.tensor4d([-2, -0.5, 0, 3], [1, 1, 4, 1]), 0.2).dataSync();
    expect(Array.from(y)).toEqual([-0.4000000059604645, -0.10000000149011612, 0, 3]);
    expect(Array.from(leakyRelu(tf.tensor4d([-1], [1, 1, 1, 1]), 0.1).dataSync())[0]).toBeCloseTo(
      -0.1,
      7,
    );
  });

  it('conv with a centre-only kernel and bias is an affine map per pixel', () => {
    const s = new ParamStore(1);
    const c = createConv(s, 'c', 2, 1, { bias: true });
    const w = new Float32Array(18);
    w[4 * 2 + 0] = 2; // centre tap, in 0
    w[4 * 2 + 1] = -1; // centre tap, in 1
    c.w.assign(tf.tensor4d(w, [3, 3, 2, 1]));
    c.b!.assign(tf.tensor1d([0.5]));
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    expect(Array.from(conv(x, c).dataSync())).toEqual([0.5, 2.5, 4.5, 6.5]);
    s.dispose();
  });

  it('batch norm (training) standardises per channel and moves the running stats by momentum', () => {
    const s = new ParamStore(1);
    const bn = createBatchNorm(s, 'bn', 2, { momentum: 0.1 });
    // channel 0: values 1..8 (mean 4.5, biased var 5.25); channel 1: constant 3
    const data: number[] = [];
    for (let i = 1; i <= 8; i++) data.push(i, 3);
    const x = tf.tensor4d(data, [2, 2, 2, 2]);
    const y = tf.tidy(() => batchNorm(x, bn, TRAIN));
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    expect(mean.dataSync()[0]).toBeCloseTo(0, 5);
    expect(variance.dataSync()[0]).toBeCloseTo(5.25 / (5.25 + 1e-5), 4);
    expect(y.dataSync()[1]).toBeCloseTo(0, 5);
    const rm = bn.mean.dataSync();
    const rv = bn.variance.dataSync();
    expect(rm[0]).toBeCloseTo(0.45, 6);
    expect(rm[1]).toBeCloseTo(0.3, 6);
    expect(rv[0]).toBeCloseTo(0.9 + (0.1 * (5.25 * 8)) / 7, 5); // unbiased variance 6
    expect(rv[1]).toBeCloseTo(0.9, 6);
    s.dispose();
  });

  it('inference block (folded BN, fused conv) equals conv → BN(running) → LeakyReLU', () => {
    const s = new ParamStore(4);
    const b = createConvBnAct(s, 'b', 3, 5, { slope: 0.2 });
    b.bn.mean.assign(tf.tensor1d([0.1, -0.2, 0.3, 0, 0.5]));
    b.bn.variance.assign(tf.tensor1d([0.5, 2, 1, 0.25, 3]));
    b.bn.gamma.assign(tf.tensor1d([1, 0.5, -1, 2, 1.5]));
    b.bn.beta.assign(tf.tensor1d([0, 0.1, -0.1, 0.2, 0]));
    const x = tf.randomUniform([2, 6, 6, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    const fused = convBnAct(x, b, INFER).dataSync();
    const ref = leakyRelu(batchNorm(conv(x, b.conv), b.bn, INFER), 0.2).dataSync();
    for (let i = 0; i < ref.length; i++) expect(fused[i]).toBeCloseTo(ref[i], 4);
    s.dispose();
  });

  it('training-mode conv→BN→LeakyReLU gradients match central finite differences', () => {
    const s = new ParamStore(11);
    const b = createConvBnAct(s, 'b', 2, 3);
    const x = tf.randomUniform([2, 4, 4, 2], -1, 1, 'float32', 3) as tf.Tensor4D;
    const r = tf.randomUniform([2, 4, 4, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    const lossOf = () => tf.tidy(() => tf.sum(tf.mul(convBnAct(x, b, TRAIN), r)) as tf.Scalar);
    const { grads } = tf.variableGrads(lossOf, [b.conv.w, b.bn.gamma, b.bn.beta]);
    const check = (v: tf.Variable, indices: number[]) => {
      const g = grads[v.name].dataSync();
      const base = v.dataSync().slice();
      for (const i of indices) {
        const h = 1e-2;
        const plus = base.slice();
        plus[i] += h;
        v.assign(tf.tensor(plus, v.shape));
        const lp = lossOf().dataSync()[0];
        const minus = base.slice();
        minus[i] -= h;
        v.assign(tf.tensor(minus, v.shape));
        const lm = lossOf().dataSync()[0];
        v.assign(tf.tensor(base, v.shape));
        const fd = (lp - lm) / (2 * h);
        expect(Math.abs(fd - g[i])).toBeLessThan(0.03 * Math.max(1, Math.abs(fd)));
      }
    };
    check(b.conv.w, [0, 7, 20, 41, 53]);
    check(b.bn.gamma, [0, 1, 2]);
    check(b.bn.beta, [0, 2]);
    s.dispose();
  });
});
