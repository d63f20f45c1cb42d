/**
 * Evaluation of virtual-bracket predictors on one stack: per method and offset, PSNR and SSIM
 * of the predicted frame against the real one; then the HDR merge of each virtual bracket
 * against the real bracket's merge (or the ground truth), scale-aligned, in PSNR-μ and PU21.
 */
import { InvalidInputError } from '../../errors.js';
import { createLdr, type HdrImage, type LdrImage } from '../../image/image.js';
import type { Rect } from '../../image/tiles.js';
import { throwIfAborted, type JobOptions } from '../../job.js';
import { psnr } from '../../metrics/psnr.js';
import { ssim } from '../../metrics/ssim.js';
import { mergeOffsets, scoreHdr, WELL_EXPOSED } from './hdr-eval.js';
import { cropToRegion, validateRegion } from './region.js';
import type { FrameScore, OffsetRow, StackHdr, StackHdrScore, StackResult } from './results.js';
import type { EvalStack, FramePredictor } from './types.js';

/** The frames behind a stack's scores (inside the region), for side-by-side pictures. */
export interface StackFrames {
  readonly name: string;
  readonly reference: LdrImage;
  /** Offsets that have a real frame, ascending; the arrays below follow this order. */
  readonly offsets: readonly number[];
  readonly real: readonly LdrImage[];
  /** Predicted frames per method (values clamped to [0, 1]). */
  readonly predicted: Readonly<Record<string, readonly LdrImage[]>>;
}

/** Options of {@link evaluateStack}. */
export interface EvaluateOptions extends JobOptions {
  /** Evaluate only this rectangle of the frames (e.g. the held-out right half). */
  readonly region?: Rect;
  /**
   * Give the predictors only the region of the reference (default false: the whole reference,
   * then the predictions are cropped, so the predictor sees the full context).
   */
  readonly predictRegionOnly?: boolean;
  /** Score the HDR merges too (default true). */
  readonly hdr?: boolean;
  /** Reference-frame values counted as well exposed for the HDR scale alignment. */
  readonly wellExposed?: readonly [number, number];
  /**
   * Receives the frames (inside the region) once every method has predicted; giving it keeps
   * all predictions in memory until then.
   */
  readonly onFrames?: (frames: StackFrames) => void | Promise<void>;
}

/** Clamps a predictor's output to [0, 1] (NaN stays NaN, so the scores show it). */
function toFrame(data: Float32Array, like: LdrImage): LdrImage {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return createLdr(like.width, like.height, like.channels, out, 8);
}

async function predict(
  name: string,
  predictor: FramePredictor,
  input: LdrImage,
  evs: readonly number[],
  region: Rect | undefined,
): Promise<LdrImage[]> {
  const out = await predictor(input, [...evs]);
  if (!Array.isArray(out) || out.length !== evs.length) {
    throw new InvalidInputError(
      `predictor "${name}" returned ${Array.isArray(out) ? out.length : 0} frames for ${evs.length} offsets`,
    );
  }
  return out.map((data, i) => {
    if (!(data instanceof Float32Array) || data.length !== input.data.length) {
      throw new InvalidInputError(
        `predictor "${name}": frame ${i} (${evs[i]} EV) has ${data?.length ?? 0} samples, ` +
          `expected ${input.width}×${input.height}×${input.channels}`,
      );
    }
    return cropToRegion(toFrame(data, input), region);
  });
}

/**
 * Evaluates predictors on one stack.
 *
 * Every predictor gets the reference and the measured offsets of the stack's real frames;
 * each predicted frame is scored against the real one (PSNR with peak 1, SSIM) inside the
 * region. With `hdr` (default), the virtual bracket — reference plus predicted frames at times
 * t_ref·2^ev — is merged with the Debevec merge and the stack's own response; the HDR reference
 * is the stack's ground truth if it has one, else the real bracket (reference plus real frames)
 * merged the same way, so only the frames differ. Each virtual merge is scaled by the median
 * reference/virtual ratio over samples well exposed in the reference, then scored with PSNR-μ and
 * PU21 PSNR.
 * @param stack - reference, real frames, response (and optional ground truth)
 * @param predictors - methods by name (e.g. naive, oracle, model)
 * @returns a JSON-able result: one row per wanted offset (missing offsets have null scores)
 * @throws InvalidInputError for a region outside the frame or a predictor returning frames of
 *   the wrong number or size; CancelledError
 */
export async function evaluateStack(
  stack: EvalStack,
  predictors: Readonly<Record<string, FramePredictor>>,
  options: EvaluateOptions = {},
): Promise<StackResult> {
  const { region } = options;
  const full = stack.reference;
  if (region) validateRegion(region, full.width, full.height);
  const methods = Object.keys(predictors);
  const wellExposed = options.wellExposed ?? WELL_EXPOSED;
  const reference = cropToRegion(full, region);
  const input = options.predictRegionOnly ? reference : full;
  const cropAfter = options.predictRegionOnly ? undefined : region;
  const targets = [...stack.targets].sort((a, b) => a.offset - b.offset);
  const real = targets.map((t) => cropToRegion(t.frame, region));
  const evs = targets.map((t) => t.ev);
  const tRef = stack.referenceTime ?? 1;
  const doHdr = (options.hdr ?? true) && targets.length > 0;
  const steps = methods.length + (doHdr ? 1 : 0);

  let hdrRef: HdrImage | undefined;
  let realBracket: StackHdrScore | null = null;
  if (doHdr) {
    throwIfAborted(options.signal);
    const realMerge = mergeOffsets(reference, real, evs, stack.response, tRef, {
      signal: options.signal,
    });
    if (stack.hdrTruth) {
      hdrRef = cropToRegion(stack.hdrTruth, region);
      realBracket = scoreHdr(realMerge, hdrRef, reference, wellExposed);
    } else {
      hdrRef = realMerge;
    }
    options.onProgress?.({ fraction: 1 / steps, message: 'Merging the real bracket' });
  }

  const scores: Record<string, FrameScore>[] = targets.map(() => ({}));
  const hdrScores: Record<string, StackHdrScore> = {};
  const kept: Record<string, LdrImage[]> = {};
  for (let m = 0; m < methods.length; m++) {
    throwIfAborted(options.signal);
    const name = methods[m];
    const frames = targets.length
      ? await predict(name, predictors[name], input, evs, cropAfter)
      : [];
    for (let i = 0; i < frames.length; i++) {
      scores[i][name] = {
        psnr: psnr(frames[i], real[i], 1),
        ssim: ssim(frames[i], real[i], { signal: options.signal }),
      };
    }
    if (hdrRef) {
      const merged = mergeOffsets(reference, frames, evs, stack.response, tRef, {
        signal: options.signal,
      });
      hdrScores[name] = scoreHdr(merged, hdrRef, reference, wellExposed);
    }
    if (options.onFrames) kept[name] = frames;
    options.onProgress?.({
      fraction: (m + 1 + (doHdr ? 1 : 0)) / steps,
      message: `Evaluating ${name}`,
    });
  }

  const rows: OffsetRow[] = [
    ...targets.map((t, i) => ({
      offset: t.offset,
      ev: t.ev,
      file: t.file ?? null,
      scores: scores[i],
    })),
    ...stack.missing.map((offset) => ({ offset, ev: null, file: null, scores: null })),
  ].sort((a, b) => a.offset - b.offset);
  const hdr: StackHdr | null = hdrRef
    ? {
        reference: stack.hdrTruth ? 'ground-truth' : 'real-bracket',
        methods: hdrScores,
        realBracket,
      }
    : null;

  if (options.onFrames) {
    await options.onFrames({
      name: stack.name,
      reference,
      offsets: targets.map((t) => t.offset),
      real,
      predicted: kept,
    });
  }
  return {
    kind: 'stack',
    name: stack.name,
    width: reference.width,
    height: reference.height,
    region: region
      ? { x: region.x, y: region.y, width: region.width, height: region.height }
      : null,
    referenceFile: stack.referenceFile ?? null,
    referenceTime: stack.referenceTime ?? null,
    methods,
    rows,
    missing: [...stack.missing].sort((a, b) => a - b),
    hdr,
  };
}
