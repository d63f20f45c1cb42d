/**
 * Messages of the editor's worker tasks (strip frames, slider renders, tone-mapped exports),
 * served by the same worker script as bracket jobs (bracket-worker.ts) next to the messages of
 * worker-protocol.ts. Pixels cross the thread boundary as transferred ArrayBuffers (8-bit RGB),
 * never as arrays of numbers.
 */

/** The display-size photo a strip or render starts from: 8-bit sRGB RGB, interleaved. */
export interface PreviewPixels {
  readonly width: number;
  readonly height: number;
  /** width·height·3 samples. */
  readonly data: Uint8Array;
}

/** `strip`: encode the photo once, render every EV. */
export interface StripSpec {
  /** Identifies photo + size + model: the worker keeps the latent of the last key. */
  readonly key: string;
  /** Installed model id. */
  readonly model: string;
  readonly photo: PreviewPixels;
  readonly evs: readonly number[];
}

/** `render`: one EV; `photo` may be omitted when the worker still holds `key`'s latent. */
export interface RenderSpec {
  readonly key: string;
  readonly model: string;
  readonly ev: number;
  readonly photo?: PreviewPixels;
}

/** `tonemap`: tone-maps each input to the output of the same index. */
export interface TonemapSpec {
  readonly inputs: readonly string[];
  /** Output files (in a staging folder), one per input. */
  readonly outputs: readonly string[];
  readonly op: string;
  readonly params: Readonly<Record<string, number>>;
  readonly exposure: number;
  readonly saturation: number;
  readonly gamma: number;
  readonly quality: number;
  readonly bitDepth: 8 | 16;
}

/** What a strip rendered (frames went out as `task-frame` messages). */
export interface StripOutput {
  readonly model: { readonly id: string; readonly sha256: string };
  readonly renderMs: number;
}

/** A rendered frame. */
export interface FrameOutput extends PreviewPixels {
  readonly ev: number;
  /** Model wall time, ms (0 for EV 0). */
  readonly renderMs: number;
  /** Whether the latent had to be computed (cache miss). */
  readonly encoded: boolean;
}

/** What an export wrote. */
export interface TonemapOutput {
  readonly files: readonly string[];
}

/** A task request. */
export type TaskRequest =
  | { readonly task: 'strip'; readonly spec: StripSpec }
  | { readonly task: 'render'; readonly spec: RenderSpec }
  | { readonly task: 'tonemap'; readonly spec: TonemapSpec };

/** Server → worker. */
export type ToTaskWorker =
  | { readonly type: 'task'; readonly id: number; readonly request: TaskRequest }
  | { readonly type: 'task-cancel'; readonly id: number };

/** Worker → server. */
export type FromTaskWorker =
  | {
      readonly type: 'task-progress';
      readonly id: number;
      readonly fraction: number;
      readonly message: string;
    }
  | {
      readonly type: 'task-frame';
      readonly id: number;
      readonly index: number;
      readonly frame: FrameOutput;
    }
  | { readonly type: 'task-done'; readonly id: number; readonly value: unknown }
  | {
      readonly type: 'task-error';
      readonly id: number;
      readonly error: { readonly name: string; readonly message: string };
    };

/** Name of the error a render reports when it needs the photo's pixels (no cached latent). */
export const NEEDS_PHOTO = 'NeedsPhotoError';

/** True for a message of this protocol (the worker also serves worker-protocol.ts). */
export function isTaskMessage(msg: { readonly type: string }): msg is ToTaskWorker {
  return msg.type === 'task' || msg.type === 'task-cancel';
}
