/**
 * The U-Net shared by N1, N2 and N3: per level a block of conv3×3+BN+LeakyReLU layers,
 * downsampling by 2×2 average pooling (or strided conv), sub-pixel upsampling to the skip's
 * width, skip concatenation, and a final 1×1 convolution (with bias) returning the
 * pre-activation output F. With `stem: 2` the input is pixel-unshuffled to half resolution
 * first and F is pixel-shuffled back, so the output always has the input's H×W.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Conv, ConvBnAct, ForwardContext } from '../../nn/layers.js';
import { conv, convBnAct, createConv, createConvBnAct } from '../../nn/layers.js';
import type { ParamStore } from '../../nn/params.js';
import type { Upsample } from '../../nn/resample.js';
import {
  avgPool2,
  createStridedDown,
  createUpsample,
  pixelShuffle,
  pixelShuffleFast,
  pixelUnshuffle,
  skipConcat,
  upsample,
} from '../../nn/resample.js';
import type { UNetConfig } from './config.js';

/** A built U-Net (parameters live in the store passed to {@link createUNet}). */
export interface UNet {
  readonly config: UNetConfig;
  readonly enc: ConvBnAct[][];
  readonly down: (ConvBnAct | null)[];
  readonly up: Upsample[];
  readonly dec: ConvBnAct[][];
  readonly out: Conv;
}

/**
 * Registers a U-Net's parameters under `prefix`.
 * @param inCh - image channels in; @param outCh - image channels out
 * @param zeroOutput - start the final 1×1 convolution at zero (F = 0 before training)
 */
export function createUNet(
  store: ParamStore,
  prefix: string,
  cfg: UNetConfig,
  inCh: number,
  outCh: number,
  slope: number,
  bnMomentum: number,
  zeroOutput = false,
): UNet {
  const s2 = cfg.stem * cfg.stem;
  const w = cfg.widths;
  const block = (name: string, cin: number, cout: number): ConvBnAct[] => {
    const layers: ConvBnAct[] = [];
    for (let i = 0; i < cfg.convsPerBlock; i++) {
      layers.push(
        createConvBnAct(store, `${name}.${i}`, i === 0 ? cin : cout, cout, { slope, bnMomentum }),
      );
    }
    return layers;
  };
  const enc: ConvBnAct[][] = [];
  const down: (ConvBnAct | null)[] = [];
  for (let l = 0; l < w.length; l++) {
    const cin = l === 0 ? inCh * s2 : w[l - 1];
    down.push(
      l > 0 && cfg.downsample === 'conv'
        ? createStridedDown(store, `${prefix}.down${l}`, cin, { slope })
        : null,
    );
    enc.push(block(`${prefix}.enc${l}`, cin, w[l]));
  }
  const up: Upsample[] = [];
  const dec: ConvBnAct[][] = [];
  for (let l = 0; l < w.length - 1; l++) {
    up.push(
      createUpsample(store, `${prefix}.up${l}`, w[l + 1], w[l], {
        kernel: cfg.upKernel,
        slope,
        mode: cfg.upsample,
      }),
    );
    dec.push(block(`${prefix}.dec${l}`, 2 * w[l], w[l]));
  }
  const outIn = w[0] + (cfg.concatInput ? inCh * s2 : 0);
  const out = createConv(store, `${prefix}.out`, outIn, outCh * s2, {
    kernel: 1,
    bias: true,
    init: zeroOutput ? 'zero' : 'glorot',
  });
  return { config: cfg, enc, down, up, dec, out };
}

/**
 * Forward pass: [N,H,W,inCh] → pre-activation F [N,H,W,outCh]. H and W must be multiples of
 * the U-Net's stride (checked by the caller). In training mode everything runs in one
 * `tf.tidy` (the gradient tape needs the intermediates); in inference mode every intermediate
 * is disposed as soon as it is no longer needed, so peak memory is a few activations, not all.
 * The caller owns the result; `x` is never disposed.
 */
export function forwardUNet(net: UNet, x: tf.Tensor4D, ctx: ForwardContext): tf.Tensor4D {
  if (ctx.training) return tf.tidy(() => forwardImpl(net, x, ctx, false));
  return forwardImpl(net, x, ctx, true);
}

function forwardImpl(net: UNet, x: tf.Tensor4D, ctx: ForwardContext, eager: boolean): tf.Tensor4D {
  const cfg = net.config;
  const input = cfg.stem === 2 ? pixelUnshuffle(x) : x;
  const release = (t: tf.Tensor): void => {
    if (eager && t !== x && t !== input) t.dispose();
  };
  const runBlock = (t: tf.Tensor4D, layers: ConvBnAct[]): tf.Tensor4D => {
    let y = t;
    for (const layer of layers) {
      const next = convBnAct(y, layer, ctx);
      if (y !== t) release(y);
      y = next;
    }
    return y;
  };
  const skips: tf.Tensor4D[] = [];
  let h = input;
  for (let l = 0; l < net.enc.length; l++) {
    let pooled = h;
    if (l > 0) {
      const d = net.down[l];
      pooled = d ? convBnAct(h, d, ctx) : avgPool2(h);
    }
    h = runBlock(pooled, net.enc[l]);
    if (l > 0) release(pooled);
    skips.push(h);
  }
  for (let l = net.enc.length - 2; l >= 0; l--) {
    const u = upsample(h, net.up[l], ctx);
    release(h);
    const cat = skipConcat(skips[l], u);
    release(u);
    release(skips[l]);
    h = runBlock(cat, net.dec[l]);
    release(cat);
  }
  if (cfg.concatInput) {
    const hc = skipConcat(h, input);
    release(h);
    h = hc;
  }
  const f = conv(h, net.out);
  release(h);
  if (input !== x && eager) input.dispose();
  if (cfg.stem !== 2) return f;
  const shuffled = ctx.training ? pixelShuffle(f) : pixelShuffleFast(f);
  release(f);
  return shuffled;
}
