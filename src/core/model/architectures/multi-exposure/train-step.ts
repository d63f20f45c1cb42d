/**
 * One training step of the multi-exposure model on a batch of exposure pairs
 * (I_i, I_j, α = Δt_j/Δt_i). Every pair is used in both directions, as in the authors' code:
 * each pair is ordered so that `dark` has the shorter exposure (α ≥ 1 after ordering), then
 *   X_d, X_b = N1(dark), N1(bright)            (one N1 pass over the 2B images)
 *   Î_b = N2(α·X_d)   (up)     Î_d = N3(X_b/α)   (down)
 *   L = λh·[Lh(α·X_d, X_b) + Lh(X_b/α, X_d)] + λr·[Lr(Î_b, bright) + Lr(Î_d, dark)] + λtv·[TV…]
 * With the config's `outputPrior`, N2/N3 add the pre-activation of the naive sRGB exposure
 * change of their source frame (dark·α up, bright/α down) to F, as at inference.
 * Gradients come from `tf.variableGrads` over the trainable parameters, are clipped to a
 * global L2 norm and applied with the given optimiser (Adam by default). Batch-norm running
 * statistics are updated during the forward pass. Everything runs inside `tf.tidy`: the only
 * tensors that survive a step are the weights and the optimiser's slots.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidInputError } from '../../../errors.js';
import type { ForwardContext } from '../../nn/layers.js';
import type { LossWeights } from './losses.js';
import { combinedLoss, DEFAULT_LOSS_WEIGHTS } from './losses.js';
import { exposurePriorLogit } from './exposure-prior.js';
import { wellExposedMask } from './mask.js';
import type { MultiExposureModel } from './model.js';
import { checkImageTensor } from './model.js';
import { forwardUNet } from './unet.js';

/** A batch of B exposure pairs. */
export interface PairBatch {
  /** I_i, [B,H,W,3] in [0,1] */
  readonly a: tf.Tensor4D;
  /** I_j, [B,H,W,3] in [0,1] */
  readonly b: tf.Tensor4D;
  /** α_k = Δt_j/Δt_i per pair, finite and > 0, ≠ 1 (either order is fine) */
  readonly ratio: ArrayLike<number>;
}

/** Step settings. */
export interface TrainStepOptions {
  readonly weights?: LossWeights;
  /** maximum global L2 norm of the gradient (default 1; Infinity disables clipping) */
  readonly clipNorm?: number;
  /** weight Lh by Λ_dark·Λ_bright (default false: all pixels, as in the authors' code) */
  readonly maskRepresentation?: boolean;
  /**
   * weight Lr by the target's Λ (default false). Masking removes the supervision exactly where
   * the rendered frame must clip (most of a +3 EV target), which left up-exposures grey.
   */
  readonly maskReconstruction?: boolean;
}

/** Loss values of one step (plain numbers). */
export interface StepResult {
  readonly total: number;
  readonly h: number;
  readonly r: number;
  readonly tv: number;
  /** global gradient norm before clipping */
  readonly gradNorm: number;
  /** true when the loss or gradient was not finite and no update was applied */
  readonly skipped: boolean;
}

/** Adam with the paper's learning rate (1e-4) unless given. */
export function createAdam(learningRate = 1e-4): tf.Optimizer {
  return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
}

const TRAINING: ForwardContext = { training: true };

function validate(model: MultiExposureModel, batch: PairBatch): number[] {
  checkImageTensor(batch.a, model.stride, 'batch.a');
  checkImageTensor(batch.b, model.stride, 'batch.b');
  if (batch.a.shape.some((d, i) => d !== batch.b.shape[i])) {
    throw new InvalidInputError(`batch: a [${batch.a.shape}] and b [${batch.b.shape}] differ`);
  }
  const n = batch.a.shape[0];
  if (batch.ratio.length !== n)
    throw new InvalidInputError(`batch: ${batch.ratio.length} ratios for ${n} pairs`);
  const r: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = batch.ratio[k];
    if (!Number.isFinite(v) || v <= 0 || v === 1) {
      throw new InvalidInputError(`batch: ratio ${v} of pair ${k} must be finite, > 0 and ≠ 1`);
    }
    r.push(v);
  }
  return r;
}

/**
 * Runs one optimisation step. Synchronous (reads the losses with `dataSync`).
 * @param optimizer - e.g. {@link createAdam}; its slots persist across steps
 */
export function trainStep(
  model: MultiExposureModel,
  optimizer: tf.Optimizer,
  batch: PairBatch,
  opts: TrainStepOptions = {},
): StepResult {
  const ratios = validate(model, batch);
  const weights = opts.weights ?? DEFAULT_LOSS_WEIGHTS;
  const clipNorm = opts.clipNorm ?? 1;
  const n = ratios.length;
  const vars = model.params.trainableVariables();
  const tau = model.config.maskTau;

  return tf.tidy(() => {
    // Order each pair so that dark → bright is an up-exposure by alpha ≥ 1.
    const swap = tf.tensor4d(
      ratios.map((v) => (v < 1 ? 1 : 0)),
      [n, 1, 1, 1],
    );
    const alpha = tf.tensor4d(
      ratios.map((v) => Math.max(v, 1 / v)),
      [n, 1, 1, 1],
    );
    const a = tf.clipByValue(batch.a, 0, 1);
    const b = tf.clipByValue(batch.b, 0, 1);
    const dark = tf.add(tf.mul(a, tf.sub(1, swap)), tf.mul(b, swap)) as tf.Tensor4D;
    const bright = tf.add(tf.mul(b, tf.sub(1, swap)), tf.mul(a, swap)) as tf.Tensor4D;
    const both = tf.concat([dark, bright], 0);
    const maskBoth = wellExposedMask(both, tau);
    const [maskDark, maskBright] = tf.split(maskBoth, 2, 0) as [tf.Tensor4D, tf.Tensor4D];
    const latentWeight = opts.maskRepresentation
      ? (tf.mul(maskDark, maskBright) as tf.Tensor4D)
      : undefined;

    let parts: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const f = forwardUNet(model.n1, tf.mul(both, maskBoth) as tf.Tensor4D, TRAINING);
      const latent = tf.div(tf.add(tf.add(tf.tanh(f), both), 1), 3) as tf.Tensor4D;
      const [xd, xb] = tf.split(latent, 2, 0) as [tf.Tensor4D, tf.Tensor4D];
      const upIn = tf.mul(xd, alpha) as tf.Tensor4D;
      const downIn = tf.div(xb, alpha) as tf.Tensor4D;
      let upF = forwardUNet(model.n2, upIn, TRAINING);
      let downF = forwardUNet(model.n3, downIn, TRAINING);
      if (model.needsInput) {
        upF = tf.add(upF, exposurePriorLogit(dark, alpha));
        downF = tf.add(downF, exposurePriorLogit(bright, tf.div(1, alpha) as tf.Tensor4D));
      }
      const upOut = tf.div(tf.add(tf.tanh(upF), 1), 2) as tf.Tensor4D;
      const downOut = tf.div(tf.add(tf.tanh(downF), 1), 2) as tf.Tensor4D;
      const loss = combinedLoss(
        [
          {
            scaledLatent: upIn,
            targetLatent: xb,
            rendered: upOut,
            target: bright,
            targetMask: opts.maskReconstruction ? maskBright : undefined,
            latentWeight,
          },
          {
            scaledLatent: downIn,
            targetLatent: xd,
            rendered: downOut,
            target: dark,
            targetMask: opts.maskReconstruction ? maskDark : undefined,
            latentWeight,
          },
        ],
        weights,
      );
      parts = [tf.keep(loss.h), tf.keep(loss.r), tf.keep(loss.tv)];
      return loss.total;
    }, vars);

    const gradList = Object.values(grads);
    const norm = tf.sqrt(tf.addN(gradList.map((g) => tf.sum(tf.square(g)))));
    const [total, h, r, tv, gradNorm] = tf.stack([value, ...parts, norm]).dataSync();
    for (const p of parts) p.dispose();
    const finite = Number.isFinite(total) && Number.isFinite(gradNorm);
    if (finite) {
      const scale = Math.min(1, clipNorm / (gradNorm + 1e-12));
      const clipped: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads))
        clipped[name] = scale < 1 ? tf.mul(g, scale) : g;
      optimizer.applyGradients(clipped);
    }
    return { total, h, r, tv, gradNorm, skipped: !finite };
  });
}
