/** Checks shared by the response-calibration solvers. */
import { InvalidInputError } from '../errors.js';
import type { LdrImage } from '../image/image.js';

/**
 * Validates a bracket for calibration: ≥ 2 frames of one size and channel count, one finite
 * positive exposure time (seconds) per frame.
 * @throws InvalidInputError naming the offending frame
 */
export function checkBracket(frames: readonly LdrImage[], times: readonly number[]): void {
  if (frames.length < 2) {
    throw new InvalidInputError(`Calibration needs at least 2 frames, got ${frames.length}`);
  }
  if (times.length !== frames.length) {
    throw new InvalidInputError(`${times.length} exposure times for ${frames.length} frames`);
  }
  const { width, height, channels } = frames[0];
  frames.forEach((f, j) => {
    if (f.width !== width || f.height !== height || f.channels !== channels) {
      throw new InvalidInputError(
        `Frame ${j} is ${f.width}×${f.height}×${f.channels}, frame 0 is ${width}×${height}×${channels}`,
      );
    }
    const t = times[j];
    if (!Number.isFinite(t) || t <= 0) {
      throw new InvalidInputError(
        `Exposure time of frame ${j} is ${t}, expected a positive number`,
      );
    }
  });
}

/**
 * 8-bit code of an encoded value: round(v·255) clamped to 0…255; NaN gives 0.
 * @param v - encoded value, nominally in [0, 1]
 */
export function toCode(v: number): number {
  const z = Math.round(v * 255);
  return z >= 0 ? (z <= 255 ? z : 255) : 0;
}
