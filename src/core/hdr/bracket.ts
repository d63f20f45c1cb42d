/**
 * An exposure bracket: frames of one scene taken at different exposure times, plus validation
 * shared by every merge, fusion and alignment function in this folder.
 */
import { InvalidInputError } from '../errors.js';
import type { LdrImage } from '../image/image.js';
import { RESPONSE_LEVELS, type InverseResponse } from '../camera/response.js';

/** A bracket of LDR frames of the same scene. */
export interface Bracket {
  /** Frames, all the same size and channel count, encoded values in [0, 1]. */
  readonly frames: readonly LdrImage[];
  /** Exposure time of each frame in seconds (positive, finite), one per frame. */
  readonly times: readonly number[];
  /** Optional source file of each frame, used to name frames in error messages. */
  readonly files?: readonly string[];
}

function frameName(b: { files?: readonly string[] }, i: number): string {
  const f = b.files?.[i];
  return f ? `frame ${i} (${f})` : `frame ${i}`;
}

/**
 * Checks a set of frames: at least `minFrames`, same width × height × channels.
 * @throws InvalidInputError naming the offending frame index and sizes
 */
export function validateFrames(
  frames: readonly LdrImage[],
  minFrames = 1,
  files?: readonly string[],
): void {
  if (!Array.isArray(frames) || frames.length < minFrames) {
    throw new InvalidInputError(
      `Need at least ${minFrames} frame(s), got ${Array.isArray(frames) ? frames.length : 0}`,
    );
  }
  const f0 = frames[0];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (!f || !(f.data instanceof Float32Array)) {
      throw new InvalidInputError(`${frameName({ files }, i)} is not an image`);
    }
    if (f.data.length !== f.width * f.height * f.channels) {
      throw new InvalidInputError(
        `${frameName({ files }, i)} has a pixel buffer of the wrong length`,
      );
    }
    if (f.width !== f0.width || f.height !== f0.height || f.channels !== f0.channels) {
      throw new InvalidInputError(
        `${frameName({ files }, i)} is ${f.width}×${f.height}×${f.channels}, ` +
          `but frame 0 is ${f0.width}×${f0.height}×${f0.channels}: all frames must have the same size`,
      );
    }
  }
}

/**
 * Validates a bracket: ≥ 2 frames of the same size, one exposure time per frame, every time
 * positive and finite (seconds), and not all times equal.
 * @throws InvalidInputError with the reason (naming the frame index / file)
 */
export function validateBracket(b: Bracket): void {
  validateFrames(b.frames, 2, b.files);
  const { times } = b;
  if (!Array.isArray(times) || times.length !== b.frames.length) {
    throw new InvalidInputError(
      `Need one exposure time per frame: ${b.frames.length} frames but ${Array.isArray(times) ? times.length : 0} times`,
    );
  }
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) {
      throw new InvalidInputError(
        `${frameName(b, i)} has exposure time ${String(t)} s: must be positive and finite`,
      );
    }
  }
  if (times.every((t) => t === times[0])) {
    throw new InvalidInputError(
      `All ${times.length} frames have the same exposure time (${times[0]} s): not a bracket`,
    );
  }
}

/**
 * Validates an inverse response against a frame channel count: 1 curve (shared) or one per
 * channel, each with 256 finite, non-negative entries, at least one positive.
 * @throws InvalidInputError
 */
export function validateResponse(response: InverseResponse, channels: number): void {
  const inv = response?.inverse;
  if (!Array.isArray(inv) || (inv.length !== 1 && inv.length !== channels)) {
    throw new InvalidInputError(
      `Inverse response has ${Array.isArray(inv) ? inv.length : 0} curves; need 1 or ${channels}`,
    );
  }
  for (let c = 0; c < inv.length; c++) {
    const curve = inv[c];
    if (!curve || curve.length !== RESPONSE_LEVELS) {
      throw new InvalidInputError(
        `Inverse response curve ${c} has ${curve?.length ?? 0} entries; need ${RESPONSE_LEVELS}`,
      );
    }
    let positive = false;
    for (let z = 0; z < RESPONSE_LEVELS; z++) {
      const v = curve[z];
      if (!Number.isFinite(v) || v < 0) {
        throw new InvalidInputError(
          `Inverse response curve ${c} has an invalid value ${v} at code ${z}`,
        );
      }
      if (v > 0) positive = true;
    }
    if (!positive) throw new InvalidInputError(`Inverse response curve ${c} is all zero`);
  }
}

/**
 * Index of the middle exposure: frames sorted by time, the median one (lower median for an even
 * count). Used as the default reference for deghosting and alignment.
 */
export function middleExposureIndex(times: readonly number[]): number {
  const order = times.map((t, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  return order[(order.length - 1) >> 1];
}
