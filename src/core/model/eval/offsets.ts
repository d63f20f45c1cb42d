/** Choosing the reference frame of a real bracket and matching its frames to EV offsets. */
import { basename } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { middleExposureIndex } from '../../hdr/bracket.js';

/** The offsets evaluated by default: ±1, ±2, ±3 stops. */
export const DEFAULT_OFFSETS: readonly number[] = [-3, -2, -1, 1, 2, 3];

/** Default tolerance of {@link matchOffsets}, in stops. */
export const DEFAULT_OFFSET_TOLERANCE = 0.1;

/** A frame found for a wanted offset. */
export interface OffsetMatch {
  /** The wanted (nominal) offset, in stops. */
  readonly offset: number;
  /** Index of the frame in the bracket. */
  readonly index: number;
  /** Its measured offset log2(t / t_ref), in stops. */
  readonly ev: number;
}

/**
 * Index of the reference frame: the file called `reference` (compared by base name, or as the
 * full path given), else the frame whose exposure time is the median (lower median for an even
 * count, see middleExposureIndex).
 * @param files - frame paths, in bracket order
 * @param times - exposure time per frame, seconds (> 0)
 * @throws InvalidInputError when `reference` names no frame (the message lists the frames)
 */
export function pickReference(
  files: readonly string[],
  times: readonly number[],
  reference?: string,
): number {
  if (reference === undefined) return middleExposureIndex(times);
  const wanted = basename(reference);
  let i = files.indexOf(reference);
  if (i < 0) i = files.findIndex((f) => basename(f) === wanted);
  if (i < 0) {
    throw new InvalidInputError(
      `Reference frame "${reference}" is not in the bracket (${files.map((f) => basename(f)).join(', ')})`,
    );
  }
  return i;
}

/**
 * For each wanted offset, the frame (other than the reference) whose measured offset
 * log2(t_i / t_ref) is within `tolerance` of it, the closest when several are.
 * @param times - exposure times, seconds (> 0)
 * @param ref - index of the reference frame
 * @param offsets - wanted offsets in stops (e.g. ±1, ±2, ±3)
 * @param tolerance - largest accepted |measured − wanted|, stops (≥ 0)
 * @returns the matches ascending by offset, and the offsets with no frame (ascending)
 */
export function matchOffsets(
  times: readonly number[],
  ref: number,
  offsets: readonly number[] = DEFAULT_OFFSETS,
  tolerance = DEFAULT_OFFSET_TOLERANCE,
): { matches: OffsetMatch[]; missing: number[] } {
  if (!(tolerance >= 0)) throw new InvalidInputError(`offset tolerance must be ≥ 0: ${tolerance}`);
  const tRef = times[ref];
  const matches: OffsetMatch[] = [];
  const missing: number[] = [];
  for (const offset of [...offsets].sort((a, b) => a - b)) {
    let best = -1;
    let bestErr = Infinity;
    let bestEv = 0;
    for (let i = 0; i < times.length; i++) {
      if (i === ref) continue;
      const ev = Math.log2(times[i] / tRef);
      const err = Math.abs(ev - offset);
      if (err <= tolerance && err < bestErr) {
        best = i;
        bestErr = err;
        bestEv = ev;
      }
    }
    if (best < 0) missing.push(offset);
    else matches.push({ offset, index: best, ev: bestEv });
  }
  return { matches, missing };
}
