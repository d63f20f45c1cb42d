/**
 * Fattal, Lischinski & Werman 2002, "Gradient Domain High Dynamic Range Compression",
 * SIGGRAPH 2002.
 *
 * H = ln L. On a Gaussian pyramid H_k (down to 16–32 px) the gradient magnitude g_k (central
 * differences / 2^(k+1)) gives the attenuation φ_k = (α_k / g_k)·(g_k / α_k)^β with
 * α_k = alpha·0.1·mean(g_k); the full-resolution attenuation is Φ = Π_k upsample(φ_k) (bilinear,
 * coarse to fine). The attenuated field G = Φ·∇H (forward differences, Φ averaged over the two
 * pixels) is integrated by solving ∇²I = div G with Neumann boundaries (DCT solver, poisson.ts).
 * exp(I) is normalised linearly between its black-clip and white-clip percentiles (as pfstmo),
 * colour is C_out = (C/L)^s·L_out, and the result is sRGB-encoded. With `noise` > 0 the gradient
 * magnitude is offset by noise·α_k, which limits the boost of tiny (noisy) gradients.
 */
import type { OperatorMeta } from './operator.js';
import type { JobOptions } from '../job.js';
import { subProgress, throwIfAborted } from '../job.js';
import { resolveParams } from './params.js';
import { colorFromLuminance, rgbOf, safeLuminance, withDisplayStage } from './display.js';
import { logLuminance, planePercentiles } from './log-luminance.js';
import { downsample, halfSize, resampleBilinear } from './pyramid.js';
import { divergence, solvePoissonNeumann } from './poisson.js';

const meta: OperatorMeta = {
  id: 'fattal02',
  name: 'Fattal 2002 gradient domain compression',
  reference:
    'R. Fattal, D. Lischinski, M. Werman, "Gradient Domain High Dynamic Range Compression", ACM SIGGRAPH 2002.',
  kind: 'local',
  params: [
    {
      key: 'alpha',
      label: 'Alpha',
      unit: '×',
      min: 0.05,
      max: 10,
      default: 1,
      step: 0.05,
      description:
        'Gradient magnitude left unchanged, as a multiple of 0.1 × the mean gradient; larger gradients are compressed, smaller ones boosted.',
    },
    {
      key: 'beta',
      label: 'Beta',
      unit: '',
      min: 0.7,
      max: 1,
      default: 0.9,
      step: 0.01,
      description: 'Compression exponent: 1 leaves gradients unchanged, lower compresses more.',
    },
    {
      key: 'saturation',
      label: 'Colour saturation',
      unit: '',
      min: 0,
      max: 2,
      default: 0.8,
      step: 0.01,
      description: 'Exponent s in C_out = (C/L)^s·L_out; the paper uses 0.4–0.6, pfstmo 0.8.',
    },
    {
      key: 'noise',
      label: 'Noise reduction',
      unit: '× alpha',
      min: 0,
      max: 2,
      default: 0,
      step: 0.01,
      description:
        'Offsets gradient magnitudes by this multiple of alpha so faint noise is not amplified.',
    },
    {
      key: 'blackClip',
      label: 'Black clip',
      unit: '%',
      min: 0,
      max: 10,
      default: 0.1,
      step: 0.05,
      description: 'Percentage of the darkest pixels clipped to black.',
    },
    {
      key: 'whiteClip',
      label: 'White clip',
      unit: '%',
      min: 0,
      max: 10,
      default: 0.5,
      step: 0.05,
      description: 'Percentage of the brightest pixels clipped to white.',
    },
  ],
};

/** Attenuation φ_k of one level, written into `phi` (same size as h). */
function levelAttenuation(
  h: Float32Array,
  w: number,
  hh: number,
  level: number,
  p: Record<string, number>,
  phi: Float32Array,
): void {
  const inv = 1 / Math.pow(2, level + 1);
  let sum = 0;
  for (let y = 0; y < hh; y++) {
    const up = (y > 0 ? y - 1 : 0) * w;
    const dn = (y < hh - 1 ? y + 1 : y) * w;
    const o = y * w;
    for (let x = 0; x < w; x++) {
      const l = x > 0 ? x - 1 : 0;
      const r = x < w - 1 ? x + 1 : x;
      const gx = (h[o + r] - h[o + l]) * inv;
      const gy = (h[dn + x] - h[up + x]) * inv;
      const g = Math.sqrt(gx * gx + gy * gy);
      phi[o + x] = g;
      sum += g;
    }
  }
  const alpha = Math.max(1e-8, p.alpha * 0.1 * (sum / (w * hh)));
  const offset = Math.max(p.noise * alpha, 1e-4 * alpha);
  const e = p.beta - 1;
  const invA = 1 / alpha;
  for (let i = 0; i < phi.length; i++) {
    phi[i] = Math.exp(e * Math.log((phi[i] + offset) * invA));
  }
}

/** Operator "fattal02" (local). */
export const fattal02 = withDisplayStage(meta, (image, params, options: JobOptions = {}) => {
  const p = resolveParams(meta, params);
  const { width, height } = image;
  const report = (f: number): void => {
    throwIfAborted(options.signal);
    options.onProgress?.({ fraction: f, message: 'Fattal 2002' });
  };
  const lum = safeLuminance(image);
  const H = logLuminance(lum, Math.E, 1e-8);
  // Gaussian pyramid.
  const levels: { data: Float32Array; w: number; h: number }[] = [{ data: H, w: width, h: height }];
  for (;;) {
    const top = levels[levels.length - 1];
    if (Math.min(top.w, top.h) < 32) break;
    const d = new Float32Array(halfSize(top.w) * halfSize(top.h));
    downsample(top.data, top.w, top.h, d);
    levels.push({ data: d, w: halfSize(top.w), h: halfSize(top.h) });
  }
  report(0.1);
  // Attenuation, coarse to fine.
  let Phi: Float32Array | null = null;
  for (let k = levels.length - 1; k >= 0; k--) {
    const { data, w, h } = levels[k];
    const phi = new Float32Array(w * h);
    levelAttenuation(data, w, h, k, p, phi);
    if (Phi) {
      const prev = levels[k + 1];
      const up = resampleBilinear(Phi, prev.w, prev.h, w, h);
      for (let i = 0; i < phi.length; i++) phi[i] *= up[i];
    }
    Phi = phi;
    throwIfAborted(options.signal);
  }
  levels.length = 1;
  const phi0 = Phi as Float32Array;
  report(0.25);
  // Attenuated gradient field and its divergence.
  const gx = new Float32Array(width * height);
  const gy = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const i = o + x;
      if (x < width - 1) gx[i] = (H[i + 1] - H[i]) * 0.5 * (phi0[i] + phi0[i + 1]);
      if (y < height - 1) gy[i] = (H[i + width] - H[i]) * 0.5 * (phi0[i] + phi0[i + width]);
    }
  }
  const div = divergence(gx, gy, width, height);
  report(0.35);
  const I = solvePoissonNeumann(div, width, height, {
    signal: options.signal,
    onProgress: subProgress(options.onProgress, 0.35, 0.55),
  });
  // Normalise exp(I) between the clip percentiles.
  const [lo, hi] = planePercentiles(I, p.blackClip, 100 - p.whiteClip);
  const lmin = hi > lo ? Math.exp(lo - hi) : 0;
  const scale = 1 / (1 - lmin);
  const lout = gx;
  for (let i = 0; i < lout.length; i++) {
    const v = (Math.exp(Math.min(0, I[i] - hi)) - lmin) * scale;
    lout[i] = v > 0 ? v : 0;
  }
  report(0.95);
  const rgb = colorFromLuminance(rgbOf(image), lum, lout, p.saturation);
  report(1);
  return { rgb, gamma: 'srgb' };
});
