/**
 * Camera response recovery of Robertson, Borman & Stevenson, "Estimation-theoretic approach to
 * dynamic range enhancement using multiple exposures", J. Electronic Imaging 2003 — the iterative
 * scheme OpenCV's CalibrateRobertson implements.
 */
import { InvalidInputError } from '../errors.js';
import type { LdrImage } from '../image/image.js';
import { throwIfAborted, type JobOptions } from '../job.js';
import { validateBracket } from '../hdr/bracket.js';
import { repairMonotone } from './monotone.js';
import { RESPONSE_LEVELS, toCode, type InverseResponse } from './response.js';
import { gaussianWeights } from './weights.js';

/** Settings of {@link calibrateRobertson}. */
export interface RobertsonOptions {
  /** Maximum number of iterations (default 30, as OpenCV). */
  readonly maxIter?: number;
  /** Stop when Σ_z |f_new(z) − f_old(z)| (mean over channels) falls below this (default 0.01). */
  readonly threshold?: number;
  /**
   * At most this many pixels (a regular raster subsample) enter the estimation (default 32768);
   * the estimate converges long before this, and it bounds the run time on 12 MP frames.
   */
  readonly maxPixels?: number;
}

/** Robertson result: the inverse response plus diagnostics. */
export interface RobertsonResponse extends InverseResponse {
  /** Weighted RMS of ln f(Z_ij) − ln(Δt_j·x_i) over the used pixels (natural-log units). */
  readonly residual: number;
  /** Iterations run. */
  readonly iterations: number;
  /** Codes per channel changed by the monotonicity repair. */
  readonly repairedCodes: readonly number[];
}

const L = RESPONSE_LEVELS;
const MID = L >> 1;

/** Fills codes without observations by interpolation (extrapolation at the ends), in place. */
function fillUnobserved(f: Float64Array, count: Float64Array): void {
  let prev = -1;
  for (let z = 0; z < L; z++) {
    if (count[z] === 0) continue;
    if (prev >= 0 && z - prev > 1) {
      for (let k = prev + 1; k < z; k++)
        f[k] = f[prev] + ((f[z] - f[prev]) * (k - prev)) / (z - prev);
    }
    prev = z;
  }
  let first = 0;
  while (first < L && count[first] === 0) first++;
  if (first === L) return;
  for (let k = 0; k < first; k++) f[k] = (f[first] * (k + 1)) / (first + 1);
  if (prev < L - 1) {
    let before = prev - 1;
    while (before >= 0 && count[before] === 0) before--;
    const slope = before >= 0 ? Math.max(0, (f[prev] - f[before]) / (prev - before)) : 0;
    for (let k = prev + 1; k < L; k++) f[k] = f[prev] + slope * (k - prev);
  }
}

/**
 * Recovers the inverse camera response by Robertson's iteration: starting from a linear f
 * (f(z) = z/128), alternately (1) estimate each pixel's radiance
 * x_i = Σ_j w(Z_ij)·Δt_j·f(Z_ij) / Σ_j w(Z_ij)·Δt_j² and (2) set f(z) to the mean of Δt_j·x_i
 * over all observations with code z, then normalise f(128) = 1; stop at `maxIter` or when the
 * curve changes by less than `threshold`. Weights are {@link gaussianWeights}. Pixels clipped in
 * every frame are ignored; codes never observed are interpolated; the result is made strictly
 * increasing ({@link repairMonotone}).
 * @param frames - the bracket: encoded values in [0, 1], same size; codes z = round(v·255)
 * @param times - exposure time of each frame in seconds (> 0)
 * @returns inverse[c][z] = f(z) (relative exposure, = 1 at code 128), source "robertson"
 * @throws InvalidInputError for an invalid bracket
 */
export function calibrateRobertson(
  frames: readonly LdrImage[],
  times: readonly number[],
  settings: RobertsonOptions = {},
  options: JobOptions = {},
): RobertsonResponse {
  validateBracket({ frames, times });
  const maxIter = settings.maxIter ?? 30;
  const threshold = settings.threshold ?? 0.01;
  const maxPixels = settings.maxPixels ?? 32768;
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new InvalidInputError(`maxIter must be an integer ≥ 1, got ${maxIter}`);
  }
  if (!Number.isInteger(maxPixels) || maxPixels < 1) {
    throw new InvalidInputError(`maxPixels must be an integer ≥ 1, got ${maxPixels}`);
  }
  const { width, height, channels } = frames[0];
  const P = frames.length;
  const total = width * height;
  const stride = Math.max(1, Math.ceil(total / maxPixels));
  const np = Math.ceil(total / stride);
  const w = gaussianWeights();

  // codes[c][i·P + j]: pixel-major, so one sweep per pixel reads all its frames.
  const codes: Uint8Array[] = [];
  for (let c = 0; c < channels; c++) {
    const cc = new Uint8Array(P * np);
    for (let j = 0; j < P; j++) {
      const d = frames[j].data;
      for (let i = 0, p = c; i < np; i++, p += stride * channels) cc[i * P + j] = toCode(d[p]);
    }
    codes.push(cc);
  }

  const f = new Float64Array(L * channels);
  for (let c = 0; c < channels; c++) for (let z = 0; z < L; z++) f[c * L + z] = z / MID;
  const rad = new Float64Array(np);
  const wf = new Float64Array(P * L);
  const wt2 = new Float64Array(P * L);
  const acc = new Float64Array(L);
  const count = new Float64Array(L * channels);

  /**
   * One sweep over the pixels of channel c: radiance x_i from the current f (stored in `rad`)
   * and, when `update`, the accumulation of Δt_j·x_i per code into `acc`.
   */
  const sweep = (c: number, update: boolean): void => {
    for (let j = 0; j < P; j++) {
      const t = times[j];
      for (let z = 0; z < L; z++) {
        wf[j * L + z] = w[z] * t * f[c * L + z];
        wt2[j * L + z] = w[z] * t * t;
      }
    }
    const cc = codes[c];
    acc.fill(0);
    for (let i = 0, base = 0; i < np; i++, base += P) {
      let s = 0;
      let q = 0;
      for (let j = 0, k = 0; j < P; j++, k += L) {
        const z = cc[base + j];
        s += wf[k + z];
        q += wt2[k + z];
      }
      const x = q > 0 ? s / q : 0;
      rad[i] = x;
      if (update && x > 0) for (let j = 0; j < P; j++) acc[cc[base + j]] += times[j] * x;
    }
  };

  // Observation counts per code over pixels with some unclipped observation.
  for (let c = 0; c < channels; c++) {
    const cc = codes[c];
    let any = false;
    for (let i = 0, base = 0; i < np; i++, base += P) {
      let valid = false;
      for (let j = 0; j < P; j++) if (w[cc[base + j]] > 0) valid = true;
      if (!valid) continue;
      any = true;
      for (let j = 0; j < P; j++) count[c * L + cc[base + j]]++;
    }
    if (!any) throw new InvalidInputError(`Channel ${c}: every pixel is clipped in every frame`);
  }

  let iterations = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    throwIfAborted(options.signal);
    options.onProgress?.({ fraction: iter / maxIter, message: 'Calibrating response (Robertson)' });
    iterations = iter + 1;
    let diff = 0;
    for (let c = 0; c < channels; c++) {
      sweep(c, true);
      const cnt = count.subarray(c * L, c * L + L);
      for (let z = 0; z < L; z++) acc[z] = cnt[z] > 0 ? acc[z] / cnt[z] : 0;
      fillUnobserved(acc, cnt);
      const mid = acc[MID] > 0 ? acc[MID] : 1;
      for (let z = 0; z < L; z++) {
        const v = acc[z] / mid;
        diff += Math.abs(v - f[c * L + z]);
        f[c * L + z] = v;
      }
    }
    if (diff / channels < threshold) break;
  }

  // Residuals, monotone repair, output.
  const inverse: Float32Array[] = [];
  const repaired: number[] = [];
  let residualSum = 0;
  for (let c = 0; c < channels; c++) {
    sweep(c, false);
    const cc = codes[c];
    const logT = times.map((t) => Math.log(t));
    let rNum = 0;
    let rDen = 0;
    for (let i = 0, base = 0; i < np; i++, base += P) {
      if (!(rad[i] > 0)) continue;
      const lx = Math.log(rad[i]);
      for (let j = 0; j < P; j++) {
        const z = cc[base + j];
        const fz = f[c * L + z];
        if (w[z] > 0 && fz > 0) {
          const r = Math.log(fz) - logT[j] - lx;
          rNum += w[z] * r * r;
          rDen += w[z];
        }
      }
    }
    residualSum += rDen > 0 ? Math.sqrt(rNum / rDen) : 0;
    const cnt = count.subarray(c * L, c * L + L);
    let zLo = 0;
    while (zLo < L - 1 && cnt[zLo] === 0) zLo++;
    let zHi = L - 1;
    while (zHi > zLo && cnt[zHi] === 0) zHi--;
    const g = new Float64Array(L);
    for (let z = 0; z < L; z++) {
      const v = f[c * L + z];
      g[z] = v > 0 ? Math.log(v) : -Infinity;
    }
    // Codes whose value is 0 (e.g. only ever seen with zero radiance) count as unsupported.
    while (zLo < zHi && !Number.isFinite(g[zLo])) zLo++;
    for (let z = 0; z < zLo; z++) if (!Number.isFinite(g[z])) g[z] = g[zLo];
    repaired.push(repairMonotone(g, zLo, zHi));
    const shift = g[MID];
    const inv = new Float32Array(L);
    for (let z = 0; z < L; z++) inv[z] = Math.exp(g[z] - shift);
    inverse.push(inv);
  }
  options.onProgress?.({ fraction: 1, message: 'Calibrating response (Robertson)' });
  return {
    inverse,
    source: 'robertson',
    residual: residualSum / channels,
    iterations,
    repairedCodes: repaired,
  };
}
