/**
 * The soft well-exposedness mask Λ of Le et al. (WACV 2023, Eq. 14), as in the authors' code:
 * on the luma Y = 0.299 R + 0.587 G + 0.114 B of an input in [0, 1],
 *   Λ = 1 − max( max(0, (1 − τ) − Y), max(0, Y − τ) ) / (1 − τ),
 * i.e. 1 for τ' ≤ Y ≤ τ (τ' = 1 − τ), falling linearly to 0 at Y = 0 and at Y = 1.
 * τ = 0.95 by default. Λ multiplies the input of the HDR Encoding Net N1 (and can weight the
 * representation and reconstruction losses, see train-step.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidInputError } from '../../../errors.js';

/**
 * @param x - [N,H,W,3] image in [0, 1] (values outside are clamped first)
 * @param tau - threshold in (0.5, 1)
 * @returns [N,H,W,1] mask in [0, 1]
 */
export function wellExposedMask(x: tf.Tensor4D, tau = 0.95): tf.Tensor4D {
  if (!(tau > 0.5 && tau < 1))
    throw new InvalidInputError(`wellExposedMask: tau ${tau} not in (0.5, 1)`);
  if (x.shape[3] !== 3)
    throw new InvalidInputError(`wellExposedMask: expected 3 channels, got ${x.shape[3]}`);
  return tf.tidy(() => {
    const weights = tf.tensor1d([0.299, 0.587, 0.114]);
    const luma = tf.sum(tf.mul(tf.clipByValue(x, 0, 1), weights), 3, true);
    const under = tf.relu(tf.sub(1 - tau, luma));
    const over = tf.relu(tf.sub(luma, tau));
    return tf.sub(1, tf.div(tf.maximum(under, over), 1 - tau)) as tf.Tensor4D;
  });
}
