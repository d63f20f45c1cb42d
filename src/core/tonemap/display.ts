/**
 * The display stage shared by every tone-mapping operator: display-linear RGB in, encoded
 * display-referred RGB in [0, 1] out, in one pass. Global luminance operators hand over their
 * tone curve as a table ({@link toneTable}) so that the colour step C = (C/L)^s·T(L), exposure,
 * saturation, gamut mapping and the transfer curve all run in that same pass.
 */
import type { FloatImage, HdrImage } from '../image/image.js';
import type { JobOptions } from '../job.js';
import { throwIfAborted } from '../job.js';
import { InvalidInputError } from '../errors.js';
import type { OperatorMeta, ParamValues, ToneMapOperator } from './operator.js';
import { LUM_B, LUM_G, LUM_R } from './scene-stats.js';
import { RATIO_MAX, colorFromLuminance, lerp, ratioPowLut } from './color-ratio.js';

export { colorFromLuminance } from './color-ratio.js';

export {
  LUM_R,
  LUM_G,
  LUM_B,
  safeLuminance,
  logAverage,
  planeMax,
  percentile,
  rgbOf,
  safeRgb,
} from './scene-stats.js';

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

/**
 * A global luminance curve for the fused colour step: display-linear C = (C/L)^s·T(L), with
 * T tabulated by {@link toneTable} over L ∈ [0, lmax].
 */
export interface LuminanceTone {
  /** T at L = lmax·(i/N)^4, i = 0…N, plus one guard entry (from {@link toneTable}). */
  readonly table: Float32Array;
  /** Largest input luminance the table covers (> 0); larger values take T(lmax). */
  readonly lmax: number;
  /** Colour saturation exponent s (1 keeps ratios). */
  readonly saturation: number;
}

/** Display-linear output of an operator before its display stage (see {@link LinearStage}). */
export interface DisplayLinear {
  /**
   * Interleaved RGB (width·height·3). Without `tone`: display-linear after × `scale`. With `tone`:
   * scene-linear, mapped by the tone curve. Values need not be safe (NaN/Inf/negatives → 0).
   */
  readonly rgb: Float32Array;
  /** The transfer curve the operator wants (usually 'srgb'). */
  readonly gamma: DisplayGamma;
  /** Linear factor applied to rgb first (default 1), e.g. an operator's normalisation. */
  readonly scale?: number;
  /** Without `tone`: subtracted from rgb before `scale` (default 0), for min/max normalisation. */
  readonly offset?: number;
  /** A global luminance curve to apply to rgb (see {@link LuminanceTone}). */
  readonly tone?: LuminanceTone;
}

/** Operators that can hand over display-linear data, so adjustments need no decode/re-encode. */
export interface LinearStage {
  applyLinear(image: HdrImage, params: ParamValues, options?: JobOptions): DisplayLinear;
}

/** An operator whose display stage is {@link encodeLinear}. */
export type LinearOperator = ToneMapOperator & LinearStage;

/**
 * Builds an operator from its display-linear stage: `apply` = {@link encodeLinear} of
 * `applyLinear`'s output.
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
      return encodeLinear(lin, image.width, image.height, {}, options);
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
/** Entries of a {@link toneTable} (plus one guard). */
export const TONE_TABLE_SIZE = 16384;

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

/**
 * Tabulates a global tone curve T(L) on [0, lmax] at L = lmax·(i/N)^4: the fourth-root spacing
 * covers ≈ 16 decades below lmax with < 0.1 % interpolation error above lmax·1e-9 for the
 * logarithmic and rational curves used here.
 * @param curve - display-linear output for a scene luminance L ≥ 0 (T(0) is taken as curve(0))
 * @param lmax - largest luminance to cover, > 0
 */
export function toneTable(curve: (l: number) => number, lmax: number): Float32Array {
  const t = new Float32Array(TONE_TABLE_SIZE + 2);
  for (let i = 0; i <= TONE_TABLE_SIZE; i++) {
    const u = i / TONE_TABLE_SIZE;
    const v = curve(lmax * u * u * u * u);
    t[i] = Number.isFinite(v) ? v : 0;
  }
  t[TONE_TABLE_SIZE + 1] = t[TONE_TABLE_SIZE];
  return t;
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
 * Final display stage: makes display-linear RGB safe and encodes it (see {@link encodeLinear}).
 * @param linearRgb - interleaved RGB, width·height·3 samples, display-linear, nominally [0, 1]
 * @returns a new 3-channel image with values in [0, 1]
 */
export function displayEncode(
  linearRgb: Float32Array,
  width: number,
  height: number,
  options: DisplayOptions = {},
): FloatImage {
  return encodeLinear({ rgb: linearRgb, gamma: options.gamma ?? 'srgb' }, width, height, options);
}

/**
 * The display-linear RGB of an operator's output as a plain interleaved array (applies `scale`
 * and `tone`; the rgb buffer itself when there is neither).
 */
export function linearRgb(lin: DisplayLinear): Float32Array {
  const scale = lin.scale ?? 1;
  if (lin.tone) {
    const { table, lmax, saturation } = lin.tone;
    const n = lin.rgb.length / 3;
    const lum = new Float32Array(n);
    const lout = new Float32Array(n);
    const src = lin.rgb;
    const k = TONE_TABLE_SIZE / Math.sqrt(Math.sqrt(lmax));
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const r = src[j];
      const g = src[j + 1];
      const b = src[j + 2];
      let l =
        LUM_R * (r > 0 && r < Infinity ? r : 0) +
        LUM_G * (g > 0 && g < Infinity ? g : 0) +
        LUM_B * (b > 0 && b < Infinity ? b : 0);
      lum[i] = l;
      if (l > lmax) l = lmax;
      const u = Math.sqrt(Math.sqrt(l)) * k;
      const q = u | 0;
      lout[i] = scale * (table[q] + (u - q) * (table[q + 1] - table[q]));
    }
    return colorFromLuminance(src, lum, lout, saturation);
  }
  const offset = lin.offset ?? 0;
  if (scale === 1 && offset === 0) return lin.rgb;
  const out = new Float32Array(lin.rgb.length);
  for (let i = 0; i < out.length; i++) out[i] = (lin.rgb[i] - offset) * scale;
  return out;
}

/**
 * The display stage in one pass over the pixels. Per pixel: NaN/±Inf/negative samples → 0; the
 * operator's tone curve and colour step (with `lin.tone`) or (C − `lin.offset`)·`lin.scale`
 * clamped at 0; ×2^exposure;
 * saturation around luminance; negatives → 0; gamut mapping: where a channel exceeds 1 the colour
 * is desaturated toward its own luminance just enough to bring the largest channel to 1 (hue and
 * luminance kept; luminance ≥ 1 becomes white), so bright saturated colours roll off to white as on
 * film instead of shifting hue; finally the transfer curve (`options.gamma`, else `lin.gamma`) and
 * the optional post gamma.
 * @returns a new 3-channel image with values in [0, 1]
 * @throws InvalidInputError for a wrong buffer size or non-finite exposure/saturation
 */
export function encodeLinear(
  lin: DisplayLinear,
  width: number,
  height: number,
  options: DisplayOptions = {},
  job: JobOptions = {},
): FloatImage {
  const n = width * height;
  const src = lin.rgb;
  if (src.length !== n * 3) {
    throw new InvalidInputError(`displayEncode: expected ${n * 3} samples, got ${src.length}`);
  }
  const postGamma = options.postGamma ?? 1;
  if (!(postGamma > 0)) throw new InvalidInputError(`Post gamma must be > 0, got ${postGamma}`);
  const lut = curveLut(gammaCurve(options.gamma ?? lin.gamma), postGamma);
  const scale = Math.pow(2, options.exposure ?? 0) * (lin.scale ?? 1);
  const sat = options.saturation ?? 1;
  const offset = lin.offset ?? 0;
  if (!Number.isFinite(scale) || !Number.isFinite(sat) || !Number.isFinite(offset)) {
    throw new InvalidInputError('displayEncode: exposure and saturation must be finite');
  }
  const tone = lin.tone;
  const table = tone ? tone.table : new Float32Array(2);
  const lmax = tone ? tone.lmax : 1;
  const tk = TONE_TABLE_SIZE / Math.sqrt(Math.sqrt(lmax));
  const s = tone ? tone.saturation : 1;
  const ratioLut = tone && s !== 1 ? ratioPowLut(s) : null;
  const rk = ratioLut ? (ratioLut.length - 2) / Math.sqrt(RATIO_MAX) : 0;
  const mode = tone ? (ratioLut ? 2 : 1) : 0;
  const out = new Float32Array(n * 3);
  const top = LUT_SIZE;
  const rows = Math.max(1, Math.floor(262144 / Math.max(1, width)));
  for (let y0 = 0; y0 < height; y0 += rows) {
    throwIfAborted(job.signal);
    const end = Math.min(height, y0 + rows) * width * 3;
    for (let i = y0 * width * 3; i < end; i += 3) {
      let r = src[i];
      let g = src[i + 1];
      let b = src[i + 2];
      // NaN fails every comparison, so it lands on 0 with ±Inf.
      r = r > 0 && r < Infinity ? r : 0;
      g = g > 0 && g < Infinity ? g : 0;
      b = b > 0 && b < Infinity ? b : 0;
      if (mode !== 0) {
        const l = LUM_R * r + LUM_G * g + LUM_B * b;
        const u = Math.sqrt(Math.sqrt(l < lmax ? l : lmax)) * tk;
        const q = u | 0;
        const lo = (table[q] + (u - q) * (table[q + 1] - table[q])) * scale;
        if (!(l > 0)) {
          r = g = b = lo;
        } else if (mode === 1) {
          const k = lo / l;
          r *= k;
          g *= k;
          b *= k;
        } else if (ratioLut !== null) {
          const inv = 1 / l;
          r *= inv;
          g *= inv;
          b *= inv;
          r = r > RATIO_MAX ? Math.pow(r, s) : lerp(ratioLut, Math.sqrt(r) * rk);
          g = g > RATIO_MAX ? Math.pow(g, s) : lerp(ratioLut, Math.sqrt(g) * rk);
          b = b > RATIO_MAX ? Math.pow(b, s) : lerp(ratioLut, Math.sqrt(b) * rk);
          r *= lo;
          g *= lo;
          b *= lo;
        }
      } else {
        r = (r - offset) * scale;
        g = (g - offset) * scale;
        b = (b - offset) * scale;
        if (r < 0) r = 0;
        if (g < 0) g = 0;
        if (b < 0) b = 0;
      }
      if (sat !== 1) {
        const l = LUM_R * r + LUM_G * g + LUM_B * b;
        r = l + sat * (r - l);
        g = l + sat * (g - l);
        b = l + sat * (b - l);
        if (r < 0) r = 0;
        if (g < 0) g = 0;
        if (b < 0) b = 0;
      }
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
  }
  return { width, height, channels: 3, data: out };
}
