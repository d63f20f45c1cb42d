/** Error of log-luminance, a scale-aware HDR error measure. */
import { InvalidInputError } from '../errors.js';
import type { FloatImage } from '../image/image.js';
import { assertSameShape } from './psnr.js';

/** Options of {@link logLuminanceError}. */
export interface LogLuminanceOptions {
  /**
   * Added to the luminance before the logarithm so black pixels stay finite (> 0, in the
   * images' units). Default 1e-6, well below the darkest useful value of relative HDR data.
   */
  readonly epsilon?: number;
}

/**
 * RMS difference of log10 luminance: sqrt(mean((log10(Ya + ε) − log10(Yb + ε))²)), with
 * Rec. 709 luminance for RGB images (the single channel for grey ones) and negative
 * luminance clamped to 0.
 * @param a - test image, linear values
 * @param b - reference image (same width, height, channels)
 * @returns error in decades (log10 units), ≥ 0: 0 for identical images, |log10 k| for a
 *   uniform gain k on images far above ε; NaN if either image holds NaN
 * @throws InvalidInputError on a size mismatch or ε ≤ 0
 */
export function logLuminanceError(
  a: FloatImage,
  b: FloatImage,
  options: LogLuminanceOptions = {},
): number {
  assertSameShape(a, b, 'logLuminanceError');
  const eps = options.epsilon ?? 1e-6;
  if (!(eps > 0)) throw new InvalidInputError(`logLuminanceError: epsilon must be > 0, got ${eps}`);
  const x = a.data;
  const y = b.data;
  const c = a.channels;
  const n = a.width * a.height;
  let s = 0;
  for (let i = 0, j = 0; i < n; i++, j += c) {
    let ya: number;
    let yb: number;
    if (c === 3) {
      ya = 0.2126 * x[j] + 0.7152 * x[j + 1] + 0.0722 * x[j + 2];
      yb = 0.2126 * y[j] + 0.7152 * y[j + 1] + 0.0722 * y[j + 2];
    } else {
      ya = x[j];
      yb = y[j];
    }
    if (ya < 0) ya = 0;
    if (yb < 0) yb = 0;
    const d = Math.log((ya + eps) / (yb + eps));
    s += d * d;
  }
  return Math.sqrt(s / n) / Math.LN10;
}
