/**
 * Reinhard & Devlin 2005, "Dynamic Range Reduction Inspired by Photoreceptor Physiology",
 * IEEE TVCG 11(1).
 *
 * Per channel: V = I / (I + (f·Ia)^m), with f = e^(−intensity),
 * Ia = l·Ia_local + (1 − l)·Ia_global, Ia_local = c·I + (1 − c)·L, Ia_global = c·mean(I) + (1 − c)·mean(L),
 * m = 0.3 + 0.7·k^1.4 with k = (ln Lmax − ln Lav)/(ln Lmax − ln Lmin) (log-domain key) unless
 * given; then V is min/max-normalised over all channels (Eq. 9) and shown as is: the photoreceptor
 * response is already perceptually compressed, so no further display gamma is applied (as in
 * pfstmo_reinhard05, whose output is tagged sRGB, and OpenCV TonemapReinhard with γ = 1). The
 * display stage's adjustments act on these display values.
 *
 * Scale: the model is not scale-invariant (m < 1), so the input is first scaled to put its
 * log-average luminance at {@link REINHARD05_ANCHOR}; the result no longer depends on the file's
 * units (pfstmo uses the file's absolute values; OpenCV divides by the maximum, which darkens
 * everything when a small light source such as the sun is in the frame).
 * Statistics: Lmin is the smallest positive luminance (floored at 1e-8·Lmax) and Lav the
 * log-average exp(mean(ln(1e-8·Lmax + L))), as in the paper and pfstmo. OpenCV instead floors the
 * luminance at 1e-4 of its maximum, which shrinks the log range of high-dynamic-range scenes, pushes
 * m toward 1 and flattens them (the "milky" look of the earlier version of this operator).
 * Luminance uses Rec. 709 weights. Defaults l = 0.75, c = 0.5 are pfstmo_reinhard05's: partial light
 * and chromatic adaptation keep global contrast and natural colour (l = 1, c = 0, OpenCV's
 * defaults, flattens the image and leaves strong casts).
 */
import type { OperatorMeta } from './operator.js';
import type { JobOptions } from '../job.js';
import { throwIfAborted } from '../job.js';
import { resolveParams } from './params.js';
import { withDisplayStage } from './display.js';
import { LUM_B, LUM_G, LUM_R, imageLogAverage, luminanceStats, rgbOf } from './scene-stats.js';

const meta: OperatorMeta = {
  id: 'reinhard05',
  name: 'Reinhard & Devlin 2005 photoreceptor',
  reference:
    'E. Reinhard, K. Devlin, "Dynamic Range Reduction Inspired by Photoreceptor Physiology", IEEE TVCG 11(1), 2005.',
  kind: 'global',
  params: [
    {
      key: 'intensity',
      label: 'Intensity',
      unit: '',
      min: -8,
      max: 8,
      default: 0,
      step: 0.1,
      description: 'Overall brightness f (the adaptation is scaled by e^−f).',
    },
    {
      key: 'contrast',
      label: 'Contrast',
      unit: '',
      min: 0,
      max: 1,
      default: 0,
      step: 0.01,
      description: 'Exponent m (0.3…1); 0 = automatic from the log-domain key of the image.',
    },
    {
      key: 'light',
      label: 'Light adaptation',
      unit: '',
      min: 0,
      max: 1,
      default: 0.75,
      step: 0.01,
      description: '0 = adapt to the global average, 1 = adapt to each pixel.',
    },
    {
      key: 'chromatic',
      label: 'Chromatic adaptation',
      unit: '',
      min: 0,
      max: 1,
      default: 0.5,
      step: 0.01,
      description: '0 = adapt to luminance, 1 = adapt each channel separately (von Kries).',
    },
  ],
};

/** Log-average luminance the input is scaled to before the photoreceptor model. */
export const REINHARD05_ANCHOR = 0.18;

/** Automatic contrast m from the log-domain key (paper Eq. 8), k clamped to [0, 1]. */
export function reinhard05Contrast(logMin: number, logMax: number, logMean: number): number {
  const range = logMax - logMin;
  let k = range > 0 ? (logMax - logMean) / range : 0;
  k = k > 0 ? (k < 1 ? k : 1) : 0;
  return 0.3 + 0.7 * Math.pow(k, 1.4);
}

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const MANT = 4096;

/**
 * Tables for x^m from the float32 bits of x: 2^(m·(e − 127)) per exponent e and (1 + j/4096)^m
 * (linear interpolation, relative error < 1e-8 plus float32 rounding of x).
 */
function powTables(m: number): { exp: Float64Array; mant: Float64Array } {
  const exp = new Float64Array(256);
  for (let e = 1; e < 255; e++) exp[e] = Math.pow(2, m * (e - 127));
  exp[255] = Infinity;
  const mant = new Float64Array(MANT + 2);
  for (let j = 0; j <= MANT + 1; j++) mant[j] = Math.pow(1 + Math.min(j, MANT) / MANT, m);
  return { exp, mant };
}

/** x^m for x ≥ 0 from {@link powTables} (0 for x ≤ 1e-37; x must be < 3e38). */
function powFast(x: number, exp: Float64Array, mant: Float64Array): number {
  if (!(x > 1e-37)) return 0;
  F32[0] = x;
  const b = I32[0];
  const u = (b & 0x7fffff) * (MANT / 0x800000);
  const k = u | 0;
  return exp[b >>> 23] * (mant[k] + (u - k) * (mant[k + 1] - mant[k]));
}

/**
 * Operator "reinhard05": two read passes for the statistics, one pass computing V (one pow per
 * pixel when c = 0, three otherwise), and the display stage.
 */
export const reinhard05 = withDisplayStage(meta, (image, params, options: JobOptions = {}) => {
  const p = resolveParams(meta, params);
  const st = luminanceStats(image);
  const n = image.width * image.height;
  const src = rgbOf(image);
  if (!(st.max > 0)) return { rgb: src, gamma: 1, scale: 0 };
  const floor = 1e-8 * st.max;
  const lav = imageLogAverage(image, floor);
  throwIfAborted(options.signal);
  options.onProgress?.({ fraction: 0.4, message: 'Reinhard 2005' });
  const lmin = Math.max(st.minPositive, floor);
  const m =
    p.contrast > 0
      ? p.contrast
      : reinhard05Contrast(Math.log(lmin), Math.log(st.max), Math.log(lav));
  const norm = REINHARD05_ANCHOR / lav;
  const f = Math.exp(-p.intensity);
  const c = p.chromatic;
  const l = p.light;
  // With the scale folded in: V = C/(C + (f·norm·Ia)^m / norm), Ia in file units.
  const fn = f * norm;
  const invNorm = 1 / norm;
  const [mr, mg, mb] = st.channelMean;
  const wR = (1 - l) * (c * mr + (1 - c) * st.mean);
  const wG = (1 - l) * (c * mg + (1 - c) * st.mean);
  const wB = (1 - l) * (c * mb + (1 - c) * st.mean);
  const { exp, mant } = powTables(m);
  const out = new Float32Array(n * 3);
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < n * 3; j += 3) {
    if (j % 786432 === 0) throwIfAborted(options.signal);
    let r = src[j];
    let g = src[j + 1];
    let b = src[j + 2];
    r = r > 0 && r < Infinity ? r : 0;
    g = g > 0 && g < Infinity ? g : 0;
    b = b > 0 && b < Infinity ? b : 0;
    const lum = LUM_R * r + LUM_G * g + LUM_B * b;
    let vR: number;
    let vG: number;
    let vB: number;
    if (c === 0) {
      const s = powFast(fn * (l * lum + wR), exp, mant) * invNorm;
      vR = r > 0 ? r / (r + s) : 0;
      vG = g > 0 ? g / (g + s) : 0;
      vB = b > 0 ? b / (b + s) : 0;
    } else {
      const ll = (1 - c) * lum;
      vR = r > 0 ? r / (r + powFast(fn * (l * (c * r + ll) + wR), exp, mant) * invNorm) : 0;
      vG = g > 0 ? g / (g + powFast(fn * (l * (c * g + ll) + wG), exp, mant) * invNorm) : 0;
      vB = b > 0 ? b / (b + powFast(fn * (l * (c * b + ll) + wB), exp, mant) * invNorm) : 0;
    }
    out[j] = vR;
    out[j + 1] = vG;
    out[j + 2] = vB;
    const mn = vR < vG ? (vR < vB ? vR : vB) : vG < vB ? vG : vB;
    const mx = vR > vG ? (vR > vB ? vR : vB) : vG > vB ? vG : vB;
    if (mn < lo) lo = mn;
    if (mx > hi) hi = mx;
  }
  options.onProgress?.({ fraction: 1, message: 'Reinhard 2005' });
  const span = hi - lo;
  return span > 1e-12
    ? { rgb: out, gamma: 1, offset: lo, scale: 1 / span }
    : { rgb: out, gamma: 1 };
});
