/**
 * Ghost mask of an aligned bracket: pixels where some frame's radiance (through the stack's own
 * response and exposure times) disagrees with the reference frame's by more than a tolerance —
 * something moved, or the alignment failed there. Training crops over such pixels would teach
 * the model a wrong exposure change, so crops with many of them are not sampled.
 *
 * The test is deghost.ts's (weight exp(−mean_c Δ_c²/(2σ²)), Δ_c = ln E_frame,c − ln E_ref,c)
 * with a narrower "comparable" code range: real cameras have a noise floor (Memorial's frames
 * sit at codes 16–20 where they are black) where a calibrated curve is steep and meaningless,
 * and deghost's 8…247 range flags ~90 % of such a stack as ghosts; 24…231 flags ~1 % per frame.
 */
import type { InverseResponse } from '../../camera/response.js';
import { toCode } from '../../camera/response.js';
import { InvalidInputError } from '../../errors.js';
import { logResponseLut } from '../../hdr/response-lut.js';
import type { LdrImage } from '../../image/image.js';
import { throwIfAborted, type JobOptions } from '../../job.js';

/** A pixel is a ghost when some frame's deghost weight falls below this. */
export const GHOST_WEIGHT_THRESHOLD = 0.5;

/** Codes compared (both frames' codes must lie in this range, per channel). */
export const GHOST_LOW_CODE = 24;
export const GHOST_HIGH_CODE = 231;

/**
 * Per pixel, 1 when some frame disagrees with the reference (weight exp(−mean_c Δ_c²/(2σ²))
 * < 0.5, i.e. RMS |Δ ln E| > 1.18·σ over the channels whose codes lie in 24…231 in both
 * frames), else 0. Pixels where no frame is comparable stay 0.
 * @param frames - aligned frames, same size, values in [0, 1]
 * @param times - exposure times in seconds, one per frame
 * @param response - the stack's inverse response
 * @param reference - index of the reference frame
 * @param sigma - tolerance in natural-log radiance units (> 0)
 * @returns width·height bytes
 */
export function ghostMask(
  frames: readonly LdrImage[],
  times: readonly number[],
  response: InverseResponse,
  reference: number,
  sigma: number,
  options: JobOptions = {},
): Uint8Array {
  if (!(sigma > 0) || !Number.isFinite(sigma)) {
    throw new InvalidInputError(`ghost tolerance σ ${sigma} must be positive and finite`);
  }
  const { width, height, channels } = frames[0];
  const lnX = logResponseLut(response, channels);
  const limit = -2 * sigma * sigma * Math.log(GHOST_WEIGHT_THRESHOLD);
  const n = width * height;
  const mask = new Uint8Array(n);
  const ref = frames[reference].data;
  for (let i = 0; i < frames.length; i++) {
    if (i === reference) continue;
    throwIfAborted(options.signal);
    const lnRatio = Math.log(times[i] / times[reference]);
    const data = frames[i].data;
    for (let p = 0, s = 0; p < n; p++) {
      let acc = 0;
      let m = 0;
      for (let c = 0; c < channels; c++, s++) {
        const zi = toCode(data[s]);
        const zr = toCode(ref[s]);
        if (zi < GHOST_LOW_CODE || zi > GHOST_HIGH_CODE) continue;
        if (zr < GHOST_LOW_CODE || zr > GHOST_HIGH_CODE) continue;
        const d = lnX[(c << 8) | zi] - lnX[(c << 8) | zr] - lnRatio;
        acc += d * d;
        m++;
      }
      // exp(−acc/m/(2σ²)) < threshold  ⇔  acc/m > −2σ²·ln(threshold)
      if (m > 0 && acc > limit * m) mask[p] = 1;
    }
  }
  return mask;
}

/**
 * Summed-area table of a byte mask: (width+1)·(height+1) counts, entry (y, x) = number of set
 * pixels above and left of (x, y).
 */
export function integralMask(mask: Uint8Array, width: number, height: number): Uint32Array {
  const w1 = width + 1;
  const sat = new Uint32Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += mask[y * width + x];
      sat[(y + 1) * w1 + x + 1] = sat[y * w1 + x + 1] + row;
    }
  }
  return sat;
}

/** Set pixels of the rectangle [x, x+w) × [y, y+h) from an {@link integralMask} table. */
export function rectCount(
  sat: Uint32Array,
  width: number,
  x: number,
  y: number,
  w: number,
  h: number,
): number {
  const w1 = width + 1;
  return sat[(y + h) * w1 + x + w] - sat[y * w1 + x + w] - sat[(y + h) * w1 + x] + sat[y * w1 + x];
}
