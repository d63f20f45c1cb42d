/**
 * Shared types of the virtual-bracket evaluation: the predictor callback (the model, or an
 * analytic baseline) and the stack it is evaluated on.
 */
import type { InverseResponse } from '../../camera/response.js';
import type { FloatImage, HdrImage, LdrImage } from '../../image/image.js';

/**
 * A virtual-bracket generator: from one reference frame, the frames at the given exposure
 * offsets. The neural model enters the evaluation only through this callback.
 * @param reference - 3-channel display-referred frame, values in [0, 1]
 * @param evs - exposure offsets in stops relative to the reference (2^ev × its exposure time)
 * @returns one interleaved buffer per ev, in the order of `evs`, same layout as
 *   `reference.data`, display-referred values in [0, 1]
 */
export type FramePredictor = (reference: FloatImage, evs: number[]) => Promise<Float32Array[]>;

/** One real frame the predictions are compared with. */
export interface EvalTarget {
  /** The nominal offset it stands for (e.g. −3…+3 stops). */
  readonly offset: number;
  /** The actual exposure offset log2(t/t_ref), the ev asked from the predictors. */
  readonly ev: number;
  /** The real frame (same size as the reference). */
  readonly frame: LdrImage;
  /** Its source file, where it came from one. */
  readonly file?: string;
}

/** A stack prepared for evaluation: a reference, the real frames around it and a response. */
export interface EvalStack {
  /** Label for reports (folder name, synthetic stack id…). */
  readonly name: string;
  /** The EV 0 frame every predictor starts from. */
  readonly reference: LdrImage;
  /** Its source file, where it came from one. */
  readonly referenceFile?: string;
  /** Its exposure time in seconds, where known (only ratios matter). */
  readonly referenceTime?: number;
  /** Real frames at the wanted offsets that exist, ascending by offset. */
  readonly targets: readonly EvalTarget[];
  /** Wanted offsets without a real frame. */
  readonly missing: readonly number[];
  /**
   * The stack's own inverse camera response (e.g. Debevec-calibrated on all its frames): used
   * to merge both the real and the virtual brackets, so that only the frames differ.
   */
  readonly response: InverseResponse;
  /**
   * Ground-truth scene-linear radiance (synthetic stacks), same size as the reference. Without
   * it the HDR reference is the merge of the real bracket.
   */
  readonly hdrTruth?: HdrImage;
}
