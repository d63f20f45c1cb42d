/**
 * The HDR half of the evaluation: merge a bracket (reference + frames at known offsets) with the
 * Debevec merge, bring a merge to the scale of the HDR reference, and score it with PSNR-μ and
 * PU21 PSNR.
 */
import type { InverseResponse } from '../../camera/response.js';
import { InvalidInputError } from '../../errors.js';
import { mergeDebevec } from '../../hdr/merge-debevec.js';
import { createHdr, type HdrImage, type LdrImage } from '../../image/image.js';
import type { JobOptions } from '../../job.js';
import { muLawPsnr } from '../../metrics/mu-law-psnr.js';
import { pu21Psnr } from '../../metrics/pu21.js';
import type { StackHdrScore } from './results.js';

/** Encoded values of the reference frame counted as well exposed, default [0.1, 0.9]. */
export const WELL_EXPOSED: readonly [number, number] = [0.1, 0.9];

/** At most this many samples enter the median of {@link scaleToReference}. */
const MEDIAN_SAMPLES = 1 << 20;

/**
 * Debevec merge of a bracket made of the reference (time t_ref) and frames at offsets `evs`
 * (times t_ref·2^ev).
 * @param reference - the EV 0 frame
 * @param frames - frames at `evs`, same size
 * @param evs - offsets in stops, one per frame
 * @param response - inverse camera response used for every frame
 * @param tRef - reference exposure time, seconds (only scales the result); default 1
 */
export function mergeOffsets(
  reference: LdrImage,
  frames: readonly LdrImage[],
  evs: readonly number[],
  response: InverseResponse,
  tRef = 1,
  options: JobOptions = {},
): HdrImage {
  if (frames.length !== evs.length) {
    throw new InvalidInputError(`mergeOffsets: ${frames.length} frames for ${evs.length} offsets`);
  }
  return mergeDebevec(
    [reference, ...frames],
    [tRef, ...evs.map((ev) => tRef * 2 ** ev)],
    response,
    options,
  );
}

/**
 * Median of hdrRef / test over samples whose reference-frame value lies in `wellExposed`
 * (both radiances positive and finite), subsampled evenly to at most 2^20 samples; falls back
 * to all samples when none is well exposed, and to 1 when no ratio is usable.
 * @param test - HDR image to align
 * @param hdrRef - the HDR reference (same layout)
 * @param reference - the LDR reference frame deciding which samples are well exposed
 */
export function scaleToReference(
  test: HdrImage,
  hdrRef: HdrImage,
  reference: LdrImage,
  wellExposed: readonly [number, number] = WELL_EXPOSED,
): number {
  const n = test.data.length;
  if (hdrRef.data.length !== n || reference.data.length !== n) {
    throw new InvalidInputError('scaleToReference: images differ in size');
  }
  const stride = Math.max(1, Math.ceil(n / MEDIAN_SAMPLES));
  const ratios = new Float32Array(Math.ceil(n / stride));
  for (const strict of [true, false]) {
    let m = 0;
    for (let i = 0; i < n; i += stride) {
      const v = reference.data[i];
      if (strict && !(v >= wellExposed[0] && v <= wellExposed[1])) continue;
      const r = hdrRef.data[i] / test.data[i];
      if (r > 0 && r < Infinity && test.data[i] > 0) ratios[m++] = r;
    }
    if (m > 0) {
      const used = ratios.subarray(0, m).sort();
      return m % 2 === 1 ? used[m >> 1] : 0.5 * (used[(m >> 1) - 1] + used[m >> 1]);
    }
  }
  return 1;
}

/** A copy of an HDR image multiplied by `scale`. */
export function scaled(img: HdrImage, scale: number): HdrImage {
  const out = new Float32Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i] * scale;
  return createHdr(img.width, img.height, img.channels, out);
}

/**
 * Aligns `test` to the reference's scale ({@link scaleToReference}) and scores it: PSNR-μ
 * (μ = 5000, normalised by the reference's maximum) and PU21 PSNR (reference maximum at
 * 1000 cd/m²).
 */
export function scoreHdr(
  test: HdrImage,
  hdrRef: HdrImage,
  reference: LdrImage,
  wellExposed: readonly [number, number] = WELL_EXPOSED,
): StackHdrScore {
  const scale = scaleToReference(test, hdrRef, reference, wellExposed);
  const aligned = scale === 1 ? test : scaled(test, scale);
  return { muPsnr: muLawPsnr(aligned, hdrRef), pu21Psnr: pu21Psnr(aligned, hdrRef), scale };
}
