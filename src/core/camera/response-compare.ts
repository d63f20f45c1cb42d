/** Comparison of two inverse responses up to their (arbitrary) exposure scale. */
import { InvalidInputError } from '../errors.js';
import { RESPONSE_LEVELS, type InverseResponse } from './response.js';

/** Code range compared by {@link responseRmsError}. */
export interface CompareRange {
  /** Lowest code compared (default 5). */
  readonly zMin?: number;
  /** Highest code compared (default 250). */
  readonly zMax?: number;
}

/**
 * RMS relative exposure error between two inverse responses after removing each channel's scale:
 * per channel, d(z) = ln a(z) − ln b(z) over codes zMin…zMax where both are finite and > 0, the
 * least-squares log scale s = mean d is removed, and the error is exp(d(z) − s) − 1. A
 * one-channel curve is compared with every channel of the other.
 * @returns RMS over codes and channels, as a fraction (0.02 = 2 %)
 * @throws InvalidInputError when channel counts are incompatible or no code is comparable
 */
export function responseRmsError(
  a: InverseResponse,
  b: InverseResponse,
  range: CompareRange = {},
): number {
  const zMin = Math.max(0, Math.round(range.zMin ?? 5));
  const zMax = Math.min(RESPONSE_LEVELS - 1, Math.round(range.zMax ?? 250));
  const ca = a.inverse.length;
  const cb = b.inverse.length;
  if (ca !== cb && ca !== 1 && cb !== 1) {
    throw new InvalidInputError(`Cannot compare responses with ${ca} and ${cb} channels`);
  }
  const channels = Math.max(ca, cb);
  const d = new Float64Array(RESPONSE_LEVELS);
  let sum = 0;
  let count = 0;
  for (let c = 0; c < channels; c++) {
    const ra = a.inverse[ca === 1 ? 0 : c];
    const rb = b.inverse[cb === 1 ? 0 : c];
    let n = 0;
    let mean = 0;
    for (let z = zMin; z <= zMax; z++) {
      d[z] = ra[z] > 0 && rb[z] > 0 ? Math.log(ra[z] / rb[z]) : NaN;
      if (Number.isFinite(d[z])) {
        mean += d[z];
        n++;
      }
    }
    if (n === 0) continue;
    mean /= n;
    for (let z = zMin; z <= zMax; z++) {
      if (!Number.isFinite(d[z])) continue;
      const e = Math.exp(d[z] - mean) - 1;
      sum += e * e;
      count++;
    }
  }
  if (count === 0) throw new InvalidInputError('No code value where both responses are defined');
  return Math.sqrt(sum / count);
}
