/**
 * Log-luminance helpers shared by the gradient- and layer-based local operators (durand02,
 * fattal02, mantiuk06): a floored log of a luminance plane and robust percentiles of a plane.
 */

/**
 * log_b of a luminance plane, with zero/negative/non-finite values floored to
 * `floorRatio`·max (so black pixels do not create −∞ or dominate the range).
 * @param lum - luminance ≥ 0 (non-finite values count as 0)
 * @param base - 10 or Math.E
 * @param floorRatio - floor relative to the maximum, e.g. 1e-8 (8 decades below the peak)
 * @returns a new plane of finite log values
 */
export function logLuminance(lum: Float32Array, base: number, floorRatio = 1e-8): Float32Array {
  let max = 0;
  for (let i = 0; i < lum.length; i++) {
    const v = lum[i];
    if (v > max && v < Infinity) max = v;
  }
  const floor = max > 0 ? Math.max(max * floorRatio, 1e-30) : 1;
  const k = 1 / Math.log(base);
  const out = new Float32Array(lum.length);
  for (let i = 0; i < lum.length; i++) {
    const v = lum[i];
    out[i] = Math.log(v > floor && v < Infinity ? v : floor) * k;
  }
  return out;
}

/**
 * Percentiles of a plane (any sign), from a strided subsample of at most ≈200 000 values.
 * @param pLo - lower percentile, 0…100
 * @param pHi - upper percentile, 0…100
 * @returns [value at pLo, value at pHi]; [0, 0] for an empty plane
 */
export function planePercentiles(plane: Float32Array, pLo: number, pHi: number): [number, number] {
  const n = plane.length;
  if (n === 0) return [0, 0];
  const step = Math.max(1, Math.floor(n / 200000));
  const sample = new Float32Array(Math.ceil(n / step));
  let m = 0;
  for (let i = 0; i < n; i += step) {
    const v = plane[i];
    if (Number.isFinite(v)) sample[m++] = v;
  }
  if (m === 0) return [0, 0];
  const s = sample.subarray(0, m).sort();
  const at = (p: number): number =>
    s[Math.min(m - 1, Math.max(0, Math.round((p / 100) * (m - 1))))];
  return [at(pLo), at(pHi)];
}
