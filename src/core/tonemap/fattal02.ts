/**
 * Fattal, Lischinski & Werman 2002, "Gradient Domain High Dynamic Range Compression",
 * SIGGRAPH 2002, with the conventions of pfstmo_fattal02 (FFT solver variant), whose defaults the
 * parameters reproduce.
 *
 * H = ln(100·(L − Lmin)/(Lmax − Lmin) + 10⁻⁴). On a Gaussian pyramid H_k (down to 8 px) the
 * gradient magnitude g_k (central differences / 2^(k+1)) gives the attenuation
 * φ_k = ((g_k + noise)/α_k)^(β − 1) with α_k = alpha·mean(g_k) (1 where g_k ≤ 10⁻⁴); levels finer
 * than `detailLevel` are left unattenuated (φ_k = 1; the coarsest level always counts). The full
 * resolution attenuation is Φ = Π_k upsample(φ_k) (bilinear, coarse to fine). The attenuated
 * field G = Φ·∇H (forward differences, Φ averaged over the two pixels) is integrated by solving
 * ∇²I = div G with Neumann boundaries (DCT solver, poisson.ts). exp(γ·I) is normalised linearly
 * between its black-clip and white-clip percentiles, colour is C_out = (C/L)^s·L_out, and the
 * result is sRGB-encoded.
 */
import type { OperatorMeta } from './operator.js';
import type { JobOptions } from '../job.js';
import { subProgress, throwIfAborted } from '../job.js';
import { resolveParams } from './params.js';
import { colorFromLuminance, rgbOf, safeLuminance, withDisplayStage } from './display.js';
import { planePercentiles } from './log-luminance.js';
import { downsample, halfSize, resampleBilinear } from './pyramid.js';
import { solvePoissonNeumann } from './poisson.js';

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
        'Gradient magnitude left unchanged, as a multiple of the mean gradient of each pyramid level (pfstmo convention); larger gradients are compressed, smaller ones boosted.',
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
      label: 'Noise floor',
      unit: 'ln',
      min: 0,
      max: 0.1,
      default: 0.002,
      step: 0.001,
      description:
        'Added to gradient magnitudes (natural-log units per pixel) so faint noise is not amplified.',
    },
    {
      key: 'gamma',
      label: 'Gamma',
      unit: '',
      min: 0.3,
      max: 1.5,
      default: 0.8,
      step: 0.01,
      description:
        'Global contrast of the result: L_out = exp(γ·I) before normalisation (pfstmo’s default 0.8).',
    },
    {
      key: 'detailLevel',
      label: 'Detail level',
      unit: 'levels',
      min: 0,
      max: 6,
      default: 3,
      step: 1,
      description:
        'Number of finest pyramid levels left unattenuated, so details within 2^n-pixel squares keep their contrast.',
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

const MIN_LEVEL_SIZE = 8;

/**
 * Gradient magnitudes of one level (central differences / 2^(level+1)) into `g`.
 * @returns their mean
 */
function levelGradients(
  h: Float32Array,
  w: number,
  hh: number,
  level: number,
  g: Float32Array,
): number {
  const inv = 1 / Math.pow(2, level + 1);
  let sum = 0;
  for (let y = 0; y < hh; y++) {
    const up = (y > 0 ? y - 1 : 0) * w;
    const dn = (y < hh - 1 ? y + 1 : y) * w;
    const o = y * w;
    let l = h[o];
    let c = h[o];
    for (let x = 0; x < w; x++) {
      const r = x < w - 1 ? h[o + x + 1] : c;
      const gx = (r - l) * inv;
      const gy = (h[dn + x] - h[up + x]) * inv;
      const m = Math.sqrt(gx * gx + gy * gy);
      g[o + x] = m;
      sum += m;
      l = c;
      c = r;
    }
  }
  return sum / (w * hh);
}

/**
 * In place: g → φ = ((g + noise)/α)^(β − 1) (1 where g ≤ 1e-4), via a table in ln((g+noise)/α).
 */
function attenuate(g: Float32Array, alpha: number, beta: number, noise: number): void {
  const e = beta - 1;
  const invA = 1 / alpha;
  if (e === 0) {
    g.fill(1);
    return;
  }
  // φ = exp(e·ln t), t = (g + noise)/α; tabulate over ln t ∈ [−30, 30] (exact to ~1e-6).
  const N = 8192;
  const LO = -30;
  const HI = 30;
  const step = (HI - LO) / N;
  const lut = new Float32Array(N + 2);
  for (let i = 0; i <= N + 1; i++) lut[i] = Math.exp(e * (LO + i * step));
  const invStep = 1 / step;
  for (let i = 0; i < g.length; i++) {
    const v = g[i];
    if (!(v > 1e-4)) {
      g[i] = 1;
      continue;
    }
    let a = (Math.log((v + noise) * invA) - LO) * invStep;
    if (a < 0) a = 0;
    else if (a > N) a = N;
    const k = a | 0;
    g[i] = lut[k] + (a - k) * (lut[k + 1] - lut[k]);
  }
}

/**
 * div(Φ·∇H) with forward differences and Φ averaged over each pixel pair (Neumann border), in
 * one pass; the divergence of a forward-difference field as in poisson.ts.
 */
function attenuatedDivergence(
  H: Float32Array,
  phi: Float32Array,
  w: number,
  h: number,
  out: Float32Array,
): void {
  out.fill(0);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    const last = y < h - 1;
    for (let x = 0; x < w; x++) {
      const i = o + x;
      const hc = H[i];
      const pc = phi[i];
      let d = out[i];
      if (x < w - 1) {
        const gx = (H[i + 1] - hc) * 0.5 * (pc + phi[i + 1]);
        d += gx;
        out[i + 1] -= gx;
      }
      if (last) {
        const gy = (H[i + w] - hc) * 0.5 * (pc + phi[i + w]);
        d += gy;
        out[i + w] -= gy;
      }
      out[i] = d;
    }
  }
}

/** Operator "fattal02" (local). */
export const fattal02 = withDisplayStage(meta, (image, params, options: JobOptions = {}) => {
  const p = resolveParams(meta, params);
  const { width, height } = image;
  const n = width * height;
  const report = (f: number): void => {
    throwIfAborted(options.signal);
    options.onProgress?.({ fraction: f, message: 'Fattal 2002' });
  };
  const lum = safeLuminance(image);
  // H = ln(100·(L − min)/(max − min) + 1e-4) (pfstmo's normalised log luminance).
  let lmin = Infinity;
  let lmax = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = lum[i];
    if (v < lmin) lmin = v;
    if (v > lmax) lmax = v;
  }
  const H = new Float32Array(n);
  const ks = lmax > lmin ? 100 / (lmax - lmin) : 0;
  for (let i = 0; i < n; i++) H[i] = Math.log((lum[i] - lmin) * ks + 1e-4);
  // Gaussian pyramid down to MIN_LEVEL_SIZE.
  const levels: { data: Float32Array; w: number; h: number }[] = [{ data: H, w: width, h: height }];
  for (;;) {
    const top = levels[levels.length - 1];
    if (Math.min(top.w, top.h) < 2 * MIN_LEVEL_SIZE) break;
    const d = new Float32Array(halfSize(top.w) * halfSize(top.h));
    downsample(top.data, top.w, top.h, d);
    levels.push({ data: d, w: halfSize(top.w), h: halfSize(top.h) });
  }
  report(0.1);
  // Attenuation, coarse to fine.
  const K = levels.length - 1;
  const detailLevel = Math.round(p.detailLevel);
  let Phi: Float32Array | null = null;
  for (let k = K; k >= 0; k--) {
    const { data, w, h } = levels[k];
    let phi: Float32Array;
    if (k >= detailLevel || k === K) {
      phi = new Float32Array(w * h);
      const mean = levelGradients(data, w, h, k, phi);
      attenuate(phi, Math.max(1e-8, p.alpha * mean), p.beta, p.noise);
      if (Phi) {
        const prev = levels[k + 1];
        const up = resampleBilinear(Phi, prev.w, prev.h, w, h);
        for (let i = 0; i < phi.length; i++) phi[i] *= up[i];
      }
    } else {
      const prev = levels[k + 1];
      phi = resampleBilinear(Phi as Float32Array, prev.w, prev.h, w, h);
    }
    Phi = phi;
    throwIfAborted(options.signal);
  }
  levels.length = 1;
  report(0.25);
  const div = new Float32Array(n);
  attenuatedDivergence(H, Phi as Float32Array, width, height, div);
  report(0.35);
  const I = solvePoissonNeumann(div, width, height, {
    signal: options.signal,
    onProgress: subProgress(options.onProgress, 0.35, 0.55),
  });
  // L = exp(γ·I), normalised linearly between the clip percentiles (monotone, so taken on I).
  const g = p.gamma;
  const [lo, hi] = planePercentiles(I, p.blackClip, 100 - p.whiteClip);
  const bottom = hi > lo ? Math.exp(g * (lo - hi)) : 0;
  const scale = 1 / (1 - bottom);
  const lout = div;
  for (let i = 0; i < n; i++) {
    const v = (Math.exp(g * (I[i] - hi)) - bottom) * scale;
    lout[i] = v > 0 ? v : 0;
  }
  report(0.95);
  const rgb = colorFromLuminance(rgbOf(image), lum, lout, p.saturation);
  report(1);
  return { rgb, gamma: 'srgb' };
});
