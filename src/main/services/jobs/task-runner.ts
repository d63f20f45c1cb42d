/**
 * The server side of task-protocol.ts: a worker thread (the bracket-worker.js script) serving the
 * editor's tasks, started on first use and again on the next call after a crash or termination.
 * Cancellation is cooperative with a grace period, after which the worker is terminated (grace 0:
 * at once, for exports whose partial files the caller discards anyway).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BracketeerError, CancelledError } from '../../../core/errors.js';
import type { JobOptions } from '../../../core/job.js';
import {
  type FrameOutput,
  type FromTaskWorker,
  type RenderSpec,
  type StripOutput,
  type StripSpec,
  type TaskRequest,
  type TonemapOutput,
  type TonemapSpec,
  type ToTaskWorker,
} from './task-protocol.js';

/** Runs editor tasks off the event loop. */
export interface TaskRunner {
  /** Renders a strip; frames arrive through `onFrame` as they are done. */
  strip(
    spec: StripSpec,
    options: JobOptions & { readonly onFrame: (index: number, frame: FrameOutput) => void },
  ): Promise<StripOutput>;
  /** One frame (rejects with an error named NeedsPhotoError when the photo must be sent). */
  render(spec: RenderSpec): Promise<FrameOutput>;
  /** Tone-maps a batch (files written to `spec.outputs`). */
  tonemap(spec: TonemapSpec, options: JobOptions): Promise<TonemapOutput>;
  /** Stops the worker. */
  close(): Promise<void>;
}

/** Options of {@link taskRunner}. */
export interface TaskRunnerOptions {
  /** The worker script (bracket-worker.js). */
  readonly script: URL | string;
  /** How long a cancelled task may take to stop before the worker is terminated, ms. */
  readonly cancelGraceMs?: number;
  /** Thread name (shown in diagnostics). */
  readonly name?: string;
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly onProgress?: JobOptions['onProgress'];
  readonly onFrame?: (index: number, frame: FrameOutput) => void;
}

function rebuild(e: { name: string; message: string }): Error {
  if (e.name === 'CancelledError') return new CancelledError(e.message);
  const err = new BracketeerError(e.message);
  err.name = e.name;
  return err;
}

/** Creates the runner; no thread starts until the first call. */
export function taskRunner(options: TaskRunnerOptions): TaskRunner {
  const file = options.script instanceof URL ? fileURLToPath(options.script) : options.script;
  const grace = options.cancelGraceMs ?? 5000;
  const pending = new Map<number, Pending>();
  let worker: Worker | null = null;
  let nextId = 1;
  let closed = false;

  function failAll(err: Error): void {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  }

  function onMessage(msg: FromTaskWorker): void {
    const p = pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'task-progress') {
      p.onProgress?.({ fraction: msg.fraction, message: msg.message });
    } else if (msg.type === 'task-frame') {
      p.onFrame?.(msg.index, msg.frame);
    } else {
      pending.delete(msg.id);
      if (msg.type === 'task-error') p.reject(rebuild(msg.error));
      else p.resolve(msg.value);
    }
  }

  function start(): Worker {
    if (closed) throw new BracketeerError('the task worker is shut down');
    if (worker) return worker;
    if (!existsSync(file)) {
      throw new BracketeerError(
        `worker script ${file} is missing; build it with 'npm run build:cli'`,
      );
    }
    const w = new Worker(file, { name: options.name ?? 'bracketeer-tasks' });
    w.on('message', (m: FromTaskWorker) => {
      if (worker === w) onMessage(m);
    });
    w.on('error', (err) => {
      if (worker !== w) return;
      worker = null;
      failAll(new BracketeerError(`the task worker crashed: ${err.message}`));
    });
    w.on('exit', (code) => {
      if (worker !== w) return;
      worker = null;
      failAll(new BracketeerError(`the task worker stopped (exit code ${code})`));
    });
    worker = w;
    return w;
  }

  async function call<T>(
    request: TaskRequest,
    opts: JobOptions & { readonly onFrame?: Pending['onFrame'] } = {},
    transfer: ArrayBuffer[] = [],
  ): Promise<T> {
    if (opts.signal?.aborted) throw new CancelledError();
    const w = start();
    const id = nextId++;
    const result = new Promise<T>((resolve, reject) => {
      pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: opts.onProgress,
        onFrame: opts.onFrame,
      });
      w.postMessage({ type: 'task', id, request } satisfies ToTaskWorker, transfer);
    });
    let timer: NodeJS.Timeout | undefined;
    const terminate = (): void => {
      const p = pending.get(id);
      pending.delete(id);
      p?.reject(new CancelledError('Cancelled (task worker terminated)'));
      if (worker === w) {
        worker = null;
        failAll(new CancelledError('Cancelled (task worker terminated)'));
      }
      void w.terminate();
    };
    const onAbort = (): void => {
      if (grace <= 0) {
        terminate();
        return;
      }
      w.postMessage({ type: 'task-cancel', id } satisfies ToTaskWorker);
      timer = setTimeout(terminate, grace);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await result;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    }
  }

  return {
    strip: (spec, opts) => call<StripOutput>({ task: 'strip', spec }, opts),
    render: (spec) => call<FrameOutput>({ task: 'render', spec }),
    tonemap: (spec, opts) => call<TonemapOutput>({ task: 'tonemap', spec }, opts),
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      failAll(new CancelledError('Cancelled (the task worker is shutting down)'));
      if (w) await w.terminate();
    },
  };
}
