/**
 * Validation of a fine-tune on the held-out region of every stack: from the full reference frame
 * (the predictor sees the whole photo), each ±1/±2/±3 offset the stack has is rendered, clamped
 * to [0, 1], cropped to the held-out region and scored with PSNR (peak 1) against the real
 * frame — the measurement of `bracketeer eval --stack DIR --right-half` (hold-out 0.5).
 */
import { createLdr, type LdrImage } from '../../image/image.js';
import { throwIfAborted, type JobOptions } from '../../job.js';
import { psnr } from '../../metrics/psnr.js';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import { cropToRegion } from '../eval/region.js';
import type { FramePredictor } from '../eval/types.js';
import { generateBracket } from '../inference/tiled-bracket.js';
import type { FinetuneStack } from './stack-data.js';

/** PSNR is capped here so that means stay finite (identical frames). */
export const PSNR_CAP_DB = 100;

/** A stack's held-out targets, cropped once. */
export interface HoldoutStack {
  readonly name: string;
  /** the full reference frame */
  readonly reference: LdrImage;
  readonly region: FinetuneStack['heldOut'];
  /** nominal offsets (e.g. −3…+3), their measured EVs and the real frames inside the region */
  readonly offsets: readonly number[];
  readonly evs: readonly number[];
  readonly targets: readonly LdrImage[];
}

/** Mean held-out PSNR per nominal offset over the stacks that have it, and their mean. */
export interface HoldoutScore {
  /** offset ("-3" … "3") → mean PSNR in dB */
  readonly perOffset: Readonly<Record<string, number>>;
  /** mean over the offsets of perOffset (dB) */
  readonly meanPsnr: number;
  /** per stack: offset → PSNR (dB) */
  readonly perStack: readonly {
    readonly name: string;
    readonly perOffset: Readonly<Record<string, number>>;
  }[];
}

/** The held-out targets of a prepared stack. */
export function holdoutStack(s: FinetuneStack): HoldoutStack {
  return {
    name: s.name,
    reference: s.frames[s.referenceIndex],
    region: s.heldOut,
    offsets: s.matches.map((m) => m.offset),
    evs: s.matches.map((m) => m.ev),
    targets: s.matches.map((m) => cropToRegion(s.frames[m.index], s.heldOut)),
  };
}

/** A predictor that renders with the model (tiled, as `bracketeer eval` does). */
export function modelPredictor(model: MultiExposureModel): FramePredictor {
  return async (reference, evs) => {
    const frames = await generateBracket(model, reference, evs);
    return frames.map((f) => f.data);
  };
}

function clamped(data: Float32Array, like: LdrImage): LdrImage {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return createLdr(like.width, like.height, like.channels, out, 8);
}

/**
 * Scores a predictor on the held-out regions.
 * @param predictorFor - the predictor of stack i (e.g. `() => model`, or each stack's oracle)
 * @returns per-offset means over the stacks (offsets no stack has are absent)
 */
export async function scoreHoldout(
  predictorFor: (stack: number) => FramePredictor,
  stacks: readonly HoldoutStack[],
  options: JobOptions = {},
): Promise<HoldoutScore> {
  const sums = new Map<number, { sum: number; n: number }>();
  const perStack: HoldoutScore['perStack'][number][] = [];
  for (let i = 0; i < stacks.length; i++) {
    const s = stacks[i];
    throwIfAborted(options.signal);
    const own: Record<string, number> = {};
    if (s.evs.length > 0) {
      const out = await predictorFor(i)(s.reference, [...s.evs]);
      s.offsets.forEach((offset, k) => {
        const frame = cropToRegion(clamped(out[k], s.reference), s.region);
        const v = Math.min(PSNR_CAP_DB, psnr(frame, s.targets[k], 1));
        own[String(offset)] = v;
        const acc = sums.get(offset) ?? { sum: 0, n: 0 };
        acc.sum += v;
        acc.n++;
        sums.set(offset, acc);
      });
    }
    perStack.push({ name: s.name, perOffset: own });
  }
  const perOffset: Record<string, number> = {};
  let total = 0;
  const keys = [...sums.keys()].sort((a, b) => a - b);
  for (const k of keys) {
    const { sum, n } = sums.get(k)!;
    perOffset[String(k)] = sum / n;
    total += sum / n;
  }
  return { perOffset, meanPsnr: keys.length ? total / keys.length : 0, perStack };
}
