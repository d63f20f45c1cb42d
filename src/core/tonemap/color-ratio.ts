/**
 * The colour step of luminance-based operators: per-channel ratios C/L raised to a saturation
 * exponent and re-scaled to the tone-mapped luminance, with a table for the power.
 */
import { InvalidInputError } from '../errors.js';

/** Linear interpolation in a table at fractional index u (0 ≤ u < lut.length − 1). */
export function lerp(lut: Float32Array, u: number): number {
  const k = u | 0;
  return lut[k] + (u - k) * (lut[k + 1] - lut[k]);
}

/** Largest channel/luminance ratio tabulated by {@link ratioPowLut} (C/L ≤ 1/0.0722 ≈ 13.9). */
export const RATIO_MAX = 14;

/** x^s on [0, RATIO_MAX], indexed by √x (16384 entries + guard). */
export function ratioPowLut(s: number): Float32Array {
  const size = 16384;
  const lut = new Float32Array(size + 2);
  for (let i = 0; i <= size; i++) {
    const u = i / size;
    lut[i] = Math.pow(u * u * RATIO_MAX, s);
  }
  lut[size + 1] = lut[size];
  return lut;
}

/**
 * Colour from a tone-mapped luminance (Schlick 1994 / Fattal et al. 2002):
 * C_out = (C_in / L_in)^s · L_out per channel. Pixels with L_in = 0 (or not finite) come out grey
 * at L_out; NaN/Inf/negative channels count as 0.
 * @param rgb - interleaved scene-linear RGB (width·height·3)
 * @param lin - input luminance per pixel (as from {@link safeLuminance})
 * @param lout - output luminance per pixel, display-linear
 * @param s - saturation exponent, typically 0.3…1.5 (1 = keep colour ratios)
 * @param out - optional destination (may be `rgb` itself)
 * @returns display-linear interleaved RGB
 */
export function colorFromLuminance(
  rgb: Float32Array,
  lin: Float32Array,
  lout: Float32Array,
  s: number,
  out: Float32Array = new Float32Array(rgb.length),
): Float32Array {
  const n = lin.length;
  if (rgb.length !== n * 3 || lout.length !== n || out.length !== n * 3) {
    throw new InvalidInputError('colorFromLuminance: plane sizes do not match');
  }
  const lut = s !== 1 ? ratioPowLut(s) : null;
  const kq = 16384 / Math.sqrt(RATIO_MAX);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const li = lin[i];
    const lo = lout[i];
    let r = rgb[j];
    let g = rgb[j + 1];
    let b = rgb[j + 2];
    if (!(li > 0 && li < Infinity)) {
      out[j] = out[j + 1] = out[j + 2] = lo;
      continue;
    }
    const inv = 1 / li;
    r = r > 0 && r < Infinity ? r * inv : 0;
    g = g > 0 && g < Infinity ? g * inv : 0;
    b = b > 0 && b < Infinity ? b * inv : 0;
    if (lut !== null) {
      r = r > RATIO_MAX ? Math.pow(r, s) : lerp(lut, Math.sqrt(r) * kq);
      g = g > RATIO_MAX ? Math.pow(g, s) : lerp(lut, Math.sqrt(g) * kq);
      b = b > RATIO_MAX ? Math.pow(b, s) : lerp(lut, Math.sqrt(b) * kq);
    }
    out[j] = r * lo;
    out[j + 1] = g * lo;
    out[j + 2] = b * lo;
  }
  return out;
}
