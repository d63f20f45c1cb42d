/**
 * The evaluation's result objects: plain data (numbers, strings, arrays, records), so they
 * serialise to JSON (see report.ts for the handling of ±Infinity / NaN scores).
 */
import type { Rect } from '../../image/tiles.js';

/** Scores of one predicted frame against the real one. */
export interface FrameScore {
  /** PSNR in dB, peak 1, over all pixels and channels; +Infinity for identical frames. */
  readonly psnr: number;
  /** Mean SSIM (per-channel mean, 11×11 Gaussian window), −1…1. */
  readonly ssim: number;
}

/** One wanted offset of one stack. */
export interface OffsetRow {
  /** Nominal offset in stops (e.g. −3…+3). */
  readonly offset: number;
  /** Measured offset asked from the predictors (stops), null when the offset is missing. */
  readonly ev: number | null;
  /** The real frame's file, where known. */
  readonly file: string | null;
  /** Scores per method, null when the stack has no frame at this offset. */
  readonly scores: Readonly<Record<string, FrameScore>> | null;
}

/** HDR scores of one virtual bracket's merge against the HDR reference. */
export interface HdrScore {
  /** PSNR-μ (μ = 5000, both normalised by the reference's maximum), dB. */
  readonly muPsnr: number;
  /** PU21 PSNR (reference maximum shown at 1000 cd/m²), dB. */
  readonly pu21Psnr: number;
}

/** {@link HdrScore} plus the factor that aligned the virtual merge's scale to the reference. */
export interface StackHdrScore extends HdrScore {
  /** Median of reference / virtual over samples well exposed in the reference frame. */
  readonly scale: number;
}

/** What the virtual brackets' merges are compared with. */
export type HdrReferenceKind = 'real-bracket' | 'ground-truth';

/** The HDR block of a stack result. */
export interface StackHdr {
  /**
   * 'real-bracket': the Debevec merge of the reference and the real frames at the same
   * offsets, with the same response; 'ground-truth': the stack's scene-linear image.
   */
  readonly reference: HdrReferenceKind;
  /** Per method. */
  readonly methods: Readonly<Record<string, StackHdrScore>>;
  /** With a ground truth: the real bracket's merge scored the same way (a ceiling), else null. */
  readonly realBracket: StackHdrScore | null;
}

/** Evaluation of one stack. */
export interface StackResult {
  readonly kind: 'stack';
  readonly name: string;
  /** Size of the evaluated area (the region, or the whole frame), pixels. */
  readonly width: number;
  readonly height: number;
  /** The evaluated rectangle, null for the whole frame. */
  readonly region: Rect | null;
  readonly referenceFile: string | null;
  /** Reference exposure time, seconds, null when unknown. */
  readonly referenceTime: number | null;
  /** Method names, in the order the predictors were given. */
  readonly methods: readonly string[];
  /** One row per wanted offset, ascending. */
  readonly rows: readonly OffsetRow[];
  /** Wanted offsets without a real frame. */
  readonly missing: readonly number[];
  /** HDR scores, null when disabled or with no real frame to bracket. */
  readonly hdr: StackHdr | null;
}

/** Mean scores of one offset over the stacks that have it. */
export interface AggregateRow {
  readonly offset: number;
  /** Number of stacks averaged. */
  readonly n: number;
  /** Mean per method, null when no stack has this offset. */
  readonly scores: Readonly<Record<string, FrameScore>> | null;
}

/** Mean HDR scores over the stacks. */
export interface AggregateHdr {
  readonly reference: HdrReferenceKind;
  readonly n: number;
  readonly methods: Readonly<Record<string, HdrScore>>;
  readonly realBracket: HdrScore | null;
}

/** Means over several stacks (arithmetic; one +Infinity PSNR makes the mean +Infinity). */
export interface AggregateResult {
  readonly kind: 'aggregate';
  readonly name: string;
  /** Number of stacks evaluated. */
  readonly count: number;
  readonly stacks: readonly string[];
  readonly methods: readonly string[];
  readonly rows: readonly AggregateRow[];
  readonly hdr: AggregateHdr | null;
  /** Stacks that could not be evaluated, with the reason. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}
