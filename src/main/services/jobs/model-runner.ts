/**
 * The model runtime behind bracket jobs, as an interface: the server runs it in a worker thread
 * (worker-runner.ts), tests and tools may run it in-process (in-process-runner.ts). This module
 * holds types only, so importing it never loads TensorFlow.js.
 */
import type { JobOptions } from '../../../core/job.js';
import type { RuntimeInfo } from '../../../shared/api/index.js';

/** A virtual bracket to render (paths already checked). */
export interface BracketSpec {
  readonly input: string;
  readonly evs: readonly number[];
  /** Folder the frames are written to (the job's staging folder). */
  readonly outDir: string;
  readonly format: 'tif16' | 'jpg';
  /** JPEG quality 1…100. */
  readonly quality: number;
  /** Installed model id. */
  readonly model: string;
  /** Also merge the frames (with the photo as EV 0) to this .exr/.hdr file (in `outDir`). */
  readonly mergeTo?: string;
  /**
   * Inverse response for the merge (the photo's camera profile: 1 or 3 curves of 256 codes);
   * absent: calibrated on the virtual frames.
   */
  readonly response?: {
    readonly inverse: readonly (readonly number[])[];
    readonly source: string;
    readonly residual: number;
  };
}

/** What the runtime rendered. */
export interface BracketOutput {
  readonly width: number;
  readonly height: number;
  /** Files in `spec.outDir`, in the order of `spec.evs`. */
  readonly frames: readonly { readonly ev: number; readonly file: string }[];
  /** The merged HDR, when `spec.mergeTo` was set. */
  readonly merged?: string;
  /** The response the merge used (`given`: `spec.response`). */
  readonly mergeResponse?: {
    readonly kind: 'given' | 'calibrated';
    readonly source: string;
    readonly residual?: number;
  };
  readonly model: { readonly id: string; readonly sha256: string };
  readonly backend: string;
  readonly renderMs: number;
  readonly totalMs: number;
}

/** Runs model work somewhere (a worker thread, or this thread). */
export interface ModelRunner {
  /** Starts the runtime if needed; resolves to its backend. */
  runtime(): Promise<RuntimeInfo>;
  /**
   * Renders and writes a bracket. Rejects with CancelledError when `options.signal` aborts
   * (frames already written stay in `spec.outDir`: the caller stages and cleans up).
   */
  bracket(spec: BracketSpec, options: JobOptions): Promise<BracketOutput>;
  /** Stops the runtime (in-flight work is abandoned). */
  close(): Promise<void>;
}
