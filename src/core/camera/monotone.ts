/** Repairs of tabulated log-response curves so that they are strictly increasing. */
import { RESPONSE_LEVELS } from './response.js';

/** Smallest step between consecutive codes of a repaired log curve (natural-log units). */
export const MIN_LOG_STEP = 1e-4;

/**
 * Makes a tabulated log inverse response g(z) = ln X(z) strictly increasing, in place.
 *
 * 1. Codes outside [zLo, zHi] (the span that had calibration data) are pure extrapolation of the
 *    smoothness prior and are often bent back at the ends; they are replaced by a straight line
 *    continuing the mean slope of the 4 nearest data-supported codes (at least
 *    {@link MIN_LOG_STEP} per code).
 * 2. Any remaining inversion (noise inside the data span) is clamped outwards from the middle
 *    code: g(z) ≥ g(z−1) + MIN_LOG_STEP above it, g(z) ≤ g(z+1) − MIN_LOG_STEP below it.
 * @param g - 256 log exposures, modified in place
 * @param zLo - lowest code that had data (0…255)
 * @param zHi - highest code that had data (zLo…255)
 * @returns the number of codes changed
 */
export function repairMonotone(g: Float64Array, zLo: number, zHi: number): number {
  const n = RESPONSE_LEVELS;
  const before = g.slice();
  if (zHi - zLo >= 2) {
    const k = Math.min(4, zHi - zLo);
    const slopeLo = Math.max(MIN_LOG_STEP, (g[zLo + k] - g[zLo]) / k);
    for (let z = zLo - 1; z >= 0; z--) g[z] = g[z + 1] - slopeLo;
    const slopeHi = Math.max(MIN_LOG_STEP, (g[zHi] - g[zHi - k]) / k);
    for (let z = zHi + 1; z < n; z++) g[z] = g[z - 1] + slopeHi;
  }
  const mid = n >> 1;
  for (let z = mid + 1; z < n; z++) {
    if (!(g[z] >= g[z - 1] + MIN_LOG_STEP)) g[z] = g[z - 1] + MIN_LOG_STEP;
  }
  for (let z = mid - 1; z >= 0; z--) {
    if (!(g[z] <= g[z + 1] - MIN_LOG_STEP)) g[z] = g[z + 1] - MIN_LOG_STEP;
  }
  let changed = 0;
  for (let z = 0; z < n; z++) if (Math.abs(g[z] - before[z]) > 1e-12) changed++;
  return changed;
}
