/**
 * Resolution changes for U-Nets, written with reshape/transpose/mean only so that their
 * gradients are exact on every backend (DESIGN.md: the wasm maxPool gradient is wrong for some
 * shapes and tfjs-core registers no DepthToSpace gradient) — no max pooling anywhere.
 *
 * Channel order matches `tf.depthToSpace` / `tf.spaceToDepth` (NHWC, block 2):
 * out[n, 2h+i, 2w+j, c] = in[n, h, w, (2i+j)·C + c].
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidInputError } from '../../errors.js';
import type { ConvBnAct, ForwardContext } from './layers.js';
import { convBnAct, createConvBnAct } from './layers.js';
import type { ParamStore } from './params.js';

function requireEven(x: tf.Tensor4D, what: string): void {
  if (x.shape[1] % 2 !== 0 || x.shape[2] % 2 !== 0) {
    throw new InvalidInputError(
      `${what}: height and width must be even, got ${x.shape[1]}×${x.shape[2]}`,
    );
  }
}

/** Pixel shuffle (depth-to-space, factor 2): [N,H,W,4C] → [N,2H,2W,C]. Differentiable. */
export function pixelShuffle(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c4] = x.shape;
  if (c4 % 4 !== 0) throw new InvalidInputError(`pixelShuffle: channels ${c4} not a multiple of 4`);
  const c = c4 / 4;
  return tf.tidy(() =>
    tf.reshape(tf.transpose(tf.reshape(x, [n, h, w, 2, 2, c]), [0, 1, 3, 2, 4, 5]), [
      n,
      2 * h,
      2 * w,
      c,
    ]),
  );
}

/** Inverse pixel shuffle (space-to-depth, factor 2): [N,H,W,C] → [N,H/2,W/2,4C]. Differentiable. */
export function pixelUnshuffle(x: tf.Tensor4D): tf.Tensor4D {
  requireEven(x, 'pixelUnshuffle');
  const [n, h, w, c] = x.shape;
  return tf.tidy(() =>
    tf.reshape(tf.transpose(tf.reshape(x, [n, h / 2, 2, w / 2, 2, c]), [0, 1, 3, 2, 4, 5]), [
      n,
      h / 2,
      w / 2,
      4 * c,
    ]),
  );
}

/** 2×2 average pooling with stride 2: [N,H,W,C] → [N,H/2,W/2,C]. H and W must be even. */
export function avgPool2(x: tf.Tensor4D): tf.Tensor4D {
  requireEven(x, 'avgPool2');
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => tf.mean(tf.reshape(x, [n, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D);
}

/**
 * Pixel shuffle for inference, picking the faster kernel per backend: tfjs-wasm's
 * DepthToSpace is 6–8× slower than its Transpose here (≈ 100 ms vs 12–18 ms on 12.6 M
 * floats), while on the cpu backend DepthToSpace is the faster one (≈ 20 ms vs ≈ 290 ms).
 * Both give identical values.
 */
export function pixelShuffleFast(x: tf.Tensor4D): tf.Tensor4D {
  return tf.getBackend() === 'cpu' ? tf.depthToSpace(x, 2, 'NHWC') : pixelShuffle(x);
}

/**
 * Nearest-neighbour upsampling by 2: [N,H,W,C] → [N,2H,2W,C], out[n, 2h+i, 2w+j, c] =
 * in[n, h, w, c]. Written with concat/reshape only (gradients on every backend; tfjs has no
 * tile gradient above rank 5).
 */
export function nearest2(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => {
    // each pixel twice along the row: [N,H,W,2C] read as [N,H,2W,C]
    const cols = tf.reshape(tf.concat([x, x], 3), [n, h, 1, 2 * w * c]);
    // each row twice: [N,H,2,2W·C] read as [N,2H,2W,C]
    return tf.reshape(tf.concat([cols, cols], 2), [n, 2 * h, 2 * w, c]);
  });
}

/**
 * An upsampler doubling the resolution: 'subpixel': conv (k×k, cin → 4·cout) → BN → LeakyReLU
 * → pixel shuffle; 'nearest': conv (k×k, cin → cout) → BN → LeakyReLU → nearest ×2.
 */
export interface Upsample {
  readonly block: ConvBnAct;
  readonly mode: 'subpixel' | 'nearest';
}

/**
 * Registers an upsampler doubling the resolution, cin → cout channels.
 * @param kernel - 1 (as in the authors' code) or 3
 * @param mode - 'subpixel' (default) or 'nearest'
 */
export function createUpsample(
  store: ParamStore,
  name: string,
  cin: number,
  cout: number,
  opts: { kernel?: number; slope?: number; mode?: 'subpixel' | 'nearest' } = {},
): Upsample {
  const mode = opts.mode ?? 'subpixel';
  return {
    block: createConvBnAct(store, name, cin, (mode === 'nearest' ? 1 : 4) * cout, {
      kernel: opts.kernel ?? 1,
      slope: opts.slope,
    }),
    mode,
  };
}

/** Applies an upsampler: [N,H,W,cin] → [N,2H,2W,cout]. */
export function upsample(x: tf.Tensor4D, u: Upsample, ctx: ForwardContext): tf.Tensor4D {
  return tf.tidy(() => {
    const y = convBnAct(x, u.block, ctx);
    if (u.mode === 'nearest') return nearest2(y);
    return ctx.training ? pixelShuffle(y) : pixelShuffleFast(y);
  });
}

/** Halving by a strided 3×3 conv → BN → LeakyReLU (the learnable alternative to {@link avgPool2}). */
export function createStridedDown(
  store: ParamStore,
  name: string,
  channels: number,
  opts: { slope?: number } = {},
): ConvBnAct {
  return createConvBnAct(store, name, channels, channels, {
    kernel: 3,
    stride: 2,
    slope: opts.slope,
  });
}

/** Skip connection: concatenation along channels (shapes must agree in N, H, W). */
export function skipConcat(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
  if (a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1] || a.shape[2] !== b.shape[2]) {
    throw new InvalidInputError(`skipConcat: shapes ${a.shape} and ${b.shape} differ in N, H or W`);
  }
  return tf.concat([a, b], 3);
}
