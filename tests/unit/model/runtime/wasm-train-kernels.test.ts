import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/model/runtime/backend.js';
import { wasmTrainingKernelsRegistered } from '../../../../src/core/model/runtime/wasm-train-kernels.js';

/** Deterministic pseudo-random values in [−1, 1). */
function rand(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Runs f on the given backend with fresh tensors; returns plain arrays. */
async function on<T>(backend: string, f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!));
  return err / scale;
}

interface Case {
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: 1 | 2;
  pad: 'same' | 'valid';
}

const cases: Case[] = [
  { x: [2, 8, 8, 3], k: 3, cout: 4, stride: 1, pad: 'same' },
  { x: [1, 7, 9, 5], k: 3, cout: 2, stride: 1, pad: 'same' },
  { x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: 'same' },
  { x: [1, 7, 9, 4], k: 3, cout: 3, stride: 2, pad: 'same' },
  { x: [1, 9, 8, 2], k: 5, cout: 3, stride: 2, pad: 'same' },
  { x: [2, 6, 7, 3], k: 3, cout: 2, stride: 1, pad: 'valid' },
  { x: [1, 9, 9, 2], k: 3, cout: 2, stride: 2, pad: 'valid' },
  { x: [2, 5, 5, 6], k: 1, cout: 4, stride: 1, pad: 'same' },
  { x: [1, 8, 8, 2], k: 4, cout: 3, stride: 2, pad: 'same' },
];

function convGrads(c: Case): { dx: Float32Array; dw: Float32Array } {
  const wShape = [c.k, c.k, c.x[3], c.cout];
  const x = tf.tensor4d(rand(size(c.x), 1), c.x);
  const w = tf.tensor4d(rand(size(wShape), 2), wShape as [number, number, number, number]);
  const yShape = tf.conv2d(x, w, c.stride, c.pad).shape;
  const r = tf.tensor(rand(size(yShape), 3), yShape);
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), r)),
  );
  const [dx, dw] = g([x, w]);
  const out = { dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
  tf.dispose([x, w, r, dx!, dw!]);
  return out;
}

describe('wasm training kernels', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm', threads: 2 });
  });

  it('are registered on the wasm backend', () => {
    expect(wasmTrainingKernelsRegistered()).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  for (const c of cases) {
    it(`conv2d grads match cpu: x ${c.x.join('×')}, ${c.k}×${c.k}→${c.cout}, stride ${c.stride}, ${c.pad}`, async () => {
      const cpu = await on('cpu', () => convGrads(c));
      const wasm = await on('wasm', () => convGrads(c));
      expect(wasm.dx.length).toBe(cpu.dx.length);
      expect(wasm.dw.length).toBe(cpu.dw.length);
      expect(maxRelErr(wasm.dx, cpu.dx)).toBeLessThan(1e-5);
      expect(maxRelErr(wasm.dw, cpu.dw)).toBeLessThan(1e-5);
    });
  }

  it('a small conv net (conv3×3 + BN + LeakyReLU + conv, L1 loss) has the same gradients on wasm and cpu', async () => {
    const xs: [number, number, number, number] = [2, 12, 12, 3];
    const net = () => {
      const x = tf.tensor4d(rand(size(xs), 11), xs);
      const t = tf.tensor4d(rand(2 * 12 * 12 * 3, 12), [2, 12, 12, 3]);
      const w1 = tf.tensor4d(rand(3 * 3 * 3 * 8, 13), [3, 3, 3, 8]);
      const gamma = tf.tensor1d(rand(8, 14).map((v) => 1 + 0.2 * v));
      const beta = tf.tensor1d(rand(8, 15).map((v) => 0.1 * v));
      const w2 = tf.tensor4d(rand(3 * 3 * 8 * 3, 16), [3, 3, 8, 3]);
      const w3 = tf.tensor4d(rand(3 * 3 * 8 * 8, 17), [3, 3, 8, 8]);
      const f = (w1v: tf.Tensor, g: tf.Tensor, b: tf.Tensor, w3v: tf.Tensor, w2v: tf.Tensor) => {
        let h = tf.conv2d(x, w1v as tf.Tensor4D, 1, 'same');
        const { mean, variance } = tf.moments(h, [0, 1, 2]);
        h = tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
        h = tf.leakyRelu(h, 0.2);
        h = tf.leakyRelu(tf.conv2d(h as tf.Tensor4D, w3v as tf.Tensor4D, 2, 'same'), 0.2);
        h = tf.depthToSpace(tf.concat([h, h, h, h], 3) as tf.Tensor4D, 2);
        const y = tf.tanh(tf.conv2d(h as tf.Tensor4D, w2v as tf.Tensor4D, 1, 'same'));
        return tf.mean(tf.abs(tf.sub(y, t)));
      };
      const res = tf.grads(f)([w1, gamma, beta, w3, w2]);
      const out = res.map((r) => r.dataSync() as Float32Array);
      tf.dispose([x, t, w1, gamma, beta, w2, w3, ...res]);
      return out;
    };
    const cpu = await on('cpu', net);
    const wasm = await on('wasm', net);
    for (let i = 0; i < cpu.length; i++) {
      expect(maxRelErr(wasm[i]!, cpu[i]!)).toBeLessThan(2e-4);
    }
  });
});
