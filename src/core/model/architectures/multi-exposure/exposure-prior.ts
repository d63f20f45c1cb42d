/**
 * The sRGB exposure prior of N2/N3 (an addition to Le et al., see config.ts `outputPrior`):
 * the naive exposure change of the input frame, v' = srgb(min(1, srgb⁻¹(v)·α)) with the exact
 * IEC 61966-2-1 curves, turned into the pre-activation that the output layer (tanh(F)+1)/2 maps
 * to it: P = atanh(2·v' − 1). The network's F is added to P, so F = 0 renders the naive frame
 * and the network learns the camera-specific correction (response shape, highlight and shadow
 * detail) instead of the whole image.
 */
import * as tf from '@tensorflow/tfjs-core';

/** v' is kept in [ε, 1 − ε] before atanh (|P| ≤ 3.8). */
export const PRIOR_EPS = 1e-3;

/**
 * 1 where v > t and 0 where v ≤ t, exactly for float32 v in [0, 1] (the smallest step above t
 * times 2^40 is far above 1): a clamped steep ramp, cheaper than lessEqual + where on tfjs-wasm.
 */
function above(v: tf.Tensor4D, t: number): tf.Tensor4D {
  return tf.clipByValue(tf.mul(tf.sub(v, t), 2 ** 40), 0, 1) as tf.Tensor4D;
}

/** mask ? a : b for a 0/1 mask, as b + mask·(a − b) (equal to `a` up to float rounding). */
function select(mask: tf.Tensor4D, a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
  return tf.add(b, tf.mul(mask, tf.sub(a, b))) as tf.Tensor4D;
}

/** sRGB decode of v in [0, 1]. */
function srgbToLinear(v: tf.Tensor4D): tf.Tensor4D {
  return select(
    above(v, 0.04045),
    tf.pow(tf.div(tf.add(v, 0.055), 1.055), 2.4) as tf.Tensor4D,
    tf.div(v, 12.92) as tf.Tensor4D,
  );
}

/** sRGB encode of l in [0, 1] (the power branch's input is clamped to its own range). */
function linearToSrgb(l: tf.Tensor4D): tf.Tensor4D {
  return select(
    above(l, 0.0031308),
    tf.sub(tf.mul(tf.pow(tf.clipByValue(l, 0.0031308, 1), 1 / 2.4), 1.055), 0.055) as tf.Tensor4D,
    tf.mul(l, 12.92) as tf.Tensor4D,
  );
}

/**
 * Naive sRGB exposure change.
 * @param x - [N,H,W,3] frame in [0, 1] (clamped)
 * @param ratio - exposure ratio α > 0, a number or an [N,1,1,1] tensor
 * @returns [N,H,W,3] in [0, 1]
 */
export function naiveExposure(x: tf.Tensor4D, ratio: number | tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const lin = srgbToLinear(tf.clipByValue(x, 0, 1) as tf.Tensor4D);
    return linearToSrgb(tf.clipByValue(tf.mul(lin, ratio), 0, 1) as tf.Tensor4D);
  });
}

/**
 * Pre-activation of the naive frame: atanh(2·clip(v', ε, 1−ε) − 1).
 * @param x - [N,H,W,3] frame in [0, 1]
 * @param ratio - exposure ratio α > 0
 */
export function exposurePriorLogit(x: tf.Tensor4D, ratio: number | tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const p = tf.clipByValue(naiveExposure(x, ratio), PRIOR_EPS, 1 - PRIOR_EPS);
    // atanh(2p − 1) = ½·ln(p / (1 − p))
    return tf.mul(tf.log(tf.div(p, tf.sub(1, p))), 0.5) as tf.Tensor4D;
  });
}
