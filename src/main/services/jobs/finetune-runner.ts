/**
 * Where fine-tuning jobs run: a worker thread of their own (finetune-worker.js; training owns
 * the CPU for minutes and must never block the server), or the caller's thread for tests.
 * Stopping is cooperative: the job checkpoints (pause) or cleans up (cancel) before it ends,
 * so the worker is never terminated mid-write; a crash rejects the job and the next job starts
 * a fresh worker.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BracketeerError, CancelledError } from '../../../core/errors.js';
import type { JobOptions } from '../../../core/job.js';
import type {
  FinetuneOutcome,
  FinetuneSpec,
  FinetuneWireEvent,
  FromFinetuneWorker,
  ToFinetuneWorker,
} from './finetune-protocol.js';
import type { CropSet } from './finetune-crops.js';
import { runFinetuneTask } from './finetune-task.js';

/** Options of one job: the signal stops it (cooperatively), events arrive through onEvent. */
export type FinetuneRunOptions = JobOptions & {
  readonly onEvent: (e: FinetuneWireEvent) => void;
  /** Receives before/after crops (see finetune-crops.ts). */
  readonly onCrops?: (c: CropSet) => void;
};

/** Runs fine-tuning jobs. */
export interface FinetuneRunner {
  run(spec: FinetuneSpec, options: FinetuneRunOptions): Promise<FinetuneOutcome>;
  close(): Promise<void>;
}

/** The default worker script: finetune-worker.js next to the running bundle (out/cli/). */
export function defaultFinetuneWorkerScript(): URL {
  return new URL('./finetune-worker.js', import.meta.url);
}

/** Runs jobs on the caller's thread (tests and tools: training blocks the event loop per step). */
export function inProcessFinetuneRunner(): FinetuneRunner {
  return {
    run: (spec, o) => runFinetuneTask(spec, o, o.onEvent, 100, o.onCrops),
    close: async () => undefined,
  };
}

/** Runs jobs on a worker thread started on first use (and again after a crash). */
export function workerFinetuneRunner(script: URL | string): FinetuneRunner {
  const file = script instanceof URL ? fileURLToPath(script) : script;
  let worker: Worker | null = null;
  let nextId = 1;
  let closed = false;
  const pending = new Map<
    number,
    {
      resolve: (v: FinetuneOutcome) => void;
      reject: (e: Error) => void;
      options: FinetuneRunOptions;
    }
  >();

  const failAll = (err: Error): void => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  function start(): Worker {
    if (closed) throw new BracketeerError('the fine-tune worker is shut down');
    if (worker) return worker;
    if (!existsSync(file)) {
      throw new BracketeerError(
        `worker script ${file} is missing; build it with 'npm run build:cli'`,
      );
    }
    const w = new Worker(file, { name: 'bracketeer-finetune' });
    w.on('message', (m: FromFinetuneWorker) => {
      const p = pending.get(m.id);
      if (!p) return;
      if (m.type === 'event') p.options.onEvent(m.event);
      else if (m.type === 'crops') p.options.onCrops?.(m.crops);
      else if (m.type === 'progress') {
        p.options.onProgress?.({ fraction: m.fraction, message: m.message });
      } else {
        pending.delete(m.id);
        if (m.type === 'done') p.resolve(m.value);
        else if (m.error.name === 'CancelledError') p.reject(new CancelledError(m.error.message));
        else {
          const err = new BracketeerError(m.error.message);
          err.name = m.error.name;
          p.reject(err);
        }
      }
    });
    w.on('error', (err) => {
      if (worker !== w) return;
      worker = null;
      failAll(new BracketeerError(`the fine-tune worker crashed: ${err.message}`));
    });
    w.on('exit', (code) => {
      if (worker !== w) return;
      worker = null;
      failAll(new BracketeerError(`the fine-tune worker stopped (exit code ${code})`));
    });
    worker = w;
    return w;
  }

  return {
    async run(spec, options) {
      if (options.signal?.aborted) throw new CancelledError();
      const w = start();
      const id = nextId++;
      const stop = (): void => w.postMessage({ type: 'stop', id } satisfies ToFinetuneWorker);
      options.signal?.addEventListener('abort', stop, { once: true });
      try {
        return await new Promise<FinetuneOutcome>((resolve, reject) => {
          pending.set(id, { resolve, reject, options });
          w.postMessage({ type: 'start', id, spec } satisfies ToFinetuneWorker);
        });
      } finally {
        options.signal?.removeEventListener('abort', stop);
      }
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      failAll(new CancelledError('Cancelled (the fine-tune worker is shutting down)'));
      if (w) await w.terminate();
    },
  };
}
