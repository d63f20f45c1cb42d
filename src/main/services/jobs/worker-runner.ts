/**
 * A {@link ModelRunner} in a worker thread: the model runtime never blocks the server's event
 * loop. One worker, started on first use (or by `runtime()` as a warm-up) and restarted on the next
 * call after a crash; cancellation is cooperative (the worker aborts between tile batches), with a
 * grace period after which the worker is terminated.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BracketeerError, CancelledError } from '../../../core/errors.js';
import type { JobOptions } from '../../../core/job.js';
import type { RuntimeInfo } from '../../../shared/api/index.js';
import type { BracketOutput, BracketSpec, ModelRunner } from './model-runner.js';
import type { FromWorker, ToWorker, WorkerError } from './worker-protocol.js';

/** Options of {@link workerRunner}. */
export interface WorkerRunnerOptions {
  /** The worker script (a built .js file); default: bracket-worker.js next to this bundle. */
  readonly script?: URL | string;
  /** How long a cancelled call may take to stop before the worker is terminated, ms (default 5000). */
  readonly cancelGraceMs?: number;
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly onProgress?: JobOptions['onProgress'];
}

/**
 * The default worker script: `bracket-worker.js` in the folder of the running bundle (out/cli/).
 * Sources run by a TypeScript loader have no such file; they pass `script` explicitly.
 */
export function defaultWorkerScript(): URL {
  return new URL('./bracket-worker.js', import.meta.url);
}

function rebuild(e: WorkerError): Error {
  if (e.name === 'CancelledError') return new CancelledError(e.message);
  const err = new BracketeerError(e.message);
  err.name = e.name;
  return err;
}

/** Creates the runner; no thread starts until the first call. */
export function workerRunner(options: WorkerRunnerOptions = {}): ModelRunner {
  const script = options.script ?? defaultWorkerScript();
  const file = script instanceof URL ? fileURLToPath(script) : script;
  const grace = options.cancelGraceMs ?? 5000;
  const pending = new Map<number, Pending>();
  let worker: Worker | null = null;
  let nextId = 1;
  let closed = false;

  function failAll(err: Error): void {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  }

  function onMessage(msg: FromWorker): void {
    const p = pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.({ fraction: msg.fraction, message: msg.message });
      return;
    }
    pending.delete(msg.id);
    if (msg.type === 'error') p.reject(rebuild(msg.error));
    else p.resolve(msg.value);
  }

  function start(): Worker {
    if (closed) throw new BracketeerError('the model runtime is shut down');
    if (worker) return worker;
    if (!existsSync(file)) {
      throw new BracketeerError(
        `model worker script ${file} is missing; build it with 'npm run build:cli'`,
      );
    }
    const w = new Worker(file, { name: 'bracketeer-model' });
    w.on('message', onMessage);
    w.on('error', (err) => {
      if (worker === w) worker = null;
      failAll(new BracketeerError(`the model worker crashed: ${err.message}`));
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      failAll(new BracketeerError(`the model worker stopped (exit code ${code})`));
    });
    worker = w;
    return w;
  }

  function call<T>(msg: ToWorker, onProgress?: JobOptions['onProgress']): Promise<T> {
    const w = start();
    return new Promise<T>((resolve, reject) => {
      pending.set(msg.id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      w.postMessage(msg);
    });
  }

  async function runtime(): Promise<RuntimeInfo> {
    return call<RuntimeInfo>({ type: 'runtime', id: nextId++ });
  }

  async function bracket(spec: BracketSpec, opts: JobOptions): Promise<BracketOutput> {
    if (opts.signal?.aborted) throw new CancelledError();
    const id = nextId++;
    const result = call<BracketOutput>({ type: 'bracket', id, spec }, opts.onProgress);
    const w = worker;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      w?.postMessage({ type: 'cancel', id } satisfies ToWorker);
      timer = setTimeout(() => {
        // The worker did not stop in time: end it; the next call starts a fresh one.
        const p = pending.get(id);
        pending.delete(id);
        p?.reject(new CancelledError('Cancelled (model worker terminated)'));
        if (worker === w) worker = null;
        void w?.terminate();
      }, grace);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await result;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    }
  }

  async function close(): Promise<void> {
    closed = true;
    const w = worker;
    worker = null;
    failAll(new CancelledError('Cancelled (the model runtime is shutting down)'));
    if (w) await w.terminate();
  }

  return { runtime, bracket, close };
}
