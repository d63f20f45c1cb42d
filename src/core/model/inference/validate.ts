/** Input checks for bracket generation: a finite 3-channel image and EVs within the model's range. */
import { InvalidInputError } from '../../errors.js';
import type { FloatImage, LdrCodes } from '../../image/image.js';
import { MAX_ABS_EV } from '../architectures/multi-exposure/model.js';

/**
 * Checks that `image` is a well-formed 3-channel image with finite samples (or, kept as codes,
 * with as many codes of its bit depth as pixels × 3). Finite values outside [0, 1] are accepted
 * (inference clamps them); NaN and ±Infinity are not.
 * @param what - name used in error messages (e.g. the file name)
 * @throws InvalidInputError naming the first bad sample and how many there are
 */
export function checkBracketImage(image: FloatImage | LdrCodes, what = 'input image'): void {
  const { width, height, channels } = image;
  if (channels !== 3) {
    throw new InvalidInputError(`${what}: expected 3 channels (RGB), got ${channels}`);
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidInputError(`${what}: invalid size ${width}×${height}`);
  }
  if ('codes' in image) {
    // integer codes are always finite and map into [0, 1]
    const { codes, bitDepth } = image;
    if (codes.length !== width * height * 3 || codes.BYTES_PER_ELEMENT !== bitDepth / 8) {
      throw new InvalidInputError(
        `${what}: ${codes.length} ${8 * codes.BYTES_PER_ELEMENT}-bit codes for ${width}×${height}×3 at ${bitDepth} bits`,
      );
    }
    return;
  }
  const { data } = image;
  if (data.length !== width * height * 3) {
    throw new InvalidInputError(
      `${what}: pixel buffer holds ${data.length} samples, expected ${width}×${height}×3`,
    );
  }
  let first = -1;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    // v - v is 0 for finite v and NaN for NaN and ±Infinity.
    const v = data[i];
    if (v - v !== 0) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count > 0) {
    const p = Math.floor(first / 3);
    throw new InvalidInputError(
      `${what}: ${count} sample${count === 1 ? ' is' : 's are'} not finite (first: ${data[first]} at x=${p % width}, y=${Math.floor(p / width)}, channel ${first % 3})`,
    );
  }
}

/**
 * Checks an EV list: each a finite number in [−MAX_ABS_EV, +MAX_ABS_EV] (±4 stops).
 * @throws InvalidInputError naming the bad entry
 */
export function checkEvs(evs: readonly number[]): void {
  for (let i = 0; i < evs.length; i++) {
    const ev = evs[i];
    if (typeof ev !== 'number' || !Number.isFinite(ev) || Math.abs(ev) > MAX_ABS_EV) {
      throw new InvalidInputError(
        `EV #${i + 1} (${String(ev)}) must be a finite number in [−${MAX_ABS_EV}, +${MAX_ABS_EV}]`,
      );
    }
  }
}

/**
 * Whether every sample lies in [0, 1], so that tiles can be copied without clamping.
 * @param data - samples (finite; see {@link checkBracketImage})
 */
export function inUnitRange(data: Float32Array): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < 0 || v > 1) return false;
  }
  return true;
}
