/**
 * Direct O(N log N) solver of the discrete Poisson equation ∇²u = f on a width×height grid with
 * Neumann (reflecting) boundaries — the equation of gradient-domain methods (Fattal et al. 2002).
 *
 * The 5-point Laplacian with mirrored ghost pixels (u[−1] = u[0], u[N] = u[N−1]) is diagonalised
 * by the 2-D type-II DCT with eigenvalues (2cos(πk/W) − 2) + (2cos(πl/H) − 2); the solve is
 * DCT → divide → inverse DCT, exact up to floating-point rounding. The constant mode is free; the
 * result has zero mean.
 */
import type { JobOptions } from '../job.js';
import { throwIfAborted } from '../job.js';
import { InvalidInputError } from '../errors.js';
import { DctPlan, dctRows } from './dct.js';

/** Transposes a w×h plane into an h×w plane (cache-blocked). */
export function transpose(src: Float32Array, dst: Float32Array, w: number, h: number): void {
  const B = 32;
  for (let y0 = 0; y0 < h; y0 += B) {
    const y1 = Math.min(h, y0 + B);
    for (let x0 = 0; x0 < w; x0 += B) {
      const x1 = Math.min(w, x0 + B);
      for (let y = y0; y < y1; y++) {
        const o = y * w;
        for (let x = x0; x < x1; x++) dst[x * h + y] = src[o + x];
      }
    }
  }
}

/**
 * Discrete Neumann Laplacian (5-point, mirrored ghost pixels) of a plane.
 * @returns a new plane; its sum is 0 up to rounding
 */
export function neumannLaplacian(u: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const i = o + x;
      const c = u[i];
      let s = 0;
      if (x > 0) s += u[i - 1] - c;
      if (x < width - 1) s += u[i + 1] - c;
      if (y > 0) s += u[i - width] - c;
      if (y < height - 1) s += u[i + width] - c;
      out[i] = s;
    }
  }
  return out;
}

/**
 * Divergence of a gradient field given by forward differences: gx[x] ≈ u[x+1] − u[x] (the last
 * column's gx and the last row's gy are ignored: Neumann boundary). div(∇u) = neumannLaplacian(u).
 * @returns a new plane
 */
export function divergence(
  gx: Float32Array,
  gy: Float32Array,
  width: number,
  height: number,
): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const i = o + x;
      let d = 0;
      if (x < width - 1) d += gx[i];
      if (x > 0) d -= gx[i - 1];
      if (y < height - 1) d += gy[i];
      if (y > 0) d -= gy[i - width];
      out[i] = d;
    }
  }
  return out;
}

/**
 * Solves ∇²u = f with Neumann boundaries (see the module comment) by DCT diagonalisation.
 * The mean of f (incompatible with Neumann boundaries) is ignored; u has zero mean.
 * @param rhs - f, width·height samples (NaN/Inf not allowed: they would spread everywhere)
 * @param options - signal is checked between passes; progress 0…1
 * @returns a new plane u
 */
export function solvePoissonNeumann(
  rhs: Float32Array,
  width: number,
  height: number,
  options: JobOptions = {},
): Float32Array {
  const n = width * height;
  if (rhs.length !== n) throw new InvalidInputError('solvePoissonNeumann: plane size mismatch');
  const report = (f: number): void => {
    throwIfAborted(options.signal);
    options.onProgress?.({ fraction: f, message: 'Poisson solve' });
  };
  const a = rhs.slice();
  const t = new Float32Array(n);
  const rowPlan = new DctPlan(width);
  const colPlan = height === width ? rowPlan : new DctPlan(height);
  report(0);
  dctRows(a, width, height, false, rowPlan);
  report(0.2);
  transpose(a, t, width, height);
  dctRows(t, height, width, false, colPlan);
  report(0.45);
  // t is height-fast: t[x·height + y] holds coefficient (k = x, l = y).
  const ly = new Float64Array(height);
  for (let l = 0; l < height; l++) ly[l] = 2 * Math.cos((Math.PI * l) / height) - 2;
  for (let k = 0; k < width; k++) {
    const lx = 2 * Math.cos((Math.PI * k) / width) - 2;
    const o = k * height;
    for (let l = 0; l < height; l++) {
      const lam = lx + ly[l];
      t[o + l] = lam < 0 ? t[o + l] / lam : 0;
    }
  }
  t[0] = 0;
  dctRows(t, height, width, true, colPlan);
  report(0.7);
  transpose(t, a, height, width);
  dctRows(a, width, height, true, rowPlan);
  report(1);
  return a;
}
