/**
 * Scene statistics shared by the tone-mapping operators (luminance, log-average, maximum,
 * percentiles, safe RGB views) and fast scalar helpers (ln, 2^x) for their inner loops.
 */
import type { FloatImage } from '../image/image.js';

/** Rec. 709 / sRGB luminance weights. */
export const LUM_R = 0.2126;
export const LUM_G = 0.7152;
export const LUM_B = 0.0722;

/** ln(1 + k/4096), k = 0…4096 (+1 guard). */
const LN_MANTISSA = (() => {
  const t = new Float64Array(4098);
  for (let k = 0; k <= 4097; k++) t[k] = Math.log1p(Math.min(k, 4096) / 4096);
  return t;
})();

/** 2^(k/4096), k = 0…4096 (+1 guard). */
const EXP2_FRAC = (() => {
  const t = new Float64Array(4098);
  for (let k = 0; k <= 4097; k++) t[k] = Math.pow(2, Math.min(k, 4096) / 4096);
  return t;
})();

/** 2^e for e = −1074…1023 (index e + 1074). */
const POW2 = (() => {
  const t = new Float64Array(2098);
  for (let e = -1074; e <= 1023; e++) t[e + 1074] = Math.pow(2, e);
  return t;
})();

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);

/**
 * Natural log of a positive, finite number from its float32 exponent and a mantissa table
 * (absolute error < 1e-7 plus float32 rounding of the argument, ≈ 6e-8 relative).
 * Only for normal positive floats (≥ 1.2e-38); callers guard the rest.
 */
export function lnFast(v: number): number {
  F32[0] = v;
  const b = I32[0];
  const u = (b & 0x7fffff) * (1 / 2048);
  const k = u | 0;
  return (
    ((b >> 23) - 127) * Math.LN2 + LN_MANTISSA[k] + (u - k) * (LN_MANTISSA[k + 1] - LN_MANTISSA[k])
  );
}

/**
 * 2^t from a table of 2^(j/4096) with linear interpolation (relative error < 1e-8) and an exact
 * power of two from a table. t < −1000 gives 0, t > 1000 Infinity.
 */
export function exp2Fast(t: number): number {
  if (!(t > -1000)) return 0;
  if (t > 1000) return Infinity;
  const e = Math.floor(t);
  const u = (t - e) * 4096;
  const k = u | 0;
  const m = EXP2_FRAC[k] + (u - k) * (EXP2_FRAC[k + 1] - EXP2_FRAC[k]);
  return m * POW2[e + 1074];
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
    lum[i] =
      LUM_R * (r > 0 && r < Infinity ? r : 0) +
      LUM_G * (g > 0 && g < Infinity ? g : 0) +
      LUM_B * (b > 0 && b < Infinity ? b : 0);
  }
  return lum;
}

/**
 * Log-average ("key") luminance exp(mean(ln(δ + L))), Reinhard et al. 2002 Eq. 1.
 * @param delta - small offset (> 0) that keeps black pixels from dominating
 */
export function logAverage(lum: Float32Array, delta = 1e-6): number {
  let s = 0;
  for (let i = 0; i < lum.length; i++) {
    const v = lum[i];
    const x = delta + (v > 0 ? v : 0);
    s += x > 1e-37 && x < Infinity ? lnFast(x) : Math.log(x);
  }
  return Math.exp(s / lum.length);
}

/** Statistics of the safe luminance of an image, gathered in one pass without a plane. */
export interface LuminanceStats {
  /** Largest luminance (0 for a black image). */
  readonly max: number;
  /** Smallest positive luminance (Infinity when none). */
  readonly minPositive: number;
  /** Arithmetic mean of the luminance. */
  readonly mean: number;
  /** Mean of the safe R, G, B channels. */
  readonly channelMean: readonly [number, number, number];
  /** Pixel count. */
  readonly count: number;
}

/**
 * One pass over an image: maximum, smallest positive value and mean of its safe luminance (as
 * {@link safeLuminance}) and the channel means; no full-size plane is made.
 */
export function luminanceStats(img: FloatImage): LuminanceStats {
  const n = img.width * img.height;
  const d = img.channels === 3 ? img.data : rgbOf(img);
  let max = 0;
  let min = Infinity;
  let sr = 0;
  let sg = 0;
  let sb = 0;
  for (let j = 0; j < n * 3; j += 3) {
    let r = d[j];
    let g = d[j + 1];
    let b = d[j + 2];
    r = r > 0 && r < Infinity ? r : 0;
    g = g > 0 && g < Infinity ? g : 0;
    b = b > 0 && b < Infinity ? b : 0;
    sr += r;
    sg += g;
    sb += b;
    const l = LUM_R * r + LUM_G * g + LUM_B * b;
    if (l > max) max = l;
    if (l < min && l > 0) min = l;
  }
  const k = n > 0 ? 1 / n : 0;
  return {
    max,
    minPositive: min,
    mean: (LUM_R * sr + LUM_G * sg + LUM_B * sb) * k,
    channelMean: [sr * k, sg * k, sb * k],
    count: n,
  };
}

/**
 * Log-average exp(mean(ln(δ + L))) of an image's safe luminance, computed on the fly (no plane).
 * @param delta - offset > 0, e.g. 1e-6 × the maximum luminance
 */
export function imageLogAverage(img: FloatImage, delta: number): number {
  const n = img.width * img.height;
  const d = img.channels === 3 ? img.data : rgbOf(img);
  let s = 0;
  for (let j = 0; j < n * 3; j += 3) {
    const r = d[j];
    const g = d[j + 1];
    const b = d[j + 2];
    const x =
      delta +
      LUM_R * (r > 0 && r < Infinity ? r : 0) +
      LUM_G * (g > 0 && g < Infinity ? g : 0) +
      LUM_B * (b > 0 && b < Infinity ? b : 0);
    s += x > 1e-37 && x < Infinity ? lnFast(x) : Math.log(x);
  }
  return n > 0 ? Math.exp(s / n) : 0;
}

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
    let b = ((lnFast(v) - lo) * k) | 0;
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
