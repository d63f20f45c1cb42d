/**
 * Reinhard & Devlin 2005, "Dynamic Range Reduction Inspired by Photoreceptor Physiology",
 * IEEE TVCG 11(1).
 *
 * Per channel: V = I / (I + (f·Ia)^m), with f = e^(−intensity),
 * Ia = l·Ia_local + (1 − l)·Ia_global, Ia_local = c·I + (1 − c)·L, Ia_global = c·mean(I) + (1 − c)·mean(L),
 * m = 0.3 + 0.7·k^1.4 with k = (ln Lmax − ln Lav)/(ln Lmax − ln Lmin) (log-domain key) unless given.
 * As in OpenCV's TonemapReinhard, the input is first divided by its maximum channel value (the
 * operator is not scale-invariant: m < 1), luminances are floored at 1e-4 for the logs, and the
 * result is min/max-normalised over all channels (Eq. 9 of the paper); pfstmo_reinhard05 uses the
 * same model. Output is then sRGB-encoded (OpenCV applies a plain power gamma instead).
 */
import type { OperatorMeta } from './operator.js';
import type { JobOptions } from '../job.js';
import { throwIfAborted } from '../job.js';
import { resolveParams } from './params.js';
import { LUM_B, LUM_G, LUM_R, safeRgb, withDisplayStage } from './display.js';

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
      default: 1,
      step: 0.01,
      description: '0 = adapt to the global average, 1 = adapt to each pixel.',
    },
    {
      key: 'chromatic',
      label: 'Chromatic adaptation',
      unit: '',
      min: 0,
      max: 1,
      default: 0,
      step: 0.01,
      description: '0 = adapt to luminance, 1 = adapt each channel separately (von Kries).',
    },
  ],
};

/** Automatic contrast m from the log-domain key (paper Eq. 8). */
export function reinhard05Contrast(logMin: number, logMax: number, logMean: number): number {
  const range = logMax - logMin;
  const k = range > 0 ? (logMax - logMean) / range : 0;
  return 0.3 + 0.7 * Math.pow(Math.max(0, k), 1.4);
}

/** Operator "reinhard05" (global when light = 0, per-pixel adaptation otherwise; no spatial filter). */
export const reinhard05 = withDisplayStage(meta, (image, params, options: JobOptions = {}) => {
  const p = resolveParams(meta, params);
  const rgb = safeRgb(image);
  const n = image.width * image.height;
  let max = 0;
  for (let i = 0; i < rgb.length; i++) if (rgb[i] > max) max = rgb[i];
  if (!(max > 0)) return { rgb, gamma: 'srgb' };
  const inv = 1 / max;
  // Pass 1: normalise to max 1 and gather the statistics.
  let sumR = 0;
  let sumG = 0;
  let sumB = 0;
  let sumL = 0;
  let sumLog = 0;
  let logMin = Infinity;
  let logMax = -Infinity;
  for (let j = 0; j < rgb.length; j += 3) {
    const r = rgb[j] * inv;
    const g = rgb[j + 1] * inv;
    const b = rgb[j + 2] * inv;
    rgb[j] = r;
    rgb[j + 1] = g;
    rgb[j + 2] = b;
    const l = LUM_R * r + LUM_G * g + LUM_B * b;
    sumR += r;
    sumG += g;
    sumB += b;
    sumL += l;
    const lg = Math.log(l > 1e-4 ? l : 1e-4);
    sumLog += lg;
    if (lg < logMin) logMin = lg;
    if (lg > logMax) logMax = lg;
  }
  throwIfAborted(options.signal);
  options.onProgress?.({ fraction: 0.4, message: 'Reinhard 2005' });
  const m = p.contrast > 0 ? p.contrast : reinhard05Contrast(logMin, logMax, sumLog / n);
  const f = Math.exp(-p.intensity);
  const c = p.chromatic;
  const l = p.light;
  const meanL = sumL / n;
  const wR = (1 - l) * (c * (sumR / n) + (1 - c) * meanL);
  const wG = (1 - l) * (c * (sumG / n) + (1 - c) * meanL);
  const wB = (1 - l) * (c * (sumB / n) + (1 - c) * meanL);
  let lo = Infinity;
  let hi = -Infinity;
  // Pass 2: V = I / (I + (f·Ia)^m). Ia ≤ 1 after normalisation, so Ia^m comes from a table
  // indexed by √Ia (accurate to ~1e-6 except for Ia < 1e-8, where V is ~0 or ~1 anyway).
  const size = 32768;
  const pw = new Float32Array(size + 2);
  const fm = Math.pow(f, m);
  for (let i = 0; i <= size; i++) pw[i] = fm * Math.pow((i / size) * (i / size), m);
  pw[size + 1] = pw[size];
  for (let j = 0; j < rgb.length; j += 3) {
    const r = rgb[j];
    const g = rgb[j + 1];
    const b = rgb[j + 2];
    const lum = (1 - c) * (LUM_R * r + LUM_G * g + LUM_B * b);
    let u = Math.sqrt(l * (c * r + lum) + wR) * size;
    let k = u | 0;
    const vR = r > 0 ? r / (r + pw[k] + (u - k) * (pw[k + 1] - pw[k])) : 0;
    u = Math.sqrt(l * (c * g + lum) + wG) * size;
    k = u | 0;
    const vG = g > 0 ? g / (g + pw[k] + (u - k) * (pw[k + 1] - pw[k])) : 0;
    u = Math.sqrt(l * (c * b + lum) + wB) * size;
    k = u | 0;
    const vB = b > 0 ? b / (b + pw[k] + (u - k) * (pw[k + 1] - pw[k])) : 0;
    rgb[j] = vR;
    rgb[j + 1] = vG;
    rgb[j + 2] = vB;
    const mn = vR < vG ? (vR < vB ? vR : vB) : vG < vB ? vG : vB;
    const mx = vR > vG ? (vR > vB ? vR : vB) : vG > vB ? vG : vB;
    if (mn < lo) lo = mn;
    if (mx > hi) hi = mx;
  }
  throwIfAborted(options.signal);
  if (hi - lo > 1e-12) {
    const k = 1 / (hi - lo);
    for (let i = 0; i < rgb.length; i++) rgb[i] = (rgb[i] - lo) * k;
  }
  options.onProgress?.({ fraction: 1, message: 'Reinhard 2005' });
  return { rgb, gamma: 'srgb' };
});
