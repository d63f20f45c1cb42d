/**
 * Fast bilateral filter with the bilateral grid (Paris & Durand 2006; Chen, Paris & Durand 2007).
 *
 * The plane is splatted (trilinearly) into a coarse 3-D grid over (x, y, value) holding
 * homogeneous (Σ value, Σ weight) pairs, the grid is blurred with the separable binomial kernel
 * [1 4 6 4 1]/16 along each axis, and each pixel reads back (slices) the blurred ratio with
 * trilinear interpolation. Tent splat (variance 1/6 cell²) + binomial blur (1 cell²) + tent slice
 * (1/6 cell²) give a Gaussian-like kernel of variance 4/3 cell², so the cell sizes are chosen as
 * σ·√(3/4) to match the requested σs and σr. Cost O(N + grid size), independent of σs.
 */
import type { JobOptions } from '../job.js';
import { throwIfAborted } from '../job.js';
import { InvalidInputError } from '../errors.js';

const PAD = 2;
const CELL = Math.sqrt(3 / 4);

function blurAxis(src: Float32Array, dst: Float32Array, len: number, stride: number): void {
  const total = src.length;
  for (let i = 0; i < total; i++) {
    const c = Math.floor(i / stride) % len;
    let s = 6 * src[i];
    if (c >= 1) s += 4 * src[i - stride];
    if (c >= 2) s += src[i - 2 * stride];
    if (c + 1 < len) s += 4 * src[i + stride];
    if (c + 2 < len) s += src[i + 2 * stride];
    dst[i] = s * (1 / 16);
  }
}

/**
 * Edge-preserving smoothing of one plane.
 * @param plane - width·height finite samples (e.g. log10 luminance)
 * @param sigmaSpatial - spatial standard deviation in pixels (> 0; values below ≈1.2 px act as 1.2)
 * @param sigmaRange - range standard deviation in the plane's units (> 0)
 * @param options - abort signal checked per row block; progress 0…1
 * @returns a new filtered plane
 */
export function bilateralGrid(
  plane: Float32Array,
  width: number,
  height: number,
  sigmaSpatial: number,
  sigmaRange: number,
  options: JobOptions = {},
): Float32Array {
  const n = width * height;
  if (plane.length !== n) throw new InvalidInputError('bilateralGrid: plane size mismatch');
  if (!(sigmaSpatial > 0) || !(sigmaRange > 0)) {
    throw new InvalidInputError('bilateralGrid: sigmas must be positive');
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = plane[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo) || !Number.isFinite(hi - lo)) {
    throw new InvalidInputError('bilateralGrid: plane has no finite range');
  }
  const cs = Math.max(1, sigmaSpatial * CELL);
  const cr = sigmaRange * CELL;
  const gw = Math.floor((width - 1) / cs) + 2 + 2 * PAD;
  const gh = Math.floor((height - 1) / cs) + 2 + 2 * PAD;
  const gd = Math.floor((hi - lo) / cr) + 2 + 2 * PAD;
  const cells = gw * gh * gd;
  if (cells > 2e8) throw new InvalidInputError('bilateralGrid: grid too large; raise the sigmas');
  const val = new Float32Array(cells);
  const wt = new Float32Array(cells);
  const sx = gd;
  const sy = gw * gd;
  // Per-column grid coordinates.
  const ix = new Int32Array(width);
  const tx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const f = x / cs + PAD;
    ix[x] = f | 0;
    tx[x] = f - (f | 0);
  }
  const invCr = 1 / cr;
  const rowBlock = 64;
  for (let y = 0; y < height; y++) {
    if (y % rowBlock === 0) {
      throwIfAborted(options.signal);
      options.onProgress?.({ fraction: 0.45 * (y / height), message: 'Bilateral grid' });
    }
    const fy = y / cs + PAD;
    const iy = fy | 0;
    const ty = fy - iy;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const v = plane[o + x];
      const fz = (v - lo) * invCr + PAD;
      const iz = fz | 0;
      const tz = fz - iz;
      const t = tx[x];
      const b = iy * sy + ix[x] * sx + iz;
      const w00 = (1 - ty) * (1 - t);
      const w01 = (1 - ty) * t;
      const w10 = ty * (1 - t);
      const w11 = ty * t;
      let k = b;
      let a = w00 * (1 - tz);
      let c = w00 * tz;
      val[k] += a * v;
      wt[k] += a;
      val[k + 1] += c * v;
      wt[k + 1] += c;
      k = b + sx;
      a = w01 * (1 - tz);
      c = w01 * tz;
      val[k] += a * v;
      wt[k] += a;
      val[k + 1] += c * v;
      wt[k + 1] += c;
      k = b + sy;
      a = w10 * (1 - tz);
      c = w10 * tz;
      val[k] += a * v;
      wt[k] += a;
      val[k + 1] += c * v;
      wt[k + 1] += c;
      k = b + sy + sx;
      a = w11 * (1 - tz);
      c = w11 * tz;
      val[k] += a * v;
      wt[k] += a;
      val[k + 1] += c * v;
      wt[k + 1] += c;
    }
  }
  throwIfAborted(options.signal);
  const tmp = new Float32Array(cells);
  for (const g of [val, wt]) {
    blurAxis(g, tmp, gd, 1);
    blurAxis(tmp, g, gw, sx);
    blurAxis(g, tmp, gh, sy);
    g.set(tmp);
  }
  options.onProgress?.({ fraction: 0.55, message: 'Bilateral grid' });
  const out = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    if (y % rowBlock === 0) {
      throwIfAborted(options.signal);
      options.onProgress?.({ fraction: 0.55 + 0.45 * (y / height), message: 'Bilateral grid' });
    }
    const fy = y / cs + PAD;
    const iy = fy | 0;
    const ty = fy - iy;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const v = plane[o + x];
      const fz = (v - lo) * invCr + PAD;
      const iz = fz | 0;
      const tz = fz - iz;
      const t = tx[x];
      const b = iy * sy + ix[x] * sx + iz;
      const w00 = (1 - ty) * (1 - t);
      const w01 = (1 - ty) * t;
      const w10 = ty * (1 - t);
      const w11 = ty * t;
      const tz1 = 1 - tz;
      let k = b;
      let sv = w00 * (tz1 * val[k] + tz * val[k + 1]);
      let sw = w00 * (tz1 * wt[k] + tz * wt[k + 1]);
      k = b + sx;
      sv += w01 * (tz1 * val[k] + tz * val[k + 1]);
      sw += w01 * (tz1 * wt[k] + tz * wt[k + 1]);
      k = b + sy;
      sv += w10 * (tz1 * val[k] + tz * val[k + 1]);
      sw += w10 * (tz1 * wt[k] + tz * wt[k + 1]);
      k = b + sy + sx;
      sv += w11 * (tz1 * val[k] + tz * val[k + 1]);
      sw += w11 * (tz1 * wt[k] + tz * wt[k + 1]);
      out[o + x] = sw > 1e-20 ? sv / sw : v;
    }
  }
  options.onProgress?.({ fraction: 1, message: 'Bilateral grid' });
  return out;
}
