/**
 * Per-code-value weighting functions for response calibration and merging, tabulated on the 256
 * 8-bit codes. Both vanish at 0 and 255 (clipped values carry no information).
 */
import { RESPONSE_LEVELS } from './response.js';

/**
 * Debevec & Malik's hat: w(z) = z − Zmin for z ≤ Zmid, Zmax − z above, with Zmin = 0,
 * Zmax = 255, Zmid = 127.5 — so w(0) = w(255) = 0 and w(127) = w(128) = 127.
 * @returns 256 weights in [0, 127]
 */
export function hatWeights(): Float64Array {
  const w = new Float64Array(RESPONSE_LEVELS);
  const zMax = RESPONSE_LEVELS - 1;
  for (let z = 0; z < RESPONSE_LEVELS; z++) w[z] = z <= zMax / 2 ? z : zMax - z;
  return w;
}

/**
 * Robertson-style Gaussian bump (the shape OpenCV uses for Robertson): a Gaussian centred on the
 * middle code with σ = 255/(4·√2), i.e. exp(−(z/63.75 − 2)²), shifted and scaled so that
 * w(0) = w(255) = 0 and the peak is 1.
 * @returns 256 weights in [0, 1]
 */
export function gaussianWeights(): Float64Array {
  const w = new Float64Array(RESPONSE_LEVELS);
  const q = (RESPONSE_LEVELS - 1) / 4;
  const floor = Math.exp(-4);
  for (let z = 0; z < RESPONSE_LEVELS; z++) {
    const u = z / q - 2;
    w[z] = Math.max(0, (Math.exp(-u * u) - floor) / (1 - floor));
  }
  return w;
}
