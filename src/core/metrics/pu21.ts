/**
 * PU21 perceptually uniform encoding (Mantiuk & Azimi 2021, "PU21: A novel perceptually
 * uniform encoding for adapting existing quality metrics for HDR", Picture Coding Symposium),
 * 'banding + glare' variant, and PSNR on PU21-encoded values (PU-PSNR).
 */
import { InvalidInputError } from '../errors.js';
import type { HdrImage } from '../image/image.js';
import { finiteMax } from './mu-law-psnr.js';
import { assertSameShape } from './psnr.js';

/** PU21 'banding_glare' parameters p0…p6. */
const P = [
  0.353487901, 0.3734658629, 8.277049286e-5, 0.9062562627, 0.09150303166, 0.9099517204, 596.3148142,
] as const;
/** Luminance range of the encoding, cd/m². */
export const PU21_MIN_LUMINANCE = 0.005;
export const PU21_MAX_LUMINANCE = 10000;

/**
 * PU21 encoding V = p6·(((p0 + p1·Y^p3) / (1 + p2·Y^p3))^p4 − p5), negative results set to 0.
 * @param y - absolute luminance in cd/m², clamped to 0.005…10000 (NaN → 0.005)
 * @returns perceptually uniform value, ≈0 at 0.005 cd/m², ≈256 at 100 cd/m², ≈595.4 at
 *   10000 cd/m²
 */
export function pu21Encode(y: number): number {
  const c =
    y > PU21_MIN_LUMINANCE ? (y < PU21_MAX_LUMINANCE ? y : PU21_MAX_LUMINANCE) : PU21_MIN_LUMINANCE;
  const t = Math.pow(c, P[3]);
  const v = P[6] * (Math.pow((P[0] + P[1] * t) / (1 + P[2] * t), P[4]) - P[5]);
  return v > 0 ? v : 0;
}

/** Table of V over ln Y from ln 0.005 to ln 10000 (linear interpolation is accurate to ~1e-6). */
const LUT_N = 16384;
const LN_MIN = Math.log(PU21_MIN_LUMINANCE);
const LN_SPAN = Math.log(PU21_MAX_LUMINANCE) - LN_MIN;
let lut: Float64Array | undefined;

function getLut(): Float64Array {
  if (!lut) {
    lut = new Float64Array(LUT_N + 2);
    for (let k = 0; k <= LUT_N; k++) lut[k] = pu21Encode(Math.exp(LN_MIN + (LN_SPAN * k) / LUT_N));
    lut[LUT_N + 1] = lut[LUT_N];
  }
  return lut;
}

/** Options of {@link pu21Psnr}. */
export interface Pu21PsnrOptions {
  /** Luminance (cd/m²) the reference's maximum is mapped to. Default 1000 (an HDR display). */
  readonly peakLuminance?: number;
  /** Explicit cd/m² per relative unit, used instead of peakLuminance / max(reference). */
  readonly scale?: number;
}

/**
 * PU-PSNR: PSNR of PU21-encoded absolute luminance, per channel, averaged over all pixels and
 * channels, with peak = V(10000 cd/m²) ≈ 595.4 (as in the PU21 toolbox).
 * The relative HDR values are made absolute by multiplying both images by one factor: `scale`
 * if given, else peakLuminance / max(reference), so the reference's brightest sample shows at
 * `peakLuminance` cd/m². Values then clamp to the encoding's 0.005…10000 cd/m² range.
 * @param a - test HDR image, linear relative radiance ≥ 0
 * @param b - reference HDR image (same width, height, channels)
 * @returns decibels; +Infinity for identical encoded images; NaN if either image holds NaN
 * @throws InvalidInputError on a size mismatch, a non-positive scale/peak, or a reference
 *   with no positive value when no scale is given
 */
export function pu21Psnr(a: HdrImage, b: HdrImage, options: Pu21PsnrOptions = {}): number {
  assertSameShape(a, b, 'pu21Psnr');
  let scale = options.scale;
  if (scale === undefined) {
    const peakLum = options.peakLuminance ?? 1000;
    if (!(peakLum > 0))
      throw new InvalidInputError(`pu21Psnr: peakLuminance must be > 0, got ${peakLum}`);
    const m = finiteMax(b.data);
    if (!(m > 0))
      throw new InvalidInputError('pu21Psnr: the reference image has no positive value');
    scale = peakLum / m;
  } else if (!(scale > 0) || scale === Infinity) {
    throw new InvalidInputError(`pu21Psnr: scale must be a positive finite number, got ${scale}`);
  }
  const table = getLut();
  const x = a.data;
  const y = b.data;
  const n = x.length;
  const toIndex = LUT_N / LN_SPAN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const va = encodeFast(x[i] * scale, table, toIndex);
    const vb = encodeFast(y[i] * scale, table, toIndex);
    const d = va - vb;
    s += d * d;
  }
  const mse = s / n;
  const peak = pu21Encode(PU21_MAX_LUMINANCE);
  return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}

function encodeFast(lum: number, table: Float64Array, toIndex: number): number {
  if (lum !== lum) return NaN;
  let t = (Math.log(lum) - LN_MIN) * toIndex;
  if (!(t > 0)) t = 0;
  else if (t > LUT_N) t = LUT_N;
  const k = t | 0;
  const v = table[k];
  return v + (t - k) * (table[k + 1] - v);
}
