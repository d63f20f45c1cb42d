/**
 * Per-code weighting tables for merging 8-bit codes (0…255) into radiance. Defined here rather
 * than shared with camera calibration so the merge has no dependency on the calibrator.
 */
import { RESPONSE_LEVELS } from '../camera/response.js';

/**
 * Debevec–Malik hat weight: w(z) = z for z ≤ 127, 255 − z above, normalised to a peak of 1
 * (w(0) = w(255) = 0, w(127) = w(128) = 1). Clipped codes get no weight.
 * @returns 256 weights in [0, 1]
 */
export function hatWeights(): Float32Array {
  const w = new Float32Array(RESPONSE_LEVELS);
  for (let z = 0; z < RESPONSE_LEVELS; z++) w[z] = (z <= 127 ? z : 255 - z) / 127;
  return w;
}

/**
 * Robertson et al. (2003) Gaussian-like weight, the same curve as OpenCV's RobertsonWeights:
 * w(z) = (exp(−4·((z − 127.5)/127.5)²) − e⁻⁴) / (1 − e⁻⁴): 0 at z = 0 and 255, ≈1 at mid-grey.
 * @returns 256 weights in [0, 1]
 */
export function robertsonWeights(): Float32Array {
  const w = new Float32Array(RESPONSE_LEVELS);
  const e4 = Math.exp(-4);
  for (let z = 0; z < RESPONSE_LEVELS; z++) {
    const u = (z - 127.5) / 127.5;
    w[z] = Math.max(0, (Math.exp(-4 * u * u) - e4) / (1 - e4));
  }
  return w;
}

/**
 * Quantises an encoded value in [0, 1] to an 8-bit code: round(v·255) clamped to 0…255;
 * NaN maps to 0. Inline-friendly (no allocation).
 */
export function toCode(v: number): number {
  const s = v * 255 + 0.5;
  return s >= 255 ? 255 : s > 0 ? s | 0 : 0;
}
