/**
 * Durand & Dorsey 2002, "Fast Bilateral Filtering for the Display of High-Dynamic-Range Images",
 * SIGGRAPH 2002.
 *
 * In log10 luminance: base = bilateral(log L) (edge-preserving, via the bilateral grid),
 * detail = log L − base. As in pfstmo_durand02, the base layer is scaled by the compression
 * factor k that makes its robust range (1st…99th percentile) span log10(contrast) decades, the
 * 99th percentile is anchored at display white (the brightest 1 % of the base may clip),
 * the detail layer is added back (times a detail gain), and colour is restored with
 * C_out = (C/L)^s · L_out, where s = saturation · (1 + k₁)k^k₂ / (1 + k₁k^k₂), k₁ = 1.48,
 * k₂ = 0.82 (the colour correction of Mantiuk et al. 2009 for a contrast compression k).
 * Output is sRGB-encoded.
 */
import type { OperatorMeta } from './operator.js';
import type { JobOptions } from '../job.js';
import { subProgress, throwIfAborted } from '../job.js';
import { resolveParams } from './params.js';
import { colorFromLuminance, rgbOf, safeLuminance, withDisplayStage } from './display.js';
import { bilateralGrid } from './bilateral-grid.js';
import { logLuminance, planePercentiles } from './log-luminance.js';

const meta: OperatorMeta = {
  id: 'durand02',
  name: 'Durand 2002 fast bilateral filtering',
  reference:
    'F. Durand, J. Dorsey, "Fast Bilateral Filtering for the Display of High-Dynamic-Range Images", ACM SIGGRAPH 2002.',
  kind: 'local',
  params: [
    {
      key: 'sigmaSpatial',
      label: 'Spatial sigma',
      unit: '% of size',
      min: 0.2,
      max: 10,
      default: 2,
      step: 0.1,
      description:
        'Spatial extent of the bilateral filter as a percentage of the larger image side; the paper uses 2 %.',
    },
    {
      key: 'sigmaRange',
      label: 'Range sigma',
      unit: 'log10',
      min: 0.05,
      max: 2,
      default: 0.17,
      step: 0.01,
      description:
        'Edges stronger than about this many decades of luminance are kept out of the base layer; pfstmo’s 0.4 natural-log units ≈ 0.17 (the paper uses 0.4).',
    },
    {
      key: 'contrast',
      label: 'Base contrast',
      unit: ':1',
      min: 2,
      max: 1000,
      default: 148,
      step: 1,
      description:
        'Target contrast ratio of the compressed base layer (pfstmo’s default base contrast 5 in natural-log units, e^5 ≈ 148:1; the paper uses 5:1).',
    },
    {
      key: 'detail',
      label: 'Detail',
      unit: '×',
      min: 0,
      max: 3,
      default: 1,
      step: 0.05,
      description: 'Gain on the detail layer: 1 keeps it as in the scene, above 1 exaggerates it.',
    },
    {
      key: 'saturation',
      label: 'Colour saturation',
      unit: '',
      min: 0,
      max: 2,
      default: 1,
      step: 0.01,
      description:
        'Multiplies the automatic colour-correction exponent (which depends on the base compression); 0 is grey.',
    },
    {
      key: 'exposure',
      label: 'Exposure',
      unit: 'EV',
      min: -4,
      max: 4,
      default: 0,
      step: 0.1,
      description:
        'Brightness of the result; 0 puts the 99th percentile of the base layer at white.',
    },
  ],
};

/** Operator "durand02" (local). */
export const durand02 = withDisplayStage(meta, (image, params, options: JobOptions = {}) => {
  const p = resolveParams(meta, params);
  const { width, height } = image;
  const lum = safeLuminance(image);
  const logL = logLuminance(lum, 10, 1e-8);
  throwIfAborted(options.signal);
  const sigmaS = (p.sigmaSpatial / 100) * Math.max(width, height);
  const base = bilateralGrid(logL, width, height, sigmaS, p.sigmaRange, {
    signal: options.signal,
    onProgress: subProgress(options.onProgress, 0, 0.8),
  });
  const [bLo, bHi] = planePercentiles(base, 1, 99);
  const range = bHi - bLo;
  const k = range > 1e-6 ? Math.log10(p.contrast) / range : 1;
  const offset = -bHi * k + p.exposure * Math.LN2 * Math.LOG10E;
  const lout = new Float32Array(lum.length);
  const detail = p.detail;
  for (let i = 0; i < lout.length; i++) {
    const b = base[i];
    const v = b * k + (logL[i] - b) * detail + offset;
    lout[i] = Math.exp((v < 4 ? v : 4) * Math.LN10);
  }
  const kp = Math.pow(k, 0.82);
  const sat = (p.saturation * (2.48 * kp)) / (1 + 1.48 * kp);
  throwIfAborted(options.signal);
  const rgb = colorFromLuminance(rgbOf(image), lum, lout, sat);
  options.onProgress?.({ fraction: 1, message: 'Durand 2002' });
  return { rgb, gamma: 'srgb' };
});
