/**
 * Transfer curves: the exact IEC 61966-2-1 sRGB curves, pure power-law gamma and the μ-law
 * compander used by HDR deghosting papers. Scalar functions for one value, plus fast
 * LUT-based whole-image conversions between {@link LdrImage} (sRGB-encoded) and
 * {@link HdrImage} (linear).
 */
import { createHdr, createLdr } from './image.js';
import type { HdrImage, LdrImage } from './image.js';

/** sRGB encoded value below which the decoding curve is linear (IEC 61966-2-1). */
export const SRGB_DECODE_THRESHOLD = 0.04045;
/** Linear value below which the encoding curve is linear (IEC 61966-2-1). */
export const SRGB_ENCODE_THRESHOLD = 0.0031308;

/**
 * sRGB decoding (electro-optical) curve, IEC 61966-2-1.
 * @param v - encoded value, nominally 0…1 (values outside follow the same formulas: the
 *   linear segment below 0.04045, the 2.4 power above); NaN gives NaN
 * @returns linear relative value, 0…1 for inputs in 0…1
 */
export function srgbToLinear(v: number): number {
  return v <= SRGB_DECODE_THRESHOLD ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

/**
 * sRGB encoding (inverse of {@link srgbToLinear}), IEC 61966-2-1.
 * @param v - linear relative value, nominally 0…1 (values outside follow the same
 *   formulas); NaN gives NaN
 * @returns encoded value, 0…1 for inputs in 0…1
 */
export function linearToSrgb(v: number): number {
  return v <= SRGB_ENCODE_THRESHOLD ? v * 12.92 : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
}

/**
 * Pure power-law encoding v^(1/γ).
 * @param v - linear value ≥ 0 (negative gives 0; values above 1 are allowed)
 * @param gamma - exponent γ > 0, e.g. 2.2
 */
export function gammaEncode(v: number, gamma: number): number {
  return v > 0 ? Math.pow(v, 1 / gamma) : 0;
}

/**
 * Pure power-law decoding v^γ (inverse of {@link gammaEncode}).
 * @param v - encoded value ≥ 0 (negative gives 0)
 * @param gamma - exponent γ > 0, e.g. 2.2
 */
export function gammaDecode(v: number, gamma: number): number {
  return v > 0 ? Math.pow(v, gamma) : 0;
}

/**
 * μ-law compander T(x) = log(1 + μx) / log(1 + μ), as used for HDR losses and metrics
 * (Kalantari & Ramamoorthi 2017).
 * @param x - linear value, clamped to 0…1 (NaN gives 0)
 * @param mu - compression μ > 0, default 5000
 * @returns encoded value in 0…1
 */
export function muLawEncode(x: number, mu = 5000): number {
  const c = x > 0 ? (x < 1 ? x : 1) : 0;
  return Math.log1p(mu * c) / Math.log1p(mu);
}

/** LUT size − 1: samples of a curve at k / LUT_N, k = 0…LUT_N (65535 = 255·257, so every
 * 8-bit and 16-bit code falls exactly on an entry). */
const LUT_N = 65535;
let decodeLut: Float32Array | undefined;
let encodeLut: Float32Array | undefined;

function buildLut(f: (v: number) => number): Float32Array {
  // One extra entry so interpolation at v = 1 can read lut[i + 1].
  const lut = new Float32Array(LUT_N + 2);
  for (let k = 0; k <= LUT_N; k++) lut[k] = f(k / LUT_N);
  lut[LUT_N + 1] = lut[LUT_N];
  return lut;
}

/**
 * Applies a curve sampled in `lut` to values clamped to [0, 1] (NaN → 0), with linear
 * interpolation between entries.
 */
function applyLut(src: Float32Array, dst: Float32Array, lut: Float32Array, levels: number): void {
  const n = src.length;
  if (levels > 0) {
    const inv = 1 / levels;
    for (let i = 0; i < n; i++) {
      let v = src[i];
      if (!(v > 0)) v = 0;
      else if (v > 1) v = 1;
      const t = v * LUT_N;
      const k = t | 0;
      const a = lut[k];
      dst[i] = Math.round((a + (t - k) * (lut[k + 1] - a)) * levels) * inv;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let v = src[i];
    if (!(v > 0)) v = 0;
    else if (v > 1) v = 1;
    const t = v * LUT_N;
    const k = t | 0;
    const a = lut[k];
    dst[i] = a + (t - k) * (lut[k + 1] - a);
  }
}

/**
 * Decodes an sRGB-encoded image to linear light (exact IEC curve via a 65536-entry table
 * with linear interpolation; 8- and 16-bit codes land exactly on table entries).
 * @param img - encoded values in 0…1 (out-of-range values are clamped, NaN becomes 0)
 * @returns a new linear HDR image with values in 0…1
 */
export function srgbDecode(img: LdrImage): HdrImage {
  decodeLut ??= buildLut(srgbToLinear);
  const out = createHdr(img.width, img.height, img.channels);
  applyLut(img.data, out.data, decodeLut, 0);
  return out;
}

/**
 * Encodes a linear image with the sRGB curve for display or 8/16-bit output.
 * @param img - linear values; clamped to 0…1 first (NaN becomes 0, +∞ becomes 1)
 * @param bitDepth - 8 or 16: stored on the result and, with `quantize`, the code grid
 * @param quantize - round to the nearest of 2^bitDepth codes (default true), as writing
 *   the image to a file of that depth would
 * @returns a new LDR image with values in 0…1
 */
export function srgbEncode(img: HdrImage, bitDepth: 8 | 16 = 8, quantize = true): LdrImage {
  if (bitDepth !== 8 && bitDepth !== 16) throw new RangeError(`Invalid bit depth ${bitDepth}`);
  encodeLut ??= buildLut(linearToSrgb);
  const out = createLdr(img.width, img.height, img.channels, undefined, bitDepth);
  applyLut(img.data, out.data, encodeLut, quantize ? (bitDepth === 8 ? 255 : 65535) : 0);
  return out;
}
