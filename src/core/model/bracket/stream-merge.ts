/**
 * Debevec merge of a bracket kept as 8-bit codes (1 byte per sample instead of 4), for virtual
 * brackets of large photos: the response is calibrated on a point-sampled subset of the frames
 * (exact codes, no resampling), then the merge runs in row strips, each strip converted to
 * float frames only while it is merged. Peak memory: the codes, the output and one strip.
 */
import { calibrateDebevec } from '../../camera/debevec-calibrate.js';
import type { InverseResponse } from '../../camera/response.js';
import { mergeDebevec } from '../../hdr/merge-debevec.js';
import {
  codeToUnit,
  createHdr,
  createLdr,
  type HdrImage,
  type LdrCodes,
  type LdrImage,
} from '../../image/image.js';
import { InvalidInputError } from '../../errors.js';
import { throwIfAborted, type JobOptions } from '../../job.js';

/** A frame as 8-bit codes: width·height·3 interleaved values 0…255. */
export interface CodeFrame {
  readonly codes: Uint8Array;
  /** exposure time in seconds (only ratios matter) */
  readonly time: number;
}

/** Rounds [0, 1] samples to 8-bit codes (NaN → 0). */
export function toCodes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] * 255 + 0.5;
    out[i] = v > 0 ? (v < 255 ? v : 255) : 0;
  }
  return out;
}

/**
 * The photo's 8-bit codes for the merge: its own codes when it has 8 bits, else its 16-bit
 * values rounded as {@link toCodes} rounds them.
 */
export function photoCodes8(photo: LdrCodes): Uint8Array {
  if (photo.codes instanceof Uint8Array) return photo.codes;
  const unit = codeToUnit(16);
  const out = new Uint8Array(photo.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = unit[photo.codes[i]] * 255 + 0.5;
  return out;
}

function codesToFrame(codes: Uint8Array, width: number, height: number): LdrImage {
  const data = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) data[i] = codes[i] / 255;
  return createLdr(width, height, 3, data, 8);
}

/**
 * Calibrates the inverse response (Debevec) on a grid subsample of the frames: every `step`-th
 * pixel in both directions, with `step` chosen so the subsample has at most `maxPixels` pixels.
 * @param maxPixels - subsample size bound (default 262144 = 512²)
 */
export function calibrateOnCodes(
  frames: readonly CodeFrame[],
  width: number,
  height: number,
  maxPixels = 262_144,
  options: JobOptions = {},
): InverseResponse {
  const step = Math.max(1, Math.ceil(Math.sqrt((width * height) / maxPixels)));
  const sw = Math.ceil(width / step);
  const sh = Math.ceil(height / step);
  const small = frames.map((f) => {
    const data = new Float32Array(sw * sh * 3);
    let o = 0;
    for (let y = 0; y < height; y += step) {
      for (let x = 0; x < width; x += step) {
        const i = 3 * (y * width + x);
        data[o++] = f.codes[i] / 255;
        data[o++] = f.codes[i + 1] / 255;
        data[o++] = f.codes[i + 2] / 255;
      }
    }
    return createLdr(sw, sh, 3, data, 8);
  });
  return calibrateDebevec(
    small,
    frames.map((f) => f.time),
    {},
    options,
  );
}

/**
 * Merges code frames to scene-linear radiance with the Debevec merge, strip by strip (the merge
 * is per pixel, so strips give exactly the whole-image result).
 * @param stripRows - rows per strip (default 128)
 */
export function mergeCodeFrames(
  frames: readonly CodeFrame[],
  width: number,
  height: number,
  response: InverseResponse,
  stripRows = 128,
  options: JobOptions = {},
): HdrImage {
  if (frames.length < 2) throw new InvalidInputError('merging needs at least 2 frames');
  const times = frames.map((f) => f.time);
  const out = new Float32Array(width * height * 3);
  for (let y0 = 0; y0 < height; y0 += stripRows) {
    throwIfAborted(options.signal);
    const rows = Math.min(stripRows, height - y0);
    const a = y0 * width * 3;
    const b = (y0 + rows) * width * 3;
    const strip = frames.map((f) => codesToFrame(f.codes.subarray(a, b), width, rows));
    out.set(mergeDebevec(strip, times, response).data, a);
    options.onProgress?.({ fraction: (y0 + rows) / height, message: 'Merging (Debevec)' });
  }
  return createHdr(width, height, 3, out);
}
