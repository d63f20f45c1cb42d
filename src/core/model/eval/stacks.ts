/**
 * Turning real brackets and synthetic held-out stacks into {@link EvalStack}s, and the baseline
 * predictors that go with a stack.
 */
import { basename } from 'node:path';
import { calibrateDebevec, type DebevecOptions } from '../../camera/debevec-calibrate.js';
import type { InverseResponse } from '../../camera/response.js';
import { InvalidInputError } from '../../errors.js';
import { createHdr, createLdr } from '../../image/image.js';
import type { JobOptions } from '../../job.js';
import { naiveSrgbPredictor, oracleCrfPredictor } from './baselines.js';
import type { RealStack } from './real-stack.js';
import type { EvalStack, FramePredictor } from './types.js';

/** How a stack's response is obtained. */
export interface StackResponseOptions {
  /** Use this inverse response instead of calibrating. */
  readonly response?: InverseResponse;
  /** Settings of the Debevec calibration on the stack's own frames. */
  readonly debevec?: DebevecOptions;
}

/**
 * An evaluation stack from a loaded real bracket: its reference and matched frames, and the
 * inverse response Debevec-calibrated on all of its frames (unless one is given).
 * @throws InvalidInputError when the calibration fails
 */
export function realEvalStack(
  stack: RealStack,
  settings: StackResponseOptions = {},
  options: JobOptions = {},
): EvalStack {
  const response =
    settings.response ?? calibrateDebevec(stack.frames, stack.times, settings.debevec, options);
  const ref = stack.referenceIndex;
  return {
    name: basename(stack.dir),
    reference: stack.frames[ref],
    referenceFile: basename(stack.files[ref]),
    referenceTime: stack.times[ref],
    targets: stack.matches.map((m) => ({
      offset: m.offset,
      ev: m.ev,
      frame: stack.frames[m.index],
      file: basename(stack.files[m.index]),
    })),
    missing: stack.missing,
    response,
  };
}

/**
 * The fields of a synthetic held-out stack the evaluation needs (SynthStack from
 * data/synth-stack.ts has them all).
 */
export interface SynthStackLike {
  readonly width: number;
  readonly height: number;
  /** EVs of the frames; one must be 0 (the reference). */
  readonly evs: readonly number[];
  /** One interleaved RGB frame per EV, values in [0, 1] (8-bit values). */
  readonly frames: readonly Float32Array[];
  /** Scene-linear ground truth at EV 0, interleaved RGB. */
  readonly linear: Float32Array;
  /** Source image, used in the stack's name. */
  readonly source?: string;
}

/**
 * An evaluation stack from a synthetic one: the EV 0 frame is the reference, every other EV a
 * target (offset = ev), the response is Debevec-calibrated on the stack's own frames (times
 * 2^ev) unless given, and the HDR ground truth is the stack's `linear`.
 * @param name - label for reports
 * @throws InvalidInputError without an EV 0 frame, for frames of the wrong size, or when the
 *   calibration fails
 */
export function synthEvalStack(
  s: SynthStackLike,
  name: string,
  settings: StackResponseOptions = {},
  options: JobOptions = {},
): EvalStack {
  const { width, height } = s;
  const n = width * height * 3;
  if (s.frames.length !== s.evs.length) {
    throw new InvalidInputError(`${name}: ${s.frames.length} frames for ${s.evs.length} EVs`);
  }
  if (s.linear.length !== n || s.frames.some((f) => f.length !== n)) {
    throw new InvalidInputError(`${name}: frames and linear image must be ${width}×${height}×3`);
  }
  const refIndex = s.evs.indexOf(0);
  if (refIndex < 0) throw new InvalidInputError(`${name}: no frame at EV 0 (the reference)`);
  const frames = s.frames.map((f) => createLdr(width, height, 3, f, 8));
  const response =
    settings.response ??
    calibrateDebevec(
      frames,
      s.evs.map((ev) => 2 ** ev),
      settings.debevec,
      options,
    );
  const targets = s.evs
    .map((ev, i) => ({ offset: ev, ev, frame: frames[i] }))
    .filter((_, i) => i !== refIndex)
    .sort((a, b) => a.offset - b.offset);
  return {
    name,
    reference: frames[refIndex],
    referenceTime: 1,
    targets,
    missing: [],
    response,
    hdrTruth: createHdr(width, height, 3, s.linear),
  };
}

/**
 * The two baselines for a stack: `naive` (sRGB scaling) and `oracle` (the stack's own
 * response, {@link oracleCrfPredictor}).
 */
export function baselinePredictors(stack: EvalStack): Record<string, FramePredictor> {
  return { naive: naiveSrgbPredictor(), oracle: oracleCrfPredictor(stack.response) };
}
