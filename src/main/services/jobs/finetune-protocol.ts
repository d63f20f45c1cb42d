/**
 * Messages between the server and the fine-tuning worker thread (finetune-worker.ts): one job
 * at a time; training events cross as small plain objects (no tensors), throttled in the worker.
 */
import type { FinetuneSettings } from '../../../core/model/finetune/index.js';
import type { FinetuneProgressEvent } from '../../../shared/api/index.js';
import type { CropSet } from './finetune-crops.js';

/** What a fine-tuning job trains. */
export interface FinetuneSpec {
  /** Stack folders and/or photo files. */
  readonly inputs: readonly string[];
  /** Base model id. */
  readonly from: string;
  /** New model id. */
  readonly id: string;
  /** Where the new model goes. */
  readonly modelsDir: string;
  /** Checkpoint folder (kept on pause). */
  readonly runDir: string;
  readonly resume: boolean;
  readonly settings: Partial<FinetuneSettings>;
}

/** A training event without the job and run ids (the service adds them). */
export type FinetuneWireEvent = Omit<FinetuneProgressEvent, 'jobId' | 'runId'>;

/** How a job ended. */
export interface FinetuneOutcome {
  readonly stoppedBy: 'done' | 'early-stop' | 'cancelled';
  readonly step: number;
  readonly bestStep: number;
  readonly beforeMean: number;
  readonly afterMean: number;
  readonly table: string;
  readonly model: { readonly id: string; readonly dir: string; readonly sha256: string } | null;
  readonly stepsPerSecond: number;
  readonly wallSeconds: number;
  /** Whether the run folder holds a checkpoint to resume from. */
  readonly checkpointKept: boolean;
}

/** Server → worker. */
export type ToFinetuneWorker =
  | { readonly type: 'start'; readonly id: number; readonly spec: FinetuneSpec }
  | { readonly type: 'stop'; readonly id: number };

/** Worker → server. */
export type FromFinetuneWorker =
  | { readonly type: 'event'; readonly id: number; readonly event: FinetuneWireEvent }
  | {
      readonly type: 'progress';
      readonly id: number;
      readonly fraction: number;
      readonly message: string;
    }
  | { readonly type: 'crops'; readonly id: number; readonly crops: CropSet }
  | { readonly type: 'done'; readonly id: number; readonly value: FinetuneOutcome }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly error: { readonly name: string; readonly message: string };
    };
