/**
 * Drago, Myszkowski, Annen & Chiba 2003, "Adaptive Logarithmic Mapping For Displaying High
 * Contrast Scenes", Eurographics 2003.
 *
 *   Ld = (Ldmax·0.01 / log10(Lwmax + 1)) · ln(Lw + 1) / ln(2 + 8·(Lw/Lwmax)^(ln b / ln 0.5))
 *
 * with Lw the world luminance divided by the world adaptation luminance (the log-average, as in
 * pfstmo_drago03) and Lwmax the maximum of Lw. With Ldmax = 100 cd/m² the brightest pixel maps
 * exactly to 1. Differences from the references:
 * - OpenCV TonemapDrago has no Ldmax·0.01/log10 factor: it min/max-normalises the input and the
 *   result instead (so its output always spans [0, 1]); it applies a plain power gamma.
 * - pfstmo_drago03 is the formula above (Ldmax = 100) and leaves the display curve to
 *   pfsdisplayfunction; Luminance HDR computes the bias power on 3×3 tiles for speed (not here).
 * - Colour: C = (C/L)^s·Ld (OpenCV's saturation), then sRGB, or with paperGamma = 1 the paper's
 *   Rec. 709-style γ = 2.2 curve with a linear toe (Eq. 6–7: slope and start of the line tangent to
 *   1.099·x^(0.9/γ) − 0.099 through the origin; γ = 2 gives Rec. 709's 4.5 and 0.018).
 */
import type { OperatorMeta } from './operator.js';
import type { JobOptions } from '../job.js';
import { throwIfAborted } from '../job.js';
import { resolveParams } from './params.js';
import { toneTable, withDisplayStage } from './display.js';
import { imageLogAverage, luminanceStats, rgbOf } from './scene-stats.js';
import type { DisplayCurve } from './display.js';

const meta: OperatorMeta = {
  id: 'drago03',
  name: 'Drago 2003 adaptive logarithmic',
  reference:
    'F. Drago, K. Myszkowski, T. Annen, N. Chiba, "Adaptive Logarithmic Mapping For Displaying High Contrast Scenes", Eurographics 2003.',
  kind: 'global',
  params: [
    {
      key: 'bias',
      label: 'Bias',
      unit: '',
      min: 0.5,
      max: 1,
      default: 0.85,
      step: 0.01,
      description: 'Bias power b: lower values brighten and compress more; 0.85 per the paper.',
    },
    {
      key: 'ldmax',
      label: 'Display peak',
      unit: 'cd/m²',
      min: 10,
      max: 1000,
      default: 100,
      step: 1,
      description: 'Maximum display luminance Ldmax; 100 maps the brightest pixel to white.',
    },
    {
      key: 'saturation',
      label: 'Colour saturation',
      unit: '',
      min: 0,
      max: 2,
      default: 1,
      step: 0.01,
      description: 'Exponent s in C_out = (C/L)^s·Ld; 1 keeps colour ratios.',
    },
    {
      key: 'paperGamma',
      label: 'Paper gamma',
      unit: '',
      min: 0,
      max: 1,
      default: 0,
      step: 1,
      description: '0 = sRGB encoding; 1 = the paper’s γ 2.2 curve with a linear toe.',
    },
  ],
};

/**
 * The paper's gamma with a linear start: slope·x below `start`, 1.099·x^(0.9/γ) − 0.099 above,
 * the line being tangent to the power curve.
 * @param gamma - display gamma, > 0.9·… (typically 2.2)
 */
export function dragoGammaCurve(gamma = 2.2): DisplayCurve {
  const p = 0.9 / gamma;
  const start = Math.pow(0.099 / (1.099 * (1 - p)), 1 / p);
  const slope = (1.099 * Math.pow(start, p) - 0.099) / start;
  return (v) => (v <= start ? slope * v : 1.099 * Math.pow(v, p) - 0.099);
}

/**
 * The Drago curve as a function of scene luminance L (world adaptation luminance lwa, scene
 * maximum lmax): Ld = (Ldmax·0.01/log10(Lwmax + 1))·ln(Lw + 1)/ln(2 + 8·(Lw/Lwmax)^(ln b/ln 0.5)),
 * Lw = L/lwa, Lwmax = lmax/lwa.
 */
export function dragoCurve(
  lwa: number,
  lmax: number,
  bias: number,
  ldmax: number,
): (l: number) => number {
  const lwmax = lmax / lwa;
  const k = (ldmax * 0.01) / Math.log10(lwmax + 1);
  const p = Math.log(bias) / Math.log(0.5);
  return (l) => {
    const x = l / lmax;
    return x > 0 ? (k * Math.log1p(l / lwa)) / Math.log(2 + 8 * Math.pow(x, p)) : 0;
  };
}

/** Operator "drago03" (global): statistics in two read passes, then the fused display stage. */
export const drago03 = withDisplayStage(meta, (image, params, options: JobOptions = {}) => {
  const p = resolveParams(meta, params);
  const gamma = p.paperGamma >= 0.5 ? dragoGammaCurve(2.2) : 'srgb';
  const lmax = luminanceStats(image).max;
  throwIfAborted(options.signal);
  options.onProgress?.({ fraction: 0.3, message: 'Drago 2003' });
  const rgb = rgbOf(image);
  if (!(lmax > 0)) return { rgb, gamma, scale: 0 };
  const lwa = imageLogAverage(image, 1e-6 * lmax);
  options.onProgress?.({ fraction: 0.6, message: 'Drago 2003' });
  const table = toneTable(dragoCurve(lwa, lmax, p.bias, p.ldmax), lmax);
  return { rgb, gamma, tone: { table, lmax, saturation: p.saturation } };
});
