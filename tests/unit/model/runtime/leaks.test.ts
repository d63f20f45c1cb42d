import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/model/runtime/backend.js';

/** A tiny U-Net-like net: conv → BN → LeakyReLU, strided conv down, pixel-shuffle up, skip concat. */
function makeNet() {
  const v = (shape: number[], seed: number) =>
    tf.variable(
      tf.randomNormal(shape, 0, 0.2, 'float32', seed),
    ) as unknown as tf.Variable<tf.Rank.R4>;
  return {
    w1: v([3, 3, 3, 8], 1),
    g1: tf.variable(tf.ones([8])),
    b1: tf.variable(tf.zeros([8])),
    wd: v([3, 3, 8, 16], 2),
    wu: v([3, 3, 16, 32], 3),
    wo: v([3, 3, 16, 3], 4),
  };
}
type Net = ReturnType<typeof makeNet>;

function forward(net: Net, x: tf.Tensor4D, training: boolean): tf.Tensor4D {
  let h = tf.conv2d(x, net.w1, 1, 'same');
  if (training) {
    const { mean, variance } = tf.moments(h, [0, 1, 2]);
    h = tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), net.g1), net.b1);
  }
  const skip = tf.leakyRelu(h, 0.2) as tf.Tensor4D;
  const d = tf.leakyRelu(tf.conv2d(skip, net.wd, 2, 'same'), 0.2) as tf.Tensor4D;
  const u = tf.depthToSpace(tf.conv2d(d, net.wu, 1, 'same'), 2);
  return tf.tanh(tf.conv2d(tf.concat([u, skip], 3) as tf.Tensor4D, net.wo, 1, 'same'));
}

describe.each(['wasm', 'cpu'])('no tensor leaks on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm', threads: 2 });
    await tf.setBackend(backend);
  });

  it('inference and an Adam training step leave tf.memory().numTensors unchanged', () => {
    const net = makeNet();
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const t = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 6) as tf.Tensor4D;
    const opt = tf.train.adam(1e-3);
    const vars = Object.values(net);
    const step = () => {
      const cost = opt.minimize(
        () => tf.mean(tf.abs(tf.sub(forward(net, x, true), t))) as tf.Scalar,
        true,
        vars,
      );
      const value = cost!.dataSync()[0]!;
      cost!.dispose();
      return value;
    };
    // the first step creates Adam's moment variables (2 per trainable variable) and its counters
    step();
    const base = tf.memory().numTensors;
    // backend buffers too: the wasm training kernels allocate intermediates outside the engine
    const baseBuffers = tf.memory().numDataBuffers;
    const y = tf.tidy(() => forward(net, x, false));
    y.dispose();
    expect(tf.memory().numTensors).toBe(base);
    const losses = [step(), step(), step()];
    expect(tf.memory().numTensors).toBe(base);
    expect(tf.memory().numDataBuffers).toBe(baseBuffers);
    expect(losses.every(Number.isFinite)).toBe(true);
    opt.dispose();
    tf.dispose([x, t, ...vars]);
  });
});
