/**
 * Reference-based deghosting weights. For each frame, the radiance it records is compared with
 * the radiance the reference frame records at the same pixel (both through the inverse response
 * and their exposure times); where they disagree the frame probably saw something that moved,
 * so its merge weight is reduced:
 *
 *   g = exp(−mean_c(Δ_c²) / (2σ²)),  Δ_c = ln E_frame,c − ln E_ref,c,
 *
 * averaged over the channels where BOTH codes are well exposed (codes 8…247). Where no channel
 * is comparable (the reference or the frame clipped) g = 1: nothing can be said there, so the
 * ordinary merge weights decide. The reference frame always has g = 1.
 */
import { throwIfAborted, type JobOptions } from '../job.js';
import { InvalidInputError } from '../errors.js';
import type { LdrImage } from '../image/image.js';
import type { InverseResponse } from '../camera/response.js';
import { middleExposureIndex, validateBracket, validateResponse } from './bracket.js';
import { toCode } from '../camera/response.js';
import { logResponseLut } from './response-lut.js';

/** Deghosting settings. */
export interface DeghostOptions {
  /** Index of the reference frame (default: the middle exposure by time). */
  readonly reference?: number;
  /** Tolerance σ in natural-log radiance units (> 0, default 0.3 ≈ 0.43 stop). */
  readonly sigma?: number;
}

/** Lowest / highest code counted as well exposed when comparing against the reference. */
export const DEGHOST_LOW_CODE = 8;
export const DEGHOST_HIGH_CODE = 247;

/** Resolved deghost parameters (internal). */
export interface DeghostParams {
  readonly reference: number;
  readonly inv2s2: number;
}

/**
 * Resolves and validates deghost options for a bracket.
 * @throws InvalidInputError for a bad reference index or σ
 */
export function resolveDeghost(
  opt: boolean | DeghostOptions | undefined,
  times: readonly number[],
): DeghostParams | undefined {
  if (!opt) return undefined;
  const o: DeghostOptions = opt === true ? {} : opt;
  const reference = o.reference ?? middleExposureIndex(times);
  if (!Number.isInteger(reference) || reference < 0 || reference >= times.length) {
    throw new InvalidInputError(
      `Deghost reference ${reference} is not a frame index (0…${times.length - 1})`,
    );
  }
  const sigma = o.sigma ?? 0.3;
  if (!(sigma > 0) || !Number.isFinite(sigma)) {
    throw new InvalidInputError(`Deghost sigma ${sigma} must be positive and finite`);
  }
  return { reference, inv2s2: 1 / (2 * sigma * sigma) };
}

/**
 * Deghost weights for `count` pixels starting at pixel `start` (internal, allocation-free).
 * @param lnX - ln f⁻¹ per channel and code, channels·256 entries
 * @param lnRatio - ln(t_frame) − ln(t_ref)
 * @param out - receives `count` weights in [0, 1]
 */
export function deghostBlock(
  frame: Float32Array,
  ref: Float32Array,
  channels: number,
  start: number,
  count: number,
  lnX: Float32Array,
  lnRatio: number,
  inv2s2: number,
  out: Float32Array,
): void {
  let s = start * channels;
  for (let p = 0; p < count; p++) {
    let acc = 0;
    let n = 0;
    for (let c = 0; c < channels; c++, s++) {
      const zi = toCode(frame[s]);
      const zr = toCode(ref[s]);
      if (
        zi >= DEGHOST_LOW_CODE &&
        zi <= DEGHOST_HIGH_CODE &&
        zr >= DEGHOST_LOW_CODE &&
        zr <= DEGHOST_HIGH_CODE
      ) {
        const d = lnX[(c << 8) | zi] - lnX[(c << 8) | zr] - lnRatio;
        acc += d * d;
        n++;
      }
    }
    out[p] = n === 0 ? 1 : Math.exp((-acc / n) * inv2s2);
  }
}

/**
 * Full-size deghost weight maps, one per frame (the reference's is all ones): what
 * mergeDebevec / mergeRobertson multiply their weights by when `deghost` is set.
 * @param times - exposure times in seconds
 * @returns one Float32Array of width·height weights in [0, 1] per frame
 */
export function deghostWeights(
  frames: readonly LdrImage[],
  times: readonly number[],
  response: InverseResponse,
  deghost: DeghostOptions = {},
  options: JobOptions = {},
): Float32Array[] {
  validateBracket({ frames, times });
  const { width, height, channels } = frames[0];
  validateResponse(response, channels);
  const params = resolveDeghost(deghost, times)!;
  const lnX = logResponseLut(response, channels);
  const n = width * height;
  const lnRef = Math.log(times[params.reference]);
  return frames.map((f, i) => {
    throwIfAborted(options.signal);
    const out = new Float32Array(n);
    if (i === params.reference) out.fill(1);
    else {
      const lnRatio = Math.log(times[i]) - lnRef;
      const ref = frames[params.reference].data;
      deghostBlock(f.data, ref, channels, 0, n, lnX, lnRatio, params.inv2s2, out);
    }
    options.onProgress?.({ fraction: (i + 1) / frames.length, message: 'Deghosting' });
    return out;
  });
}
