/**
 * Training losses of Le et al. (WACV 2023), all scalar means over NHWC tensors:
 * - Lh, the representation loss (Eq. 5–6): the latent of I_i scaled by α = Δt_j/Δt_i must equal
 *   the latent of I_j, compared in the log domain, L_h = mean |log(α·X_i + ε) − log(X_j + ε)|
 *   with ε = 1/255 (as in the authors' code), applied in both directions of a pair. The paper's
 *   code compares all pixels; pass a weight (e.g. Λ_i·Λ_j) to restrict it to well-exposed ones.
 * - Lr, the L1 reconstruction loss over all pixels (a clipped target pixel is exactly what the
 *   rendered LDR frame must show there), optionally weighted per pixel by a mask.
 * - Ltv, anisotropic total variation of the rendered image (mean |∂x| + mean |∂y|).
 * The paper's perceptual (VGG-19 content) loss is NOT available: no suitable feature network
 * can ship offline here, so its weight λp is absent.
 */
import * as tf from '@tensorflow/tfjs-core';

/** ε inside the logarithm of the representation loss (authors' code: 1/255). */
export const LOG_EPS = 1 / 255;

/** Loss weights. Defaults follow the authors' ratios (Lh : Lr = 1 : 100) normalised to λr = 1. */
export interface LossWeights {
  /** λh, representation loss */
  readonly h: number;
  /** λr, L1 reconstruction */
  readonly r: number;
  /** λtv, total variation (per-element mean form) */
  readonly tv: number;
}

/**
 * Default weights. The authors weight a per-image SUM TV by 1e−5 against a mean L1 weighted
 * 100; for 256² RGB patches that is ≈ 2 per mean-TV unit, i.e. 0.02 after normalising λr to 1.
 */
export const DEFAULT_LOSS_WEIGHTS: LossWeights = { h: 0.01, r: 1, tv: 0.02 };

/**
 * Log-domain representation loss mean |log(scaled + ε) − log(target + ε)| (Eq. 5–6).
 * @param scaled - α·X_i, ≥ 0
 * @param target - X_j, ≥ 0
 * @param weight - optional [N,H,W,1] per-pixel weight; the mean is then normalised by its sum
 */
export function representationLoss(
  scaled: tf.Tensor4D,
  target: tf.Tensor4D,
  weight?: tf.Tensor4D,
  eps = LOG_EPS,
): tf.Scalar {
  return tf.tidy(() => {
    const d = tf.abs(
      tf.sub(tf.log(tf.add(tf.relu(scaled), eps)), tf.log(tf.add(tf.relu(target), eps))),
    );
    if (!weight) return tf.mean(d);
    const c = scaled.shape[3];
    return tf.div(tf.sum(tf.mul(d, weight)), tf.add(tf.mul(tf.sum(weight), c), 1e-8));
  });
}

/**
 * L1 reconstruction loss mean(|pred − target| · weight); weight [N,H,W,1] broadcasts over
 * channels (omit for a plain mean absolute error).
 */
export function l1Loss(pred: tf.Tensor4D, target: tf.Tensor4D, weight?: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const d = tf.abs(tf.sub(pred, target));
    return tf.mean(weight ? tf.mul(d, weight) : d);
  });
}

/** Anisotropic total variation: mean |x[h+1]−x[h]| + mean |x[w+1]−x[w]| (0 for a constant image). */
export function totalVariation(x: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const dy =
      h > 1
        ? tf.mean(
            tf.abs(
              tf.sub(
                tf.slice(x, [0, 1, 0, 0], [n, h - 1, w, c]),
                tf.slice(x, [0, 0, 0, 0], [n, h - 1, w, c]),
              ),
            ),
          )
        : tf.scalar(0);
    const dx =
      w > 1
        ? tf.mean(
            tf.abs(
              tf.sub(
                tf.slice(x, [0, 0, 1, 0], [n, h, w - 1, c]),
                tf.slice(x, [0, 0, 0, 0], [n, h, w - 1, c]),
              ),
            ),
          )
        : tf.scalar(0);
    return tf.add(dy, dx);
  });
}

/** The loss terms of one direction of a pair. */
export interface DirectionTerms {
  /** α-scaled source latent and target latent (Lh) */
  readonly scaledLatent: tf.Tensor4D;
  readonly targetLatent: tf.Tensor4D;
  /** rendered image and target image (Lr, Ltv) */
  readonly rendered: tf.Tensor4D;
  readonly target: tf.Tensor4D;
  /** optional Lr weight, e.g. the target's mask Λ (off by default: see the module comment) */
  readonly targetMask?: tf.Tensor4D;
  /** optional Lh weight */
  readonly latentWeight?: tf.Tensor4D;
}

/** Scalar loss tensors: the weighted total and the unweighted terms (summed over directions). */
export interface LossTensors {
  readonly total: tf.Scalar;
  readonly h: tf.Scalar;
  readonly r: tf.Scalar;
  readonly tv: tf.Scalar;
}

/** L = λh·Lh + λr·Lr + λtv·Ltv summed over the given directions (up and down). */
export function combinedLoss(
  dirs: readonly DirectionTerms[],
  w: LossWeights = DEFAULT_LOSS_WEIGHTS,
): LossTensors {
  return tf.tidy(() => {
    let h: tf.Scalar = tf.scalar(0);
    let r: tf.Scalar = tf.scalar(0);
    let tv: tf.Scalar = tf.scalar(0);
    for (const d of dirs) {
      h = tf.add(h, representationLoss(d.scaledLatent, d.targetLatent, d.latentWeight));
      r = tf.add(r, l1Loss(d.rendered, d.target, d.targetMask));
      tv = tf.add(tv, totalVariation(d.rendered));
    }
    const total = tf.addN([tf.mul(h, w.h), tf.mul(r, w.r), tf.mul(tv, w.tv)]) as tf.Scalar;
    return { total, h, r, tv };
  });
}
