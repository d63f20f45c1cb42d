/** PSNR in the μ-law tone-mapped domain, the usual HDR-reconstruction metric (PSNR-μ). */
import { InvalidInputError } from '../errors.js';
import type { HdrImage } from '../image/image.js';
import { assertSameShape } from './psnr.js';

/** Options of {@link muLawPsnr}. */
export interface MuLawPsnrOptions {
  /** μ-law compression μ > 0. Default 5000. */
  readonly mu?: number;
  /**
   * Divide both images by the reference's maximum before encoding (default true). With
   * false the images must already be normalised to 0…1 (values outside are clamped).
   */
  readonly normalise?: boolean;
}

/**
 * Largest finite sample of an image.
 * @returns the maximum, or −Infinity if no sample is finite
 */
export function finiteMax(data: Float32Array): number {
  let m = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v > m && v !== Infinity) m = v;
  }
  return m;
}

/**
 * PSNR-μ, following the convention of HDR deghosting / reconstruction papers (Kalantari &
 * Ramamoorthi 2017 and after): both images are divided by the maximum of the reference `b`,
 * clamped to 0…1, encoded with T(x) = log(1 + μx) / log(1 + μ), and PSNR is taken with
 * peak 1 over all pixels and channels.
 * @param a - test HDR image, linear relative radiance ≥ 0
 * @param b - reference HDR image (same width, height, channels), max > 0
 * @returns decibels; +Infinity for identical images; NaN if `a` holds NaN
 * @throws InvalidInputError on a size mismatch, μ ≤ 0, or a reference with no positive value
 */
export function muLawPsnr(a: HdrImage, b: HdrImage, options: MuLawPsnrOptions = {}): number {
  assertSameShape(a, b, 'muLawPsnr');
  const mu = options.mu ?? 5000;
  if (!(mu > 0)) throw new InvalidInputError(`muLawPsnr: μ must be > 0, got ${mu}`);
  let scale = 1;
  if (options.normalise ?? true) {
    const m = finiteMax(b.data);
    if (!(m > 0))
      throw new InvalidInputError('muLawPsnr: the reference image has no positive value');
    scale = 1 / m;
  }
  const x = a.data;
  const y = b.data;
  const n = x.length;
  const norm = 1 / Math.log1p(mu);
  let s = 0;
  for (let i = 0; i < n; i++) {
    // Clamp to 0…1 (NaN in the test image propagates to the result; NaN in b → 0).
    let u = x[i] * scale;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    let v = y[i] * scale;
    v = v > 0 ? (v < 1 ? v : 1) : 0;
    const d = (Math.log1p(mu * u) - Math.log1p(mu * v)) * norm;
    s += d * d;
  }
  const mse = s / n;
  return mse === 0 ? Infinity : -10 * Math.log10(mse);
}
