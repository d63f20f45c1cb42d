/**
 * Reinhard, Stark, Shirley & Ferwerda 2002, "Photographic Tone Reproduction for Digital Images",
 * SIGGRAPH 2002.
 *
 * Scaled luminance Ls = a·L/L̄ with L̄ = exp(mean(ln(δ + L))) (Eq. 1–2).
 * - Global (mode 0, Eq. 4): Ld = Ls·(1 + Ls/Lwhite²)/(1 + Ls). Lwhite is the `white` parameter in
 *   scaled units, or when 0 the `burn` percentile of Ls (100 = the maximum, the paper's choice).
 * - Local dodge-and-burn (mode 1, Eq. 5–9): centre/surround Gaussians at scales s = 1.6^i
 *   (i = 0…7, σ = s/(2√2)/√2 = s/4 px for the centre, 1.6× that for the surround, α₂ = 1.6·α₁),
 *   V = (V1 − V2)/(2^φ·a/s² + V1); per pixel the largest scale before |V| ≥ ε is kept and
 *   Ld = Ls/(1 + V1(s_m)). (`white`/`burn` do not apply in this mode.)
 * Colour: C = (C/L)^s·Ld. Blurs with σ > 1.6 px run on a 2×/4×/8× area-downsampled plane with
 * the Gaussian reduced to keep the same total variance, then bilinear upsampling (see blurAt).
 */
import type { OperatorMeta } from './operator.js';
import type { JobOptions } from '../job.js';
import { throwIfAborted } from '../job.js';
import { gaussianBlur } from '../image/filter.js';
import { resolveParams } from './params.js';
import type { HdrImage } from '../image/image.js';
import { colorFromLuminance, toneTable, withDisplayStage } from './display.js';
import {
  imageLogAverage,
  logAverage,
  luminanceStats,
  percentile,
  rgbOf,
  safeLuminance,
} from './scene-stats.js';

const meta: OperatorMeta = {
  id: 'reinhard02',
  name: 'Reinhard 2002 photographic',
  reference:
    'E. Reinhard, M. Stark, P. Shirley, J. Ferwerda, "Photographic Tone Reproduction for Digital Images", SIGGRAPH 2002.',
  kind: 'local',
  params: [
    {
      key: 'key',
      label: 'Key',
      unit: '',
      min: 0.01,
      max: 1,
      default: 0.18,
      step: 0.01,
      description: 'Key value a: the scene’s log-average maps to this (0.18 = middle grey).',
    },
    {
      key: 'mode',
      label: 'Local',
      unit: '',
      min: 0,
      max: 1,
      default: 0,
      step: 1,
      description: '0 = global curve; 1 = local dodge-and-burn (multiscale centre-surround).',
    },
    {
      key: 'white',
      label: 'White point',
      unit: '× key',
      min: 0,
      max: 1e6,
      default: 0,
      step: 0.1,
      description:
        'Smallest scaled luminance mapped to white (global mode); 0 = from the burn percentile.',
    },
    {
      key: 'burn',
      label: 'Burn percentile',
      unit: '%',
      min: 50,
      max: 100,
      default: 100,
      step: 0.1,
      description: 'With white = 0: percentile of scaled luminance taken as the white point.',
    },
    {
      key: 'phi',
      label: 'Sharpening',
      unit: '',
      min: 1,
      max: 20,
      default: 8,
      step: 0.1,
      description: 'Sharpening φ of the local scale selection (local mode).',
    },
    {
      key: 'epsilon',
      label: 'Threshold',
      unit: '',
      min: 0.01,
      max: 0.5,
      default: 0.05,
      step: 0.01,
      description: 'Centre-surround threshold ε of the local scale selection (local mode).',
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
  ],
};

/** Number of centre-surround scales (the paper's 8). */
const SCALES = 8;

/**
 * Gaussian blur of a plane; for σ > 1.6 px on a downsampled plane (factor f = 2, 4 or 8, the
 * largest leaving σ ≥ 0.6 px there), with σ reduced by the variance of the f×f area average,
 * (f² − 1)/12, and of the bilinear upsampling, ≈ f²/6, then bilinearly upsampled.
 */
export function blurAt(
  plane: Float32Array,
  width: number,
  height: number,
  sigma: number,
  pyramid: Map<number, { data: Float32Array; w: number; h: number }>,
): Float32Array {
  let f = 1;
  let low = sigma;
  for (const cand of [2, 4, 8]) {
    const v = sigma * sigma - (cand * cand - 1) / 12 - (cand * cand) / 6;
    if (v > 0 && Math.sqrt(v) / cand >= 0.6 && Math.min(width, height) >= 4 * cand) {
      f = cand;
      low = Math.sqrt(v) / cand;
    }
  }
  if (f === 1) return gaussianBlur(plane, width, height, sigma);
  let level = pyramid.get(f);
  if (!level) {
    level = areaDownsample(plane, width, height, f);
    pyramid.set(f, level);
  }
  const blurred = gaussianBlur(level.data, level.w, level.h, low);
  return bilinearUpsample(blurred, level.w, level.h, width, height, f);
}

/**
 * The global curve (Eq. 4) as a function of scene luminance: Ls = k·L, Ld = Ls·(1 + Ls/W²)/(1 + Ls).
 * @param k - key / log-average
 * @param white - white point W in scaled units (0 = none: Ld = Ls/(1 + Ls))
 */
export function reinhardGlobalCurve(k: number, white: number): (l: number) => number {
  const iw2 = white > 0 ? 1 / (white * white) : 0;
  return (l) => {
    const ls = k * l;
    return (ls * (1 + ls * iw2)) / (1 + ls);
  };
}

/** Operator "reinhard02": global curve (fused display stage) or local dodge-and-burn. */
export const reinhard02 = withDisplayStage(meta, (image, params, options: JobOptions = {}) => {
  const p = resolveParams(meta, params);
  const { width, height } = image;
  const rgb = rgbOf(image);
  const lmax = luminanceStats(image).max;
  if (!(lmax > 0)) return { rgb, gamma: 'srgb', scale: 0 };
  throwIfAborted(options.signal);
  const a = p.key;
  if (p.mode < 0.5) {
    const k = a / imageLogAverage(image, 1e-6 * lmax);
    const white = p.white > 0 ? p.white : k * percentileOf(image, p.burn, lmax);
    const table = toneTable(reinhardGlobalCurve(k, white), lmax);
    options.onProgress?.({ fraction: 1, message: 'Reinhard 2002' });
    return { rgb, gamma: 'srgb', tone: { table, lmax, saturation: p.saturation } };
  }
  const lum = safeLuminance(image);
  const k = a / logAverage(lum, 1e-6 * lmax);
  const ld = new Float32Array(lum.length);
  for (let i = 0; i < ld.length; i++) ld[i] = k * lum[i];
  localOperator(ld, width, height, a, p.phi, p.epsilon, options);
  throwIfAborted(options.signal);
  const out = colorFromLuminance(rgb, lum, ld, p.saturation);
  options.onProgress?.({ fraction: 1, message: 'Reinhard 2002' });
  return { rgb: out, gamma: 'srgb' };
});

/** The p-th percentile of an image's luminance (the exact maximum `lmax` for p = 100). */
function percentileOf(image: HdrImage, p: number, lmax: number): number {
  return p >= 100 ? lmax : percentile(safeLuminance(image), p);
}

/** Dodge-and-burn in place: ls (scaled luminance) becomes Ld = Ls/(1 + V1(s_m)). */
function localOperator(
  ls: Float32Array,
  width: number,
  height: number,
  a: number,
  phi: number,
  eps: number,
  options: JobOptions,
): void {
  const n = ls.length;
  const pyramid = new Map<number, { data: Float32Array; w: number; h: number }>();
  const sel = new Float32Array(n);
  const done = new Uint8Array(n);
  const sigmaOf = (i: number) => Math.pow(1.6, i) / 4;
  let v1 = blurAt(ls, width, height, sigmaOf(0), pyramid);
  sel.set(v1);
  const num = Math.pow(2, phi) * a;
  for (let i = 0; i < SCALES; i++) {
    throwIfAborted(options.signal);
    options.onProgress?.({ fraction: (0.9 * i) / SCALES, message: 'Reinhard 2002 local scales' });
    const v2 = blurAt(ls, width, height, sigmaOf(i + 1), pyramid);
    const s = Math.pow(1.6, i);
    const bias = num / (s * s);
    let active = 0;
    for (let j = 0; j < n; j++) {
      if (done[j]) continue;
      const c = v1[j];
      const v = (c - v2[j]) / (bias + c);
      if (v < eps && v > -eps) {
        sel[j] = c;
        active++;
      } else done[j] = 1;
    }
    v1 = v2;
    if (active === 0) break;
  }
  for (let j = 0; j < n; j++) ls[j] = ls[j] / (1 + sel[j]);
}

/** f×f area average (edge blocks average what they cover). */
function areaDownsample(
  plane: Float32Array,
  width: number,
  height: number,
  f: number,
): { data: Float32Array; w: number; h: number } {
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  const sum = new Float32Array(w * h);
  const cnt = new Float32Array(w * h);
  for (let y = 0; y < height; y++) {
    const row = ((y / f) | 0) * w;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const k = row + ((x / f) | 0);
      sum[k] += plane[o + x];
      cnt[k]++;
    }
  }
  for (let k = 0; k < sum.length; k++) sum[k] /= cnt[k];
  return { data: sum, w, h };
}

/** Bilinear upsampling by f with pixel centres aligned ((x + 0.5)/f − 0.5), edges clamped. */
function bilinearUpsample(
  low: Float32Array,
  w: number,
  h: number,
  width: number,
  height: number,
  f: number,
): Float32Array {
  const out = new Float32Array(width * height);
  const x0 = new Int32Array(width);
  const x1 = new Int32Array(width);
  const fx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const sx = Math.min(w - 1, Math.max(0, (x + 0.5) / f - 0.5));
    x0[x] = Math.floor(sx);
    x1[x] = Math.min(w - 1, x0[x] + 1);
    fx[x] = sx - x0[x];
  }
  for (let y = 0; y < height; y++) {
    const sy = Math.min(h - 1, Math.max(0, (y + 0.5) / f - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(h - 1, y0 + 1);
    const wy = sy - y0;
    const r0 = y0 * w;
    const r1 = y1 * w;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const a = low[r0 + x0[x]] + fx[x] * (low[r0 + x1[x]] - low[r0 + x0[x]]);
      const b = low[r1 + x0[x]] + fx[x] * (low[r1 + x1[x]] - low[r1 + x0[x]]);
      out[o + x] = a + wy * (b - a);
    }
  }
  return out;
}
