/**
 * Mantiuk, Myszkowski & Seidel 2006, "A Perceptual Framework for Contrast Processing of High
 * Dynamic Range Images", ACM TAP 3(3) — contrast mapping.
 *
 * Contrasts are the log10-luminance differences G between neighbouring pixels on every level of a
 * Gaussian pyramid. Each is converted to the perceived response R(G) of the transducer, built (as
 * in the paper and pfstmo) on the Weber fraction W = 10^|G| − 1 by counting just-noticeable
 * differences ∫ dW / ΔW(W) (our smooth fit of the contrast-discrimination threshold ΔW; R
 * saturates at 1 for |G| ≥ 4.02). Contrast mapping scales the response, R' = l·R (l = 1 is the
 * identity), and G' = R⁻¹(R'): small contrasts shrink by ≈ l, large ones much more. (The paper's
 * closed form 54.09288·G^0.41850 would reduce R' = l·R to a uniform scaling G' = l^2.39·G, a mere
 * gamma.) The luminance whose gradient pyramid best matches G' in the weighted least-squares
 * sense (weights 1/(0.038737·|G'|^0.537756), favouring small contrasts) is found by conjugate
 * gradients (mantiuk06-solver.ts). As in pfstmo the result's 0.1 %…99.9 % percentiles span 2.3
 * decades below display white, colour is C_out = (C/L)^s·L_out, and the output is sRGB-encoded.
 */
import type { OperatorMeta } from './operator.js';
import type { JobOptions } from '../job.js';
import { subProgress, throwIfAborted } from '../job.js';
import { resolveParams } from './params.js';
import { colorFromLuminance, rgbOf, safeLuminance, withDisplayStage } from './display.js';
import { logLuminance, planePercentiles } from './log-luminance.js';
import { solveContrastPyramid } from './mantiuk06-solver.js';
import type { GradientLut } from './mantiuk06-solver.js';

const meta: OperatorMeta = {
  id: 'mantiuk06',
  name: 'Mantiuk 2006 contrast mapping',
  reference:
    'R. Mantiuk, K. Myszkowski, H.-P. Seidel, "A Perceptual Framework for Contrast Processing of High Dynamic Range Images", ACM Transactions on Applied Perception 3(3), 2006.',
  kind: 'local',
  params: [
    {
      key: 'contrast',
      label: 'Contrast factor',
      unit: '',
      min: 0.01,
      max: 1,
      default: 0.1,
      step: 0.01,
      description:
        'Scale l of the perceived contrast response; lower compresses more (1 reproduces the scene contrasts).',
    },
    {
      key: 'saturation',
      label: 'Colour saturation',
      unit: '',
      min: 0,
      max: 2,
      default: 0.8,
      step: 0.01,
      description: 'Exponent s in C_out = (C/L)^s·L_out; lower desaturates.',
    },
    {
      key: 'detail',
      label: 'Detail',
      unit: '×',
      min: 0.5,
      max: 3,
      default: 1,
      step: 0.05,
      description:
        'Multiplies contrasts before the transducer (pfstmo’s detail factor); above 1 sharpens.',
    },
    {
      key: 'iterations',
      label: 'Solver iterations',
      unit: '',
      min: 5,
      max: 1000,
      default: 200,
      step: 1,
      description:
        'Conjugate-gradient iteration cap per pyramid level: more is slower but more exact.',
    },
  ],
};

/**
 * Contrast-discrimination threshold ΔW(W) of the transducer, as a smooth fit (our own, a cubic
 * in ln(W + 0.284) for ln ΔW) to the just-noticeable Weber-fraction steps that pfstmo's transducer
 * is built from: ΔW ≈ 0.009 at W = 0, ≈ 0.1·W around W = 1, ≈ 0.19·W at W = 10⁴.
 */
function thresholdW(w: number): number {
  const u = Math.log(w + 0.28413);
  return Math.exp(((0.00367433 * u - 0.06651383) * u + 1.39214807) * u - 2.54459395);
}

/** Largest log10 contrast the transducer resolves; beyond it the response saturates at 1. */
export const G_MAX = Math.log10(1 + 10510);
const TABLE_N = 16384;
const G_STEP = G_MAX / TABLE_N;

/**
 * R(G) on a uniform grid of |G|: the number of JND steps ∫ dW / ΔW(W) from 0 to W = 10^|G| − 1,
 * normalised to 1 at G_MAX (trapezoid rule in G, dW/dG = ln10·10^G).
 */
const R_TABLE: Float64Array = (() => {
  const t = new Float64Array(TABLE_N + 1);
  let prev = Math.LN10 / thresholdW(0);
  for (let i = 1; i <= TABLE_N; i++) {
    const g = i * G_STEP;
    const cur = (Math.LN10 * Math.pow(10, g)) / thresholdW(Math.pow(10, g) - 1);
    t[i] = t[i - 1] + 0.5 * (prev + cur) * G_STEP;
    prev = cur;
  }
  const norm = 1 / t[TABLE_N];
  for (let i = 0; i <= TABLE_N; i++) t[i] *= norm;
  return t;
})();

/**
 * Transducer R(G): perceived response (JND units normalised to 0…1) of a log10 contrast G,
 * computed on the Weber fraction W = 10^|G| − 1 (see {@link thresholdW}); odd in G, saturating
 * at ±1 for |G| ≥ G_MAX. @param g - log10 contrast
 */
export function contrastToResponse(g: number): number {
  const a = (g < 0 ? -g : g) / G_STEP;
  let r: number;
  if (!(a < TABLE_N)) r = 1;
  else {
    const k = a | 0;
    r = R_TABLE[k] + (a - k) * (R_TABLE[k + 1] - R_TABLE[k]);
  }
  return g < 0 ? -r : r;
}

/** Inverse of {@link contrastToResponse} (|r| ≥ 1 gives ±G_MAX). @returns log10 contrast */
export function responseToContrast(r: number): number {
  const a = r < 0 ? -r : r;
  let g: number;
  if (!(a < 1)) g = G_MAX;
  else {
    let lo = 0;
    let hi = TABLE_N;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (R_TABLE[mid] <= a) lo = mid;
      else hi = mid;
    }
    const d = R_TABLE[hi] - R_TABLE[lo];
    g = (lo + (d > 0 ? (a - R_TABLE[lo]) / d : 0)) * G_STEP;
  }
  return r < 0 ? -g : g;
}

/**
 * Gradient map of contrast mapping, G' = R⁻¹(l·R(d·G)) / d (d: detail factor). A convenience
 * closure; the solver uses the table of {@link gradientLut}.
 */
export function contrastMapping(contrast: number, detail = 1): (g: number) => number {
  if (contrast === 1) return (g) => g;
  return (g) => responseToContrast(contrast * contrastToResponse(detail * g)) / detail;
}

/** Weight of a target contrast in the solve (pfstmo's fit): 1 / (0.038737·max(0.001, |G'|)^0.537756). */
export function contrastWeight(gTarget: number): number {
  const a = Math.max(0.001, Math.abs(gTarget));
  return 1 / (0.038737 * Math.pow(a, 0.537756));
}

/**
 * Table of contrast mapping and weights over |G| ∈ [0, G_MAX / detail] (4097 samples).
 * @param contrast - contrast factor l in (0, 1]
 * @param detail - detail factor d > 0
 */
export function gradientLut(contrast: number, detail = 1): GradientLut {
  const n = 4096;
  const step = G_MAX / detail / n;
  const target = new Float32Array(n + 2);
  const weight = new Float32Array(n + 2);
  const weightedTarget = new Float32Array(n + 2);
  for (let i = 0; i <= n + 1; i++) {
    const g = Math.min(i, n) * step;
    const t =
      contrast === 1 ? g : responseToContrast(contrast * contrastToResponse(detail * g)) / detail;
    target[i] = t;
    weight[i] = contrastWeight(t);
    weightedTarget[i] = weight[i] * t;
  }
  return { step, target, weight, weightedTarget };
}

/** Display dynamic range of the output (decades between the 0.1 % and 99.9 % percentiles). */
const DISPLAY_DECADES = 2.3;

/** Operator "mantiuk06" (local). */
export const mantiuk06 = withDisplayStage(meta, (image, params, options: JobOptions = {}) => {
  const p = resolveParams(meta, params);
  const { width, height } = image;
  const lum = safeLuminance(image);
  const logL = logLuminance(lum, 10, 1e-7);
  throwIfAborted(options.signal);
  const { x } = solveContrastPyramid(
    logL,
    width,
    height,
    { lut: gradientLut(p.contrast, p.detail), iterations: p.iterations, cascade: true },
    { signal: options.signal, onProgress: subProgress(options.onProgress, 0, 0.9) },
  );
  // pfstmo's normalisation: the 0.1 %…99.9 % percentile range of log luminance spans
  // DISPLAY_DECADES decades below display white (values outside clip in the display stage).
  const [lo, hi] = planePercentiles(x, 0.1, 99.9);
  const k = hi > lo ? DISPLAY_DECADES / (hi - lo) : 0;
  const lout = logL;
  for (let i = 0; i < lout.length; i++) {
    lout[i] = Math.exp((x[i] - hi) * k * Math.LN10);
  }
  throwIfAborted(options.signal);
  const rgb = colorFromLuminance(rgbOf(image), lum, lout, p.saturation);
  options.onProgress?.({ fraction: 1, message: 'Mantiuk 2006' });
  return { rgb, gamma: 'srgb' };
});
