/**
 * The display stage shared by every tone-mapping operator: display-linear RGB in, encoded
 * display-referred RGB in [0, 1] out. Also the colour-from-luminance step of luminance-based
 * operators and a few scene statistics they all need.
 */
import type { FloatImage, HdrImage } from '../image/image.js';
import type { JobOptions } from '../job.js';
import { InvalidInputError } from '../errors.js';
import type { OperatorMeta, ParamValues, ToneMapOperator } from './operator.js';

/** Rec. 709 / sRGB luminance weights. */
export const LUM_R = 0.2126;
export const LUM_G = 0.7152;
export const LUM_B = 0.0722;

/** A display transfer curve on [0, 1] → [0, 1], monotonic, curve(0) = 0. */
export type DisplayCurve = (v: number) => number;

/** Display encoding: 'srgb' (IEC 61966-2-1), a power-law gamma γ (v^(1/γ)), or any curve. */
export type DisplayGamma = 'srgb' | number | DisplayCurve;

/** Options of {@link displayEncode}. */
export interface DisplayOptions {
  /** Transfer curve; default 'srgb'. A number is a display gamma γ > 0 (1 = identity). */
  readonly gamma?: DisplayGamma;
  /** Exposure in EV applied to the display-linear values (×2^EV); default 0. */
  readonly exposure?: number;
  /** Saturation around Rec. 709 luminance in linear RGB; 1 = unchanged, 0 = grey; default 1. */
  readonly saturation?: number;
  /** Extra gamma on the encoded output, out^(1/g); 1 = none; default 1. */
  readonly postGamma?: number;
}

/** Display-linear output of an operator before its display stage (see {@link LinearStage}). */
export interface DisplayLinear {
  /** Interleaved RGB, display-linear, nominally [0, 1] (values outside are made safe later). */
  readonly rgb: Float32Array;
  /** The transfer curve the operator wants (usually 'srgb'). */
  readonly gamma: DisplayGamma;
}

/** Operators that can hand over display-linear data, so adjustments need no decode/re-encode. */
export interface LinearStage {
  applyLinear(image: HdrImage, params: ParamValues, options?: JobOptions): DisplayLinear;
}

/** An operator whose display stage is {@link displayEncode}. */
export type LinearOperator = ToneMapOperator & LinearStage;

/**
 * Builds an operator from its display-linear stage: `apply` = {@link displayEncode} of
 * `applyLinear`'s output with the curve it asks for.
 */
export function withDisplayStage(
  meta: OperatorMeta,
  applyLinear: (image: HdrImage, params: ParamValues, options?: JobOptions) => DisplayLinear,
): LinearOperator {
  return {
    meta,
    applyLinear,
    apply(image, params, options) {
      const lin = applyLinear(image, params, options);
      return displayEncode(lin.rgb, image.width, image.height, { gamma: lin.gamma });
    },
  };
}

/** sRGB encoding of one linear value in [0, 1]. */
export function srgbEncodeValue(v: number): number {
  return v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
}

/** sRGB decoding of one encoded value in [0, 1] to linear. */
export function srgbDecodeValue(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

const LUT_SIZE = 8192;

/**
 * Tabulates a curve on [0, 1] indexed by √v (dense near 0, where display curves are steep), so
 * that lookups with linear interpolation stay within ≈1e-5 of the curve for sRGB, powers and μ-law.
 * @returns a table of LUT_SIZE + 2 entries for {@link lookupCurve}
 */
export function curveLut(curve: DisplayCurve, postGamma = 1): Float32Array {
  const lut = new Float32Array(LUT_SIZE + 2);
  const inv = 1 / postGamma;
  for (let i = 0; i <= LUT_SIZE; i++) {
    const u = i / LUT_SIZE;
    let y = curve(u * u);
    y = y > 0 ? (y < 1 ? y : 1) : 0;
    lut[i] = inv === 1 ? y : Math.pow(y, inv);
  }
  lut[LUT_SIZE + 1] = lut[LUT_SIZE];
  return lut;
}

/** Looks up v ∈ [0, 1] in a table made by {@link curveLut}. */
export function lookupCurve(lut: Float32Array, v: number): number {
  const u = Math.sqrt(v) * LUT_SIZE;
  const i = u | 0;
  const a = lut[i];
  return a + (u - i) * (lut[i + 1] - a);
}

/** Resolves a {@link DisplayGamma} to a curve function. */
export function gammaCurve(gamma: DisplayGamma = 'srgb'): DisplayCurve {
  if (gamma === 'srgb') return srgbEncodeValue;
  if (typeof gamma === 'function') return gamma;
  if (!(gamma > 0) || !Number.isFinite(gamma)) {
    throw new InvalidInputError(`Display gamma must be a positive number, got ${gamma}`);
  }
  const inv = 1 / gamma;
  return inv === 1 ? (v) => v : (v) => Math.pow(v, inv);
}

/**
 * Final display stage: makes display-linear RGB safe and encodes it.
 *
 * Per pixel: NaN/±Inf → 0; ×2^exposure; saturation around luminance; negatives → 0; then gamut
 * mapping: where a channel exceeds 1 the colour is desaturated toward its own luminance just
 * enough to bring the largest channel to 1 (hue and luminance are kept; a pixel whose luminance
 * is ≥ 1 becomes white), so bright saturated colours roll off to white as on film instead of
 * shifting hue as with per-channel clipping. Finally the transfer curve (sRGB by default) and the
 * optional post gamma.
 * @param linearRgb - interleaved RGB, width·height·3 samples, display-linear, nominally [0, 1]
 * @returns a new 3-channel image with values in [0, 1]
 */
export function displayEncode(
  linearRgb: Float32Array,
  width: number,
  height: number,
  options: DisplayOptions = {},
): FloatImage {
  const n = width * height;
  if (linearRgb.length !== n * 3) {
    throw new InvalidInputError(
      `displayEncode: expected ${n * 3} samples, got ${linearRgb.length}`,
    );
  }
  const postGamma = options.postGamma ?? 1;
  if (!(postGamma > 0)) throw new InvalidInputError(`Post gamma must be > 0, got ${postGamma}`);
  const lut = curveLut(gammaCurve(options.gamma), postGamma);
  const scale = Math.pow(2, options.exposure ?? 0);
  const sat = options.saturation ?? 1;
  if (!Number.isFinite(scale) || !Number.isFinite(sat)) {
    throw new InvalidInputError('displayEncode: exposure and saturation must be finite');
  }
  const out = new Float32Array(n * 3);
  const src = linearRgb;
  const top = LUT_SIZE;
  for (let i = 0; i < n * 3; i += 3) {
    let r = src[i];
    let g = src[i + 1];
    let b = src[i + 2];
    // NaN fails every comparison, so it lands on 0 with ±Inf.
    r = r > -Infinity && r < Infinity ? r * scale : 0;
    g = g > -Infinity && g < Infinity ? g * scale : 0;
    b = b > -Infinity && b < Infinity ? b * scale : 0;
    if (sat !== 1) {
      const l = LUM_R * r + LUM_G * g + LUM_B * b;
      r = l + sat * (r - l);
      g = l + sat * (g - l);
      b = l + sat * (b - l);
    }
    if (r < 0) r = 0;
    if (g < 0) g = 0;
    if (b < 0) b = 0;
    let m = r > g ? r : g;
    if (b > m) m = b;
    if (m > 1) {
      const l = LUM_R * r + LUM_G * g + LUM_B * b;
      if (l >= 1) {
        r = g = b = 1;
      } else {
        const t = (1 - l) / (m - l);
        r = l + t * (r - l);
        g = l + t * (g - l);
        b = l + t * (b - l);
        // Rounding can leave 1 + ε.
        if (r > 1) r = 1;
        if (g > 1) g = 1;
        if (b > 1) b = 1;
      }
    }
    let u = Math.sqrt(r) * top;
    let k = u | 0;
    out[i] = lut[k] + (u - k) * (lut[k + 1] - lut[k]);
    u = Math.sqrt(g) * top;
    k = u | 0;
    out[i + 1] = lut[k] + (u - k) * (lut[k + 1] - lut[k]);
    u = Math.sqrt(b) * top;
    k = u | 0;
    out[i + 2] = lut[k] + (u - k) * (lut[k + 1] - lut[k]);
  }
  return { width, height, channels: 3, data: out };
}

/**
 * Scene luminance (Rec. 709 weights) of an HDR image, made safe: NaN/±Inf and negative channels
 * count as 0. A 1-channel image is its own luminance.
 * @returns a new plane of width·height values ≥ 0
 */
export function safeLuminance(img: FloatImage): Float32Array {
  const n = img.width * img.height;
  const d = img.data;
  const lum = new Float32Array(n);
  if (img.channels === 1) {
    for (let i = 0; i < n; i++) {
      const v = d[i];
      lum[i] = v > 0 && v < Infinity ? v : 0;
    }
    return lum;
  }
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = d[j];
    const g = d[j + 1];
    const b = d[j + 2];
    const l =
      LUM_R * (r > 0 && r < Infinity ? r : 0) +
      LUM_G * (g > 0 && g < Infinity ? g : 0) +
      LUM_B * (b > 0 && b < Infinity ? b : 0);
    lum[i] = l;
  }
  return lum;
}

/**
 * Log-average ("key") luminance exp(mean(ln(δ + L))), Reinhard et al. 2002 Eq. 1.
 * @param delta - small offset (> 0) that keeps black pixels from dominating
 */
export function logAverage(lum: Float32Array, delta = 1e-6): number {
  // Fast path: ln v from the float's exponent and a 4096-entry table of ln(mantissa) (error
  // < 1e-8); where δ/v > 1e-5 the exact ln(δ + v) is used.
  const lut = LN_MANTISSA;
  const bits = new Int32Array(lum.buffer, lum.byteOffset, lum.length);
  const thr = delta * 1e5;
  let s = 0;
  for (let i = 0; i < lum.length; i++) {
    const v = lum[i];
    if (v > thr && v < Infinity) {
      const b = bits[i];
      const u = (b & 0x7fffff) * (1 / 2048);
      const k = u | 0;
      s += ((b >> 23) - 127) * Math.LN2 + lut[k] + (u - k) * (lut[k + 1] - lut[k]);
    } else {
      s += Math.log(delta + v);
    }
  }
  return Math.exp(s / lum.length);
}

/** ln(1 + k/4096), k = 0…4096 (+1 guard). */
const LN_MANTISSA = (() => {
  const t = new Float64Array(4098);
  for (let k = 0; k <= 4097; k++) t[k] = Math.log1p(Math.min(k, 4096) / 4096);
  return t;
})();

/** Largest value of a plane (0 for an empty or all-negative plane). */
export function planeMax(plane: Float32Array): number {
  let m = 0;
  for (let i = 0; i < plane.length; i++) if (plane[i] > m) m = plane[i];
  return m;
}

/**
 * Approximate percentile of the positive values of a plane, from a 4096-bin histogram in the log
 * domain (relative error < 0.5 %). p = 100 returns the exact maximum.
 * @param p - percentile, 0…100
 */
export function percentile(plane: Float32Array, p: number): number {
  const max = planeMax(plane);
  if (p >= 100 || max <= 0) return max;
  const bins = 4096;
  const lo = Math.log(max) - 30; // 30 nats ≈ 13 decades below the max
  const k = bins / (Math.log(max) - lo);
  const hist = new Uint32Array(bins);
  let count = 0;
  for (let i = 0; i < plane.length; i++) {
    const v = plane[i];
    if (!(v > 0)) continue;
    let b = ((Math.log(v) - lo) * k) | 0;
    if (b < 0) b = 0;
    else if (b >= bins) b = bins - 1;
    hist[b]++;
    count++;
  }
  const target = (Math.max(0, p) / 100) * count;
  let acc = 0;
  for (let b = 0; b < bins; b++) {
    acc += hist[b];
    if (acc >= target) return Math.min(max, Math.exp(lo + (b + 1) / k));
  }
  return max;
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
  // C/L ≤ 1/0.0722 for non-negative channels: tabulate x^s on [0, 14] by √x.
  const RMAX = 14;
  const size = 16384;
  let lut: Float32Array | null = null;
  if (s !== 1) {
    lut = new Float32Array(size + 2);
    for (let i = 0; i <= size; i++) {
      const u = i / size;
      lut[i] = Math.pow(u * u * RMAX, s);
    }
    lut[size + 1] = lut[size];
  }
  const kq = size / Math.sqrt(RMAX);
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
      r = r > RMAX ? Math.pow(r, s) : lutAt(lut, Math.sqrt(r) * kq);
      g = g > RMAX ? Math.pow(g, s) : lutAt(lut, Math.sqrt(g) * kq);
      b = b > RMAX ? Math.pow(b, s) : lutAt(lut, Math.sqrt(b) * kq);
    }
    out[j] = r * lo;
    out[j + 1] = g * lo;
    out[j + 2] = b * lo;
  }
  return out;
}

function lutAt(lut: Float32Array, u: number): number {
  const k = u | 0;
  return lut[k] + (u - k) * (lut[k + 1] - lut[k]);
}

/**
 * Interleaved RGB of an image: the image's own buffer when it has 3 channels (not copied), a grey
 * expansion when it has 1.
 */
export function rgbOf(img: FloatImage): Float32Array {
  if (img.channels === 3) return img.data;
  const n = img.width * img.height;
  const out = new Float32Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 3) out[j] = out[j + 1] = out[j + 2] = img.data[i];
  return out;
}

/**
 * Sanitised copy of an image as interleaved RGB: NaN/±Inf and negatives → 0, times `scale`.
 * @param scale - linear factor (> 0), e.g. 2^EV
 */
export function safeRgb(img: FloatImage, scale = 1): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n * 3);
  const d = img.data;
  if (img.channels === 1) {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const v = d[i];
      out[j] = out[j + 1] = out[j + 2] = v > 0 && v < Infinity ? v * scale : 0;
    }
    return out;
  }
  for (let i = 0; i < n * 3; i++) {
    const v = d[i];
    out[i] = v > 0 && v < Infinity ? v * scale : 0;
  }
  return out;
}
