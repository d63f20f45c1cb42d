/**
 * Camera response recovery of Debevec & Malik, "Recovering High Dynamic Range Radiance Maps from
 * Photographs", SIGGRAPH 1997: a weighted linear least-squares fit of g = ln f⁻¹ per channel.
 */
import { InvalidInputError } from '../errors.js';
import type { LdrImage } from '../image/image.js';
import { throwIfAborted, type JobOptions } from '../job.js';
import { validateBracket } from '../hdr/bracket.js';
import { NormalEquations } from './least-squares.js';
import { repairMonotone } from './monotone.js';
import { RESPONSE_LEVELS, toCode, type InverseResponse } from './response.js';
import { samplePixels, type SampleMethod } from './sample-pixels.js';
import { hatWeights } from './weights.js';

/** Settings of {@link calibrateDebevec}. */
export interface DebevecOptions {
  /** Number of sample pixels N (≥ 2; default 70, as OpenCV). */
  readonly samples?: number;
  /** Smoothness weight λ on g'' (default 10, as OpenCV). */
  readonly lambda?: number;
  /** Sample placement (default 'stratified', see {@link samplePixels}). */
  readonly sampling?: SampleMethod;
}

/** Debevec result: the inverse response plus diagnostics. */
export interface DebevecResponse extends InverseResponse {
  /**
   * Weighted RMS of the data-term residuals g(Z_ij) − ln E_i − ln Δt_j (natural-log exposure
   * units, weights w(Z_ij)), averaged over channels.
   */
  readonly residual: number;
  /** Codes per channel changed by the monotonicity repair. */
  readonly repairedCodes: readonly number[];
  /** Sample pixels used (after dropping those clipped in every frame), per channel. */
  readonly samplesUsed: readonly number[];
}

const MID = RESPONSE_LEVELS >> 1;

/**
 * Recovers the inverse camera response from a bracket (Debevec & Malik 1997).
 *
 * Per channel it minimises, over g(0…255) and the log radiances ln E_i of N sample pixels,
 * Σ_ij [w(Z_ij)(g(Z_ij) − ln E_i − ln Δt_j)]² + Σ_z [λ·w(z)·g''(z)]² with g(128) = 0 and the hat
 * weights w, solving the normal equations in double precision by Cholesky (≈(256+N)² unknowns'
 * matrix, a few ms). Samples clipped in every frame are dropped. The fitted curve is then made
 * strictly increasing ({@link repairMonotone}): codes outside the data span are extrapolated
 * linearly, inversions clamped.
 * @param frames - the bracket: encoded values in [0, 1], same size; codes z = round(v·255)
 * @param times - exposure time of each frame in seconds (> 0); only ratios matter
 * @returns inverse[c][z] = exp(g(z)) (relative exposure, = 1 at code 128), source "debevec"
 * @throws InvalidInputError for an invalid bracket or data that do not constrain the curve
 */
export function calibrateDebevec(
  frames: readonly LdrImage[],
  times: readonly number[],
  settings: DebevecOptions = {},
  options: JobOptions = {},
): DebevecResponse {
  validateBracket({ frames, times });
  const samples = settings.samples ?? 70;
  const lambda = settings.lambda ?? 10;
  if (!Number.isInteger(samples) || samples < 2) {
    throw new InvalidInputError(`samples must be an integer ≥ 2, got ${samples}`);
  }
  if (!Number.isFinite(lambda) || lambda < 0) {
    throw new InvalidInputError(`lambda must be ≥ 0, got ${lambda}`);
  }
  throwIfAborted(options.signal);
  const { channels } = frames[0];
  const P = frames.length;
  const where = samplePixels(frames, samples, settings.sampling ?? 'stratified');
  const w = hatWeights();
  const logT = times.map((t) => Math.log(t));
  const inverse: Float32Array[] = [];
  const repaired: number[] = [];
  const used: number[] = [];
  let residualSum = 0;

  for (let c = 0; c < channels; c++) {
    throwIfAborted(options.signal);
    options.onProgress?.({ fraction: c / channels, message: 'Calibrating response (Debevec)' });
    // Codes of the samples, dropping those without any weighted observation.
    const codes: number[][] = [];
    for (let s = 0; s < where.length; s++) {
      const zs = frames.map((f) => toCode(f.data[where[s] * channels + c]));
      if (zs.some((z) => w[z] > 0)) codes.push(zs);
    }
    if (codes.length < 2) {
      throw new InvalidInputError(
        `Channel ${c}: fewer than 2 sample pixels are unclipped in some frame; the bracket does not constrain the response`,
      );
    }
    const N = codes.length;
    const eq = new NormalEquations(RESPONSE_LEVELS + N);
    const seen = new Int32Array(RESPONSE_LEVELS);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < P; j++) {
        const z = codes[i][j];
        const wz = w[z];
        if (wz === 0) continue;
        seen[z]++;
        eq.addPair(z, wz, RESPONSE_LEVELS + i, -wz, wz * logT[j]);
      }
    }
    // g(128) = 0, weighted like the strongest data row for good conditioning.
    eq.addRow([MID], [w[MID]], 0);
    for (let z = 1; z < RESPONSE_LEVELS - 1; z++) {
      const lw = lambda * w[z];
      if (lw > 0) eq.addRow([z - 1, z, z + 1], [lw, -2 * lw, lw], 0);
    }
    const x = eq.solve();
    const g = x.slice(0, RESPONSE_LEVELS);
    // Residuals of the data terms.
    let num = 0;
    let den = 0;
    for (let i = 0; i < N; i++) {
      const lnE = x[RESPONSE_LEVELS + i];
      for (let j = 0; j < P; j++) {
        const z = codes[i][j];
        const w2 = w[z] * w[z];
        const r = g[z] - lnE - logT[j];
        num += w2 * r * r;
        den += w2;
      }
    }
    residualSum += den > 0 ? Math.sqrt(num / den) : 0;
    let zLo = 0;
    while (zLo < RESPONSE_LEVELS - 1 && seen[zLo] === 0) zLo++;
    let zHi = RESPONSE_LEVELS - 1;
    while (zHi > zLo && seen[zHi] === 0) zHi--;
    repaired.push(repairMonotone(g, zLo, zHi));
    const shift = g[MID];
    const inv = new Float32Array(RESPONSE_LEVELS);
    for (let z = 0; z < RESPONSE_LEVELS; z++) inv[z] = Math.exp(g[z] - shift);
    inverse.push(inv);
    used.push(N);
  }
  options.onProgress?.({ fraction: 1, message: 'Calibrating response (Debevec)' });
  return {
    inverse,
    source: 'debevec',
    residual: residualSum / channels,
    repairedCodes: repaired,
    samplesUsed: used,
  };
}
