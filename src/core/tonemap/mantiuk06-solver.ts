/**
 * The contrast-domain solver of Mantiuk, Myszkowski & Seidel 2006: find the log luminance x whose
 * multi-resolution gradients best match target gradients G'_k on every pyramid level k, in the
 * weighted least-squares sense of the paper (weights C_k per gradient, larger for small target
 * contrasts so that they are reproduced more faithfully):
 *
 *   minimise Σ_k Σ C_k (∇ D^k x − G'_k)²  ⇔  A x = b,
 *   A = Σ_k (Dᵀ)^k ∇ᵀ C_k ∇ D^k,  b = Σ_k (Dᵀ)^k ∇ᵀ C_k G'_k,
 *
 * with D the [1 3 3 1]/8 decimation of pyramid.ts (Dᵀ its exact adjoint, so A is symmetric
 * positive semi-definite with the constants as null space) and ∇ forward differences. Level k's
 * weights carry a factor 4^k so that every level counts equally (its pixels are 4^k times fewer),
 * as with the interpolating upsampler of the reference implementation. ∇ᵀ C ∇ is applied as one
 * fused, branch-free weighted-Laplacian pass (zero weights on the last column/row encode the
 * Neumann border). Conjugate gradients start from the input log luminance (as pfstmo does); with
 * `cascade` the problem restricted to levels ≥ s is first solved at level s's resolution and its
 * upsampled solution starts level s − 1.
 */
import type { JobOptions } from '../job.js';
import { throwIfAborted } from '../job.js';
import { InvalidInputError } from '../errors.js';
import { downsample, downsampleAdjointAdd, halfSize, resampleBilinear } from './pyramid.js';

/**
 * Tabulated gradient transfer: target G' and weight C as functions of |G| (log10 units) on a
 * uniform grid of `step`; beyond the table the last entry holds. Both odd/even extensions are
 * implied (G' is odd in G, C even).
 */
export interface GradientLut {
  readonly step: number;
  /** G'(|G|) ≥ 0, length n + 1. */
  readonly target: Float32Array;
  /** C(|G|)·G'(|G|), length n + 1. */
  readonly weightedTarget: Float32Array;
  /** C(|G|) > 0, length n + 1. */
  readonly weight: Float32Array;
}

/** Options of {@link solveContrastPyramid}. */
export interface ContrastSolveOptions {
  /** Gradient transfer; default identity with unit weights. */
  readonly lut?: GradientLut;
  /** CG iteration cap per level (≥ 1). */
  readonly iterations: number;
  /** Stop when ‖r‖ ≤ tolerance·‖b‖ (default 1e-3). */
  readonly tolerance?: number;
  /** Smallest level side (default 8). */
  readonly minSize?: number;
  /** Coarse-to-fine cascade (default false: one CG at full resolution from the input). */
  readonly cascade?: boolean;
  /** Called with the relative residual after each CG iteration at full resolution. */
  readonly onResidual?: (relative: number) => void;
}

interface Level {
  readonly w: number;
  readonly h: number;
}

/**
 * Weights cx/cy (scaled by `scale`) and out = ∇ᵀ(C·G'), from the forward differences of u.
 * cx of the last column and cy of the last row are 0.
 */
function levelSetup(
  u: Float32Array,
  w: number,
  h: number,
  lut: GradientLut | undefined,
  scale: number,
  cx: Float32Array,
  cy: Float32Array,
  out: Float32Array,
): void {
  out.fill(0);
  cx.fill(0);
  cy.fill(0);
  const n = w * h;
  const inv = lut ? 1 / lut.step : 0;
  const last = lut ? lut.target.length - 2 : 0;
  const wtT = lut?.weightedTarget;
  const wt = lut?.weight;
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      const i = o + x;
      for (let dir = 0; dir < 2; dir++) {
        const j = dir === 0 ? i + 1 : i + w;
        if (dir === 0 ? x === w - 1 : j >= n) continue;
        const d = u[j] - u[i];
        let c = scale;
        let g = d * scale;
        if (wtT && wt) {
          const a = (d < 0 ? -d : d) * inv;
          let k = a | 0;
          let t = a - k;
          if (k > last) {
            k = last;
            t = 1;
          }
          c = scale * (wt[k] + t * (wt[k + 1] - wt[k]));
          const cg = scale * (wtT[k] + t * (wtT[k + 1] - wtT[k]));
          g = d < 0 ? -cg : cg;
        }
        if (dir === 0) cx[i] = c;
        else cy[i] = c;
        out[i] -= g;
        out[j] += g;
      }
    }
  }
}

/** out[i] = (∇ᵀ C ∇ u)[i] with bounds checks (first/last rows and tiny planes). */
function guardedRange(
  u: Float32Array,
  cx: Float32Array,
  cy: Float32Array,
  w: number,
  n: number,
  from: number,
  to: number,
  out: Float32Array,
): void {
  for (let i = from; i < to; i++) {
    const c = u[i];
    let s = 0;
    if (i + 1 < n) s += cx[i] * (c - u[i + 1]);
    if (i > 0) s += cx[i - 1] * (c - u[i - 1]);
    if (i + w < n) s += cy[i] * (c - u[i + w]);
    if (i >= w) s += cy[i - w] * (c - u[i - w]);
    out[i] = s;
  }
}

/** out = ∇ᵀ C ∇ u (weighted Neumann Laplacian; branch-free on interior rows). */
function weightedLaplacian(
  u: Float32Array,
  cx: Float32Array,
  cy: Float32Array,
  w: number,
  h: number,
  out: Float32Array,
): void {
  const n = w * h;
  if (h < 3) {
    guardedRange(u, cx, cy, w, n, 0, n, out);
    return;
  }
  guardedRange(u, cx, cy, w, n, 0, w, out);
  fastRows(u, cx, cy, w, h, out);
  guardedRange(u, cx, cy, w, n, n - w, n, out);
}

/** Interior rows 1 … h−2 of {@link weightedLaplacian}; returns the first index of row h−1. */
function fastRows(
  u: Float32Array,
  cx: Float32Array,
  cy: Float32Array,
  w: number,
  h: number,
  out: Float32Array,
): number {
  const end = (h - 1) * w;
  for (let i = w; i < end; i++) {
    const c = u[i];
    out[i] =
      cx[i] * (c - u[i + 1]) +
      cx[i - 1] * (c - u[i - 1]) +
      cy[i] * (c - u[i + w]) +
      cy[i - w] * (c - u[i - w]);
  }
  return end;
}

function dot(a: Float32Array, b: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/**
 * Solves for the log luminance whose (weighted) gradient pyramid matches the transferred
 * gradients of `logLum`. With the identity transfer the answer is `logLum` itself.
 * @param logLum - log10 luminance, width·height finite values
 * @returns the solution (log10 units, arbitrary offset) and the number of CG iterations run at
 *   full resolution
 */
export function solveContrastPyramid(
  logLum: Float32Array,
  width: number,
  height: number,
  opts: ContrastSolveOptions,
  options: JobOptions = {},
): { x: Float32Array; iterations: number } {
  const n0 = width * height;
  if (logLum.length !== n0) throw new InvalidInputError('solveContrastPyramid: size mismatch');
  const minSize = opts.minSize ?? 8;
  const tol = opts.tolerance ?? 1e-3;
  const maxIt = Math.max(1, Math.floor(opts.iterations));
  const levels: Level[] = [{ w: width, h: height }];
  while (Math.min(levels[levels.length - 1].w, levels[levels.length - 1].h) >= 2 * minSize) {
    const l = levels[levels.length - 1];
    levels.push({ w: halfSize(l.w), h: halfSize(l.h) });
  }
  const K = levels.length - 1;
  const tmp = new Float32Array(halfSize(width) * height);
  // in_k: pyramid of logLum (k ≥ 1); u_k: scratch pyramid of the CG direction; v_k: results.
  const inp: Float32Array[] = levels.map((l, k) =>
    k === 0 ? logLum : new Float32Array(l.w * l.h),
  );
  const u: Float32Array[] = levels.map((l, k) => new Float32Array(k === 0 ? 0 : l.w * l.h));
  const v: Float32Array[] = levels.map((l, k) => new Float32Array(k === 0 ? 0 : l.w * l.h));
  const cx: Float32Array[] = levels.map((l) => new Float32Array(l.w * l.h));
  const cy: Float32Array[] = levels.map((l) => new Float32Array(l.w * l.h));
  // b_k = ∇ᵀ(C_k G'_k) + Dᵀ b_{k+1}.
  const b: Float32Array[] = levels.map((l) => new Float32Array(l.w * l.h));
  for (let k = 0; k <= K; k++) {
    const { w, h } = levels[k];
    if (k > 0) downsample(inp[k - 1], levels[k - 1].w, levels[k - 1].h, inp[k], tmp);
    levelSetup(inp[k], w, h, opts.lut, Math.pow(4, k), cx[k], cy[k], b[k]);
  }
  for (let k = K - 1; k >= 0; k--) {
    downsampleAdjointAdd(b[k + 1], levels[k].w, levels[k].h, b[k], tmp);
  }
  throwIfAborted(options.signal);
  const applyA = (s: number, p: Float32Array, out: Float32Array): void => {
    let cur = p;
    for (let k = s; k <= K; k++) {
      const { w, h } = levels[k];
      if (k > s) {
        downsample(cur, levels[k - 1].w, levels[k - 1].h, u[k], tmp);
        cur = u[k];
      }
      weightedLaplacian(cur, cx[k], cy[k], w, h, k === s ? out : v[k]);
    }
    for (let k = K - 1; k >= s; k--) {
      downsampleAdjointAdd(v[k + 1], levels[k].w, levels[k].h, k === s ? out : v[k], tmp);
    }
  };
  const r = new Float32Array(n0);
  const p = new Float32Array(n0);
  const ap = new Float32Array(n0);
  const first = opts.cascade ? K : 0;
  let x: Float32Array = Float32Array.from(inp[first]);
  let itsAtFull = 0;
  const totalWork = levels.reduce((acc, l, k) => (k <= first ? acc + l.w * l.h : acc), 0);
  let doneWork = 0;
  for (let s = first; s >= 0; s--) {
    const { w, h } = levels[s];
    const n = w * h;
    if (s < first) x = resampleBilinear(x, levels[s + 1].w, levels[s + 1].h, w, h);
    const bs = b[s];
    const ps = p.subarray(0, n);
    const aps = ap.subarray(0, n);
    applyA(s, x, aps);
    for (let i = 0; i < n; i++) r[i] = bs[i] - aps[i];
    ps.set(r.subarray(0, n));
    const bNorm = Math.sqrt(dot(bs, bs, n)) || 1;
    let rr = dot(r, r, n);
    let it = 0;
    while (it < maxIt && Math.sqrt(rr) > tol * bNorm) {
      throwIfAborted(options.signal);
      applyA(s, ps, aps);
      const pap = dot(ps, aps, n);
      if (!(pap > 0)) break;
      const alpha = rr / pap;
      let rrNew = 0;
      for (let i = 0; i < n; i++) {
        x[i] += alpha * ps[i];
        const ri = r[i] - alpha * aps[i];
        r[i] = ri;
        rrNew += ri * ri;
      }
      const beta = rrNew / rr;
      rr = rrNew;
      for (let i = 0; i < n; i++) ps[i] = r[i] + beta * ps[i];
      it++;
      if (s === 0) {
        opts.onResidual?.(Math.sqrt(rr) / bNorm);
        itsAtFull = it;
      }
      options.onProgress?.({
        fraction: Math.min(1, (doneWork + (n * it) / maxIt) / totalWork),
        message: 'Contrast solve',
      });
    }
    doneWork += n;
    options.onProgress?.({ fraction: doneWork / totalWork, message: 'Contrast solve' });
  }
  return { x, iterations: itsAtFull };
}
