/**
 * Mantiuk, Myszkowski & Seidel 2006, "A Perceptual Framework for Contrast Processing of High
 * Dynamic Range Images", ACM TAP 3(3) — contrast mapping.
 *
 * Contrasts are the log10-luminance differences G between neighbouring pixels on every level of a
 * Gaussian pyramid. Each is converted to the perceived response with the paper's transducer
 * fitted as in pfstmo, on the Weber fraction W = 10^|G| − 1:
 *   R = sign(G)·54.09288·W^0.41850,   inverse W = 7.2232·10⁻⁵·|R|^2.3895, G = log10(1 + W),
 * the response is scaled by the contrast factor l (R' = l·R; l = 1 is the identity), and the
 * luminance whose gradient pyramid best matches the mapped contrasts is found by conjugate
 * gradients (mantiuk06-solver.ts). The result is normalised between its 0.1 % / 99.9 %
 * percentiles (display-linear), colour is C_out = (C/L)^s·L_out, and the output is sRGB-encoded.
 */
import type { OperatorMeta } from './operator.js';
import type { JobOptions } from '../job.js';
import { subProgress, throwIfAborted } from '../job.js';
import { resolveParams } from './params.js';
import { colorFromLuminance, rgbOf, safeLuminance, withDisplayStage } from './display.js';
import { logLuminance, planePercentiles } from './log-luminance.js';
import { solveContrastPyramid } from './mantiuk06-solver.js';

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
      default: 100,
      step: 1,
      description:
        'Conjugate-gradient iteration cap per pyramid level: more is slower but more exact.',
    },
  ],
};

const T_GAIN = 54.09288;
const T_EXP = 0.4185;

/** Transducer R(G) on the Weber fraction (see module comment). @param g - log10 contrast */
export function contrastToResponse(g: number): number {
  const w = Math.pow(10, Math.abs(g)) - 1;
  const r = T_GAIN * Math.pow(w, T_EXP);
  return g < 0 ? -r : r;
}

/** Inverse of {@link contrastToResponse}. @returns log10 contrast */
export function responseToContrast(r: number): number {
  const w = Math.pow(Math.abs(r) / T_GAIN, 1 / T_EXP);
  const g = Math.log10(1 + w);
  return r < 0 ? -g : g;
}

/**
 * Gradient map of contrast mapping: G' = R⁻¹(l·R(d·G)) / d, written in closed form
 * W' = l^(1/0.4185)·W (no Math.pow per gradient beyond one exp/log pair).
 */
export function contrastMapping(contrast: number, detail = 1): (g: number) => number {
  const k = Math.pow(contrast, 1 / T_EXP);
  const ln10 = Math.LN10 * detail;
  const inv = 1 / ln10;
  return (g) => {
    const a = g < 0 ? -g : g;
    const gm = Math.log1p(k * Math.expm1(a * ln10)) * inv;
    return g < 0 ? -gm : gm;
  };
}

/** Operator "mantiuk06" (local). */
export const mantiuk06 = withDisplayStage(meta, (image, params, options: JobOptions = {}) => {
  const p = resolveParams(meta, params);
  const { width, height } = image;
  const lum = safeLuminance(image);
  const logL = logLuminance(lum, 10, 1e-8);
  throwIfAborted(options.signal);
  const map =
    p.contrast === 1 && p.detail === 1 ? undefined : contrastMapping(p.contrast, p.detail);
  const { x } = solveContrastPyramid(
    logL,
    width,
    height,
    { mapGradient: map, iterations: p.iterations },
    { signal: options.signal, onProgress: subProgress(options.onProgress, 0, 0.9) },
  );
  const [lo, hi] = planePercentiles(x, 0.1, 99.9);
  const lmin = hi > lo ? Math.pow(10, lo - hi) : 0;
  const scale = 1 / (1 - lmin);
  const lout = logL;
  for (let i = 0; i < lout.length; i++) {
    const v = (Math.exp(Math.min(0, x[i] - hi) * Math.LN10) - lmin) * scale;
    lout[i] = v > 0 ? v : 0;
  }
  throwIfAborted(options.signal);
  const rgb = colorFromLuminance(rgbOf(image), lum, lout, p.saturation);
  options.onProgress?.({ fraction: 1, message: 'Mantiuk 2006' });
  return { rgb, gamma: 'srgb' };
});
