/**
 * Small reusable layers on tfjs-core ops: 2-D convolution (+bias), batch normalisation,
 * LeakyReLU and the fused "conv → BN → LeakyReLU" block that U-Nets are built from.
 *
 * Modes:
 * - training (`ctx.training === true`): batch norm normalises with the statistics of the
 *   current batch (mean and biased variance over N, H, W per channel) and updates the running
 *   statistics in place: `running ← (1 − momentum)·running + momentum·batch` (PyTorch's
 *   convention, momentum 0.1; the running variance uses the unbiased batch variance).
 * - inference: the running statistics are folded into the convolution
 *   (w' = w·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε)) and the block runs as ONE `tf.fused.conv2d` with a
 *   LeakyReLU epilogue: no separate normalisation pass over the activations.
 *
 * All tensors are NHWC float32.
 */
import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';
import type { ParamStore } from './params.js';

/** Forward-pass context. */
export interface ForwardContext {
  /** true: batch statistics + running-stat updates; false: folded running statistics */
  readonly training: boolean;
}

/** LeakyReLU negative slope used throughout unless configured otherwise. */
export const DEFAULT_LEAKY_SLOPE = 0.2;

/** A convolution's weights. */
export interface Conv {
  readonly w: tf.Variable; // [k, k, cin, cout]
  readonly b: tf.Variable | null; // [cout]
  readonly stride: 1 | 2;
}

/**
 * Registers a k×k convolution `name.w` (and `name.b` when `bias`).
 * @param init - 'he' before a LeakyReLU, 'glorot' before tanh / linear outputs
 */
export function createConv(
  store: ParamStore,
  name: string,
  cin: number,
  cout: number,
  opts: { kernel?: number; bias?: boolean; stride?: 1 | 2; init?: 'he' | 'glorot' | 'zero' } = {},
): Conv {
  const k = opts.kernel ?? 3;
  const init = opts.init ?? 'he';
  const w = store.add(
    `${name}.w`,
    [k, k, cin, cout],
    init === 'zero' ? { kind: 'const', value: 0 } : { kind: init },
  );
  const b = opts.bias ? store.add(`${name}.b`, [cout], { kind: 'const', value: 0 }) : null;
  return { w, b, stride: opts.stride ?? 1 };
}

/** Applies a convolution with 'same' padding (output size = ceil(input / stride)). */
export function conv(x: tf.Tensor4D, c: Conv): tf.Tensor4D {
  return tf.tidy(() => {
    const y = tf.conv2d(x, c.w as tf.Tensor4D, c.stride, 'same');
    return c.b ? tf.add(y, c.b) : y;
  });
}

/** Batch-norm parameters and running statistics. */
export interface BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly mean: tf.Variable; // running mean (not trainable)
  readonly variance: tf.Variable; // running variance (not trainable)
  readonly eps: number;
  readonly momentum: number;
}

/**
 * Registers `name.gamma` (1), `name.beta` (0), `name.mean` (0), `name.var` (1).
 * @param momentum - weight of the new batch in the running update, (0, 1]; default 0.1
 * @param eps - variance floor; default 1e-5
 */
export function createBatchNorm(
  store: ParamStore,
  name: string,
  channels: number,
  opts: { momentum?: number; eps?: number } = {},
): BatchNorm {
  return {
    gamma: store.add(`${name}.gamma`, [channels], { kind: 'const', value: 1 }),
    beta: store.add(`${name}.beta`, [channels], { kind: 'const', value: 0 }),
    mean: store.add(`${name}.mean`, [channels], { kind: 'const', value: 0 }, false),
    variance: store.add(`${name}.var`, [channels], { kind: 'const', value: 1 }, false),
    eps: opts.eps ?? 1e-5,
    momentum: opts.momentum ?? 0.1,
  };
}

/**
 * Batch normalisation over N, H, W per channel (see the module comment for the two modes).
 * In training mode the running statistics are assigned as a side effect; call inside
 * `tf.tidy` / `tf.variableGrads` (the assignment is not on the gradient path).
 */
export function batchNorm(x: tf.Tensor4D, bn: BatchNorm, ctx: ForwardContext): tf.Tensor4D {
  if (!ctx.training) {
    const scale = tf.mul(bn.gamma, tf.rsqrt(tf.add(bn.variance, bn.eps)));
    return tf.add(tf.mul(tf.sub(x, bn.mean), scale), bn.beta);
  }
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const n = x.shape[0] * x.shape[1] * x.shape[2];
  const m = bn.momentum;
  const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
  bn.mean.assign(tf.add(tf.mul(bn.mean, 1 - m), tf.mul(mean, m)));
  bn.variance.assign(tf.add(tf.mul(bn.variance, 1 - m), tf.mul(unbiased, m)));
  const inv = tf.rsqrt(tf.add(variance, bn.eps));
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), inv), bn.gamma), bn.beta);
}

/** LeakyReLU: x for x ≥ 0, slope·x otherwise. */
export function leakyRelu(x: tf.Tensor4D, slope = DEFAULT_LEAKY_SLOPE): tf.Tensor4D {
  return tf.leakyRelu(x, slope);
}

/** conv (no bias) → batch norm → LeakyReLU. */
export interface ConvBnAct {
  readonly conv: Conv;
  readonly bn: BatchNorm;
  readonly slope: number;
}

/** Registers a conv→BN→LeakyReLU block (`name.conv.w`, `name.bn.*`). */
export function createConvBnAct(
  store: ParamStore,
  name: string,
  cin: number,
  cout: number,
  opts: { kernel?: number; stride?: 1 | 2; slope?: number; bnMomentum?: number } = {},
): ConvBnAct {
  return {
    conv: createConv(store, `${name}.conv`, cin, cout, {
      kernel: opts.kernel ?? 3,
      stride: opts.stride ?? 1,
      bias: false,
      init: 'he',
    }),
    bn: createBatchNorm(store, `${name}.bn`, cout, { momentum: opts.bnMomentum }),
    slope: opts.slope ?? DEFAULT_LEAKY_SLOPE,
  };
}

/**
 * Folds the block's running statistics into its convolution: returns the filter and bias of
 * the equivalent single convolution (inference only).
 */
export function foldConvBn(b: ConvBnAct): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  return tf.tidy(() => {
    const scale = tf.mul(b.bn.gamma, tf.rsqrt(tf.add(b.bn.variance, b.bn.eps))) as tf.Tensor1D;
    const filter = tf.mul(b.conv.w, scale) as tf.Tensor4D; // broadcasts over the out axis
    let shift = tf.sub(b.bn.beta, tf.mul(b.bn.mean, scale));
    if (b.conv.b) shift = tf.add(shift, tf.mul(b.conv.b, scale));
    return { filter, bias: shift as tf.Tensor1D };
  });
}

/** Applies a conv→BN→LeakyReLU block in the mode given by `ctx`. */
export function convBnAct(x: tf.Tensor4D, b: ConvBnAct, ctx: ForwardContext): tf.Tensor4D {
  if (ctx.training) return leakyRelu(batchNorm(conv(x, b.conv), b.bn, ctx), b.slope);
  return tf.tidy(() => {
    const { filter, bias } = foldConvBn(b);
    return tf.fused.conv2d({
      x,
      filter,
      strides: b.conv.stride,
      pad: 'same',
      bias,
      activation: 'leakyrelu',
      leakyreluAlpha: b.slope,
    });
  });
}
