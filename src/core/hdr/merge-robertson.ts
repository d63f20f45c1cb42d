/**
 * Robertson, Borman & Stevenson (2003) radiance merge, as OpenCV's MergeRobertson:
 *
 *   E = Σ_i w(z_i)·Δt_i·f⁻¹(z_i) / Σ_i w(z_i)·Δt_i²
 *
 * per pixel and channel (the maximum-likelihood estimate for noise that grows with exposure),
 * with Robertson's Gaussian-like weight (see gaussianWeights in camera/weights.ts). Codes are
 * z = round(v·255). Pixels clipped in every frame: see {@link runMerge}.
 */
import type { HdrImage, LdrImage } from '../image/image.js';
import { RESPONSE_LEVELS, type InverseResponse } from '../camera/response.js';
import { validateBracket, validateResponse } from './bracket.js';
import { gaussianWeights } from '../camera/weights.js';
import { runMerge, type MergeOptions } from './merge-driver.js';
import { linearResponseLut } from './response-lut.js';

/**
 * Merges an exposure bracket into scene-linear radiance (Robertson weighted least squares).
 * @param frames - ≥ 2 LDR frames of equal size, encoded values in [0, 1] (quantised to 8 bits)
 * @param times - exposure time of each frame in seconds (positive, finite, not all equal)
 * @param response - inverse camera response (1 shared curve or one per channel)
 * @param options - deghost, signal, onProgress
 * @returns relative radiance (units of f⁻¹ per second), every value finite and > 0
 * @throws InvalidInputError for mismatched sizes, bad times or response; CancelledError
 */
export function mergeRobertson(
  frames: readonly LdrImage[],
  times: readonly number[],
  response: InverseResponse,
  options: MergeOptions = {},
): HdrImage {
  validateBracket({ frames, times });
  const channels = frames[0].channels;
  validateResponse(response, channels);
  const linear = linearResponseLut(response, channels);
  const w = Float32Array.from(gaussianWeights());
  const numLut = times.map((t) => {
    const lut = new Float32Array(linear.length);
    for (let k = 0; k < lut.length; k++) lut[k] = w[k % RESPONSE_LEVELS] * t * linear[k];
    return lut;
  });
  const denLut = times.map((t) => w.map((v) => v * t * t));
  return runMerge(
    frames,
    times,
    { numLut, denLut, logDomain: false, linear, label: 'Merging (Robertson)' },
    options,
  );
}
