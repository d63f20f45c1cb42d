/**
 * The contrast-domain solver of Mantiuk, Myszkowski & Seidel 2006: find the log luminance x whose
 * multi-resolution gradients best match target gradients G'_k on every pyramid level k,
 *
 *   minimise Σ_k ‖∇ D^k x − G'_k‖²  ⇔  A x = b,  A = Σ_k (Dᵀ)^k ∇ᵀ∇ D^k,  b = Σ_k (Dᵀ)^k ∇ᵀ G'_k,
 *
 * with D the [1 3 3 1]/8 decimation of pyramid.ts (Dᵀ its exact adjoint, so A is symmetric
 * positive semi-definite with the constants as null space) and ∇ forward differences. A·x is
 * evaluated Horner-style (A_s x = L_s x + Dᵀ A_{s+1} D x) with preallocated level buffers, so the
 * conjugate-gradient loop allocates nothing. The solve is cascadic: the problem restricted to
 * levels ≥ s is solved at level s's resolution, its solution bilinearly upsampled as the initial
 * guess for level s − 1, down to full resolution (coarse errors are then already small, and CG only
 * has to fix the fine ones).
 */
import type { JobOptions } from '../job.js';
import { throwIfAborted } from '../job.js';
import { InvalidInputError } from '../errors.js';
import { downsample, downsampleAdjointAdd, halfSize, resampleBilinear } from './pyramid.js';

/** Options of {@link solveContrastPyramid}. */
export interface ContrastSolveOptions {
  /** Maps one forward-difference gradient (log10 units) to its target; default identity. */
  readonly mapGradient?: (g: number) => number;
  /** CG iteration cap per pyramid level (≥ 1). */
  readonly iterations: number;
  /** Stop when ‖r‖ ≤ tolerance·‖b‖ (default 1e-3). */
  readonly tolerance?: number;
  /** Smallest level side (default 8). */
  readonly minSize?: number;
  /** Called with the relative residual after each CG iteration at full resolution. */
  readonly onResidual?: (relative: number) => void;
}

interface Level {
  readonly w: number;
  readonly h: number;
}

/** out[i] = ∇ᵀ∇ u at one pixel, with the Neumann border terms. */
function negLaplacianAt(u: Float32Array, w: number, h: number, x: number, y: number): number {
  const i = y * w + x;
  const c = u[i];
  let s = 0;
  if (x > 0) s += c - u[i - 1];
  if (x < w - 1) s += c - u[i + 1];
  if (y > 0) s += c - u[i - w];
  if (y < h - 1) s += c - u[i + w];
  return s;
}

/** out = ∇ᵀ∇ u = −(Neumann Laplacian) u (branch-free interior, guarded border). */
function negLaplacian(u: Float32Array, w: number, h: number, out: Float32Array): void {
  if (w < 3 || h < 3) {
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) out[y * w + x] = negLaplacianAt(u, w, h, x, y);
    return;
  }
  for (let x = 0; x < w; x++) {
    out[x] = negLaplacianAt(u, w, h, x, 0);
    out[(h - 1) * w + x] = negLaplacianAt(u, w, h, x, h - 1);
  }
  for (let y = 1; y < h - 1; y++) {
    const o = y * w;
    out[o] = negLaplacianAt(u, w, h, 0, y);
    out[o + w - 1] = negLaplacianAt(u, w, h, w - 1, y);
    for (let i = o + 1; i < o + w - 1; i++) {
      out[i] = 4 * u[i] - u[i - 1] - u[i + 1] - u[i - w] - u[i + w];
    }
  }
}

/** out = ∇ᵀ G' for G' = map(∇ u) (forward differences, Neumann). */
function targetDivergence(
  u: Float32Array,
  w: number,
  h: number,
  map: ((g: number) => number) | undefined,
  out: Float32Array,
): void {
  out.fill(0);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      const i = o + x;
      if (x < w - 1) {
        const d = u[i + 1] - u[i];
        const g = map ? map(d) : d;
        out[i] -= g;
        out[i + 1] += g;
      }
      if (y < h - 1) {
        const d = u[i + w] - u[i];
        const g = map ? map(d) : d;
        out[i] -= g;
        out[i + w] += g;
      }
    }
  }
}

function dot(a: Float32Array, b: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/**
 * Solves for the log luminance whose gradient pyramid matches the mapped gradients of `logLum`.
 * With the identity map the answer is `logLum` itself (up to a constant).
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
  // u_k: pyramid buffers (u_0 is the CG direction, supplied per call); v_k: results.
  const u: Float32Array[] = levels.map((l, k) => new Float32Array(k === 0 ? 0 : l.w * l.h));
  const v: Float32Array[] = levels.map((l) => new Float32Array(l.w * l.h));
  // b_k = ∇ᵀG'_k + Dᵀ b_{k+1}, from the pyramid of logLum (built in u as scratch).
  const b: Float32Array[] = levels.map((l) => new Float32Array(l.w * l.h));
  {
    let cur = logLum;
    for (let k = 0; k <= K; k++) {
      const { w, h } = levels[k];
      if (k > 0) {
        downsample(cur, levels[k - 1].w, levels[k - 1].h, u[k], tmp);
        cur = u[k];
      }
      targetDivergence(cur, w, h, opts.mapGradient, b[k]);
    }
    for (let k = K - 1; k >= 0; k--) {
      downsampleAdjointAdd(b[k + 1], levels[k].w, levels[k].h, b[k], tmp);
    }
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
      negLaplacian(cur, w, h, k === s ? out : v[k]);
    }
    for (let k = K - 1; k >= s; k--) {
      downsampleAdjointAdd(v[k + 1], levels[k].w, levels[k].h, k === s ? out : v[k], tmp);
    }
  };
  let x: Float32Array = new Float32Array(levels[K].w * levels[K].h);
  let itsAtFull = 0;
  // Level-s CG vectors, allocated at full size once and used as prefixes.
  const r = new Float32Array(n0);
  const p = new Float32Array(n0);
  const ap = new Float32Array(n0);
  // Work estimate for progress: level s costs ∝ its size.
  const totalWork = levels.reduce((acc, l) => acc + l.w * l.h, 0);
  let doneWork = 0;
  for (let s = K; s >= 0; s--) {
    const { w, h } = levels[s];
    const n = w * h;
    if (s < K) x = resampleBilinear(x, levels[s + 1].w, levels[s + 1].h, w, h);
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
      for (let i = 0; i < n; i++) {
        x[i] += alpha * ps[i];
        r[i] -= alpha * aps[i];
      }
      const rrNew = dot(r, r, n);
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
