/**
 * Multi-exposure generation (Le et al., WACV 2023): the HDR Encoding Net N1 maps the masked
 * LDR input to a latent sensor exposure X, X is scaled by the exposure ratio α = Δt_j/Δt_i =
 * 2^ΔEV, and the Up-Exposure Net N2 (α > 1) or Down-Exposure Net N3 (α < 1) renders the new
 * exposure.
 *
 *   F = N1(Λ ⊙ I),           X = (tanh(F) + I + 1) / 3   ∈ [0, 1]
 *   Î_j = (tanh(N_{2|3}(α·X)) + 1) / 2                     ∈ [0, 1]
 *
 * Λ is the soft well-exposedness mask of Eq. 14 ({@link wellExposedMask}). (The authors'
 * released code uses X = relu(I + tanh(F)) instead of the /3 form; we follow the paper's.)
 * N2/N3 see the scaled latent again at their last layer (input concatenation).
 *
 * Images are NHWC float32 in [0, 1] with 3 channels; H and W must be multiples of `stride`
 * (padding / tiling belongs to the tiled-inference layer).
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidInputError } from '../../../errors.js';
import type { ForwardContext } from '../../nn/layers.js';
import { ParamStore } from '../../nn/params.js';
import type { MultiExposureConfig, UNetConfig } from './config.js';
import { modelStride, unetFlopsPerPixel, unetStride } from './config.js';
import { exposurePriorLogit } from './exposure-prior.js';
import { wellExposedMask } from './mask.js';
import type { UNet } from './unet.js';
import { createUNet, forwardUNet } from './unet.js';

/** Largest |EV| accepted by {@link MultiExposureModel.render}. */
export const MAX_ABS_EV = 4;

const INFERENCE: ForwardContext = { training: false };

/** A model instance. Every method returns tensors the caller owns (dispose them). */
export interface MultiExposureModel {
  readonly config: MultiExposureConfig;
  /** all weights and running statistics (save / load / optimise through this) */
  readonly params: ParamStore;
  /** H and W of inputs must be multiples of this */
  readonly stride: number;
  /** analytic convolution FLOPs per pixel: N1 (once per photo) and N2/N3 (once per EV frame) */
  readonly flopsPerPixel: { readonly encode: number; readonly render: number };
  readonly n1: UNet;
  readonly n2: UNet;
  readonly n3: UNet;
  /** N1: image [N,H,W,3] in [0,1] → latent X [N,H,W,3] in [0,1]. */
  encode(x: tf.Tensor4D, ctx?: ForwardContext): tf.Tensor4D;
  /** True when render needs the input frame too (config `outputPrior`). */
  readonly needsInput: boolean;
  /**
   * Renders the exposure `ev` stops away from the encoded input: N2 for ev > 0, N3 for ev < 0;
   * ev = 0 runs N2 at ratio 1 (a reconstruction — use {@link generate} for an exact identity).
   * @param ev - real number in [−4, +4]
   * @param input - the encoded frame [N,H,W,3] in [0,1]; required when `needsInput`
   */
  render(latent: tf.Tensor4D, ev: number, input?: tf.Tensor4D): tf.Tensor4D;
  /** Encodes once and renders every EV; EV 0 returns an exact copy of `x`. */
  generate(x: tf.Tensor4D, evs: readonly number[]): tf.Tensor4D[];
  /** Frees all weights. */
  dispose(): void;
}

function validateUNet(name: string, c: UNetConfig): void {
  if (c.widths.length < 1 || c.widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new InvalidInputError(`${name}: widths must be positive integers`);
  }
  if (!Number.isInteger(c.convsPerBlock) || c.convsPerBlock < 1) {
    throw new InvalidInputError(`${name}: convsPerBlock must be an integer ≥ 1`);
  }
}

/** Checks that `x` is [N,H,W,3] with H, W multiples of `stride`. */
export function checkImageTensor(x: tf.Tensor, stride: number, what = 'input'): void {
  if (x.rank !== 4 || x.shape[3] !== 3) {
    throw new InvalidInputError(
      `${what}: expected an NHWC tensor with 3 channels, got shape [${x.shape}]`,
    );
  }
  const h = x.shape[1] as number;
  const w = x.shape[2] as number;
  if (h % stride !== 0 || w % stride !== 0 || h === 0 || w === 0) {
    throw new InvalidInputError(
      `${what}: height and width (${h}×${w}) must be positive multiples of ${stride}`,
    );
  }
}

/** Checks an EV offset and returns its exposure ratio 2^ev. */
export function evToRatio(ev: number): number {
  if (!Number.isFinite(ev) || Math.abs(ev) > MAX_ABS_EV) {
    throw new InvalidInputError(`EV ${ev} is outside [−${MAX_ABS_EV}, +${MAX_ABS_EV}]`);
  }
  return 2 ** ev;
}

/**
 * Builds the three networks with weights drawn from `seed`.
 * @param config - e.g. LITE_CONFIG, PAPER_CONFIG, TINY_CONFIG
 * @param seed - integer; the same seed gives bit-identical initial weights
 */
export function createMultiExposureModel(
  config: MultiExposureConfig,
  seed = 1,
): MultiExposureModel {
  validateUNet('n1', config.n1);
  validateUNet('n23', config.n23);
  const params = new ParamStore(seed);
  const { leakySlope: slope, bnMomentum: m } = config;
  const n1 = createUNet(params, 'n1', config.n1, 3, 3, slope, m);
  const prior = config.outputPrior === 'srgb-scaling';
  const n2 = createUNet(params, 'n2', config.n23, 3, 3, slope, m, prior);
  const n3 = createUNet(params, 'n3', config.n23, 3, 3, slope, m, prior);
  const stride = modelStride(config);

  const encode = (x: tf.Tensor4D, ctx: ForwardContext = INFERENCE): tf.Tensor4D => {
    checkImageTensor(x, unetStride(config.n1));
    return tf.tidy(() => {
      const xc = tf.clipByValue(x, 0, 1);
      const f = forwardUNet(n1, tf.mul(xc, wellExposedMask(xc, config.maskTau)), ctx);
      // (tanh(F) + I + 1) / 3 with tanh(F) + 1 = 2·sigmoid(2F): cheaper on tfjs-wasm
      return tf.div(tf.add(tf.mul(tf.sigmoid(tf.mul(f, 2)), 2), xc), 3) as tf.Tensor4D;
    });
  };

  const render = (latent: tf.Tensor4D, ev: number, input?: tf.Tensor4D): tf.Tensor4D => {
    const ratio = evToRatio(ev);
    checkImageTensor(latent, unetStride(config.n23), 'latent');
    if (prior) {
      if (!input) throw new InvalidInputError(`model ${config.name}: render needs the input frame`);
      if (input.shape.some((d, i) => d !== latent.shape[i])) {
        throw new InvalidInputError(
          `input [${input.shape}] and latent [${latent.shape}] differ in shape`,
        );
      }
    }
    return tf.tidy(() => {
      let f = forwardUNet(ev < 0 ? n3 : n2, tf.mul(latent, ratio), INFERENCE);
      if (prior) f = tf.add(f, exposurePriorLogit(input!, ratio));
      // (tanh(F) + 1) / 2 = sigmoid(2F), the cheaper form on tfjs-wasm (see encode)
      return tf.sigmoid(tf.mul(f, 2)) as tf.Tensor4D;
    });
  };

  const generate = (x: tf.Tensor4D, evs: readonly number[]): tf.Tensor4D[] => {
    checkImageTensor(x, stride);
    for (const ev of evs) evToRatio(ev);
    const needLatent = evs.some((ev) => ev !== 0);
    const latent = needLatent ? encode(x) : null;
    try {
      return evs.map((ev) => (ev === 0 ? tf.clone(x) : render(latent!, ev, x)));
    } finally {
      latent?.dispose();
    }
  };

  return {
    config,
    params,
    stride,
    flopsPerPixel: { encode: unetFlopsPerPixel(config.n1), render: unetFlopsPerPixel(config.n23) },
    n1,
    n2,
    n3,
    needsInput: prior,
    encode,
    render,
    generate,
    dispose: () => params.dispose(),
  };
}
