/** Messages between the server and the model worker thread (structured clone, no pixels). */
import type { RuntimeInfo } from '../../../shared/api/index.js';
import type { BracketOutput, BracketSpec } from './model-runner.js';

/** Server → worker. `id` pairs a call with its replies. */
export type ToWorker =
  | { readonly type: 'runtime'; readonly id: number }
  | { readonly type: 'bracket'; readonly id: number; readonly spec: BracketSpec }
  | { readonly type: 'cancel'; readonly id: number };

/** An error crossing the thread boundary: its class name and one line. */
export interface WorkerError {
  readonly name: string;
  readonly message: string;
}

/** Worker → server. */
export type FromWorker =
  | {
      readonly type: 'progress';
      readonly id: number;
      readonly fraction: number;
      readonly message: string;
    }
  | { readonly type: 'runtime'; readonly id: number; readonly value: RuntimeInfo }
  | { readonly type: 'bracket'; readonly id: number; readonly value: BracketOutput }
  | { readonly type: 'error'; readonly id: number; readonly error: WorkerError };
