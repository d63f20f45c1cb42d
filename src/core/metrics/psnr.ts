/** Peak signal-to-noise ratio. */
import { InvalidInputError } from '../errors.js';
import type { FloatImage } from '../image/image.js';

/**
 * Throws {@link InvalidInputError} unless both images have the same width, height and
 * channel count.
 * @param what - metric name for the message
 */
export function assertSameShape(a: FloatImage, b: FloatImage, what: string): void {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new InvalidInputError(
      `${what}: images differ in size (${a.width}×${a.height}×${a.channels} vs ` +
        `${b.width}×${b.height}×${b.channels})`,
    );
  }
}

/**
 * Mean squared error over all samples (all pixels and channels).
 * @returns MSE in squared input units; NaN if any sample is NaN or ±∞
 */
export function mse(a: FloatImage, b: FloatImage): number {
  assertSameShape(a, b, 'mse');
  const x = a.data;
  const y = b.data;
  const n = a.width * a.height * a.channels;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - y[i];
    s += d * d;
  }
  return s / n;
}

/**
 * PSNR = 10·log10(peak² / MSE), the MSE taken over all pixels and channels together.
 * @param a - test image
 * @param b - reference image (same width, height, channels)
 * @param peak - the signal's peak value (> 0): 1 for data in 0…1
 * @returns decibels; +Infinity for identical images; NaN if either holds NaN or ±∞
 * @throws InvalidInputError on a size or channel mismatch
 */
export function psnr(a: FloatImage, b: FloatImage, peak = 1): number {
  if (!(peak > 0)) throw new InvalidInputError(`psnr: peak must be > 0, got ${peak}`);
  const m = mse(a, b);
  if (m === 0) return Infinity;
  return 10 * Math.log10((peak * peak) / m);
}
