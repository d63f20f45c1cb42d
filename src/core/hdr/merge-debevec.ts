/**
 * Debevec & Malik (1997) radiance merge, as OpenCV's MergeDebevec:
 *
 *   ln E = Σ_i w(z_i)·(ln f⁻¹(z_i) − ln Δt_i) / Σ_i w(z_i)
 *
 * per pixel and channel, with the hat weight w (0 at codes 0 and 255). Samples are quantised to
 * 8-bit codes z = round(v·255). Pixels clipped in every frame: see {@link runMerge}.
 */
import type { HdrImage, LdrImage } from '../image/image.js';
import { RESPONSE_LEVELS, type InverseResponse } from '../camera/response.js';
import { validateBracket, validateResponse } from './bracket.js';
import { hatWeights } from '../camera/weights.js';
import { runMerge, type MergeOptions } from './merge-driver.js';
import { linearResponseLut } from './response-lut.js';

export type { MergeOptions } from './merge-driver.js';

/**
 * Merges an exposure bracket into scene-linear radiance (Debevec–Malik, log-domain average).
 * @param frames - ≥ 2 LDR frames of equal size, encoded values in [0, 1] (quantised to 8 bits)
 * @param times - exposure time of each frame in seconds (positive, finite, not all equal)
 * @param response - inverse camera response (1 shared curve or one per channel)
 * @param options - deghost, signal, onProgress
 * @returns relative radiance (units of f⁻¹ per second), every value finite and > 0
 * @throws InvalidInputError for mismatched sizes, bad times or response; CancelledError
 */
export function mergeDebevec(
  frames: readonly LdrImage[],
  times: readonly number[],
  response: InverseResponse,
  options: MergeOptions = {},
): HdrImage {
  validateBracket({ frames, times });
  const channels = frames[0].channels;
  validateResponse(response, channels);
  const linear = linearResponseLut(response, channels);
  const w = Float32Array.from(hatWeights());
  const numLut = times.map((t) => {
    const lnT = Math.log(t);
    const lut = new Float32Array(linear.length);
    for (let k = 0; k < lut.length; k++) {
      lut[k] = w[k % RESPONSE_LEVELS] * (Math.log(linear[k]) - lnT);
    }
    return lut;
  });
  const denLut = times.map(() => w);
  return runMerge(
    frames,
    times,
    { numLut, denLut, logDomain: true, linear, label: 'Merging (Debevec)' },
    options,
  );
}
