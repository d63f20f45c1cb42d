/**
 * A {@link ModelRunner} in a worker thread, supervised: the model runtime never blocks the
 * caller's event loop, and a crashing runtime never takes the app down.
 *
 * Supervision:
 * - One worker, started on first use (or by `runtime()` as a warm-up).
 * - When it crashes (an uncaught error, or an exit the runner did not ask for), every call it
 *   was serving rejects with the worker's own error message ("the model worker crashed: …"), so
 *   the running job fails with that message, and the next call starts a fresh worker.
 * - Restarts back off exponentially after consecutive crashes (`restartBackoffMs` doubling up to
 *   `maxBackoffMs`; a successful call resets it), and at most `maxRestartsPerMinute` crashes a
 *   minute are followed by a restart: past that, calls fail at once with a message saying when
 *   the runtime will be tried again.
 * - Cancellation is cooperative (the worker aborts between tile batches), with a grace period
 *   after which the worker is terminated (not counted as a crash) and replaced on the next call.
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
  /** Delay before the first restart after a crash, ms; doubles per consecutive crash (default 250). */
  readonly restartBackoffMs?: number;
  /** Longest restart delay, ms (default 10 000). */
  readonly maxBackoffMs?: number;
  /** Crashes within one minute after which the worker is not restarted (default 5). */
  readonly maxRestartsPerMinute?: number;
  /** Receives one line per crash and restart (the app's log). */
  readonly log?: (line: string) => void;
}

interface Pending {
  readonly worker: Worker;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly onProgress?: JobOptions['onProgress'];
}

const MINUTE_MS = 60_000;

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

/**
 * Delay before the next restart: 0 with no crash pending, else `base · 2^(consecutive − 1)`
 * capped at `max`, ms.
 */
export function restartDelayMs(consecutiveCrashes: number, base: number, max: number): number {
  if (consecutiveCrashes <= 0) return 0;
  return Math.min(max, base * 2 ** Math.min(30, consecutiveCrashes - 1));
}

/** Creates the runner; no thread starts until the first call. */
export function workerRunner(options: WorkerRunnerOptions = {}): ModelRunner {
  const script = options.script ?? defaultWorkerScript();
  const file = script instanceof URL ? fileURLToPath(script) : script;
  const grace = options.cancelGraceMs ?? 5000;
  const backoff = options.restartBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  const maxRestarts = options.maxRestartsPerMinute ?? 5;
  const log = options.log ?? (() => undefined);
  const pending = new Map<number, Pending>();
  /** Workers the runner ended itself (their exit is not a crash). */
  const ended = new WeakSet<Worker>();
  /** Workers whose crash has been handled (an uncaught error is followed by an exit). */
  const crashed = new WeakSet<Worker>();
  let worker: Worker | null = null;
  let starting: Promise<Worker> | null = null;
  let nextId = 1;
  let closed = false;
  let crashTimes: number[] = [];
  let consecutive = 0;
  let lastCrashAt = 0;
  let lastCrash = '';

  function failWorkerCalls(w: Worker, err: Error): void {
    for (const [id, p] of pending) {
      if (p.worker !== w) continue;
      pending.delete(id);
      p.reject(err);
    }
  }

  function onCrash(w: Worker, message: string): void {
    if (worker === w) worker = null;
    if (ended.has(w) || crashed.has(w)) return;
    crashed.add(w);
    const now = Date.now();
    crashTimes = [...crashTimes.filter((t) => now - t < MINUTE_MS), now];
    consecutive++;
    lastCrashAt = now;
    lastCrash = message;
    log(`${message}; a fresh worker starts on the next call`);
    failWorkerCalls(w, new BracketeerError(message));
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
    else {
      consecutive = 0;
      p.resolve(msg.value);
    }
  }

  function spawn(): Worker {
    if (!existsSync(file)) {
      throw new BracketeerError(
        `model worker script ${file} is missing; build it with 'npm run build:cli'`,
      );
    }
    const w = new Worker(file, { name: 'bracketeer-model' });
    w.on('message', onMessage);
    w.on('error', (err) => onCrash(w, `the model worker crashed: ${err.message}`));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (ended.has(w)) {
        failWorkerCalls(w, new CancelledError('Cancelled (the model worker was stopped)'));
        return;
      }
      onCrash(w, `the model worker stopped unexpectedly (exit code ${code})`);
    });
    return w;
  }

  async function acquire(): Promise<Worker> {
    if (closed) throw new BracketeerError('the model runtime is shut down');
    if (worker) return worker;
    starting ??= (async () => {
      const now = Date.now();
      crashTimes = crashTimes.filter((t) => now - t < MINUTE_MS);
      if (crashTimes.length > maxRestarts) {
        const retryIn = Math.ceil((crashTimes[0] + MINUTE_MS - now) / 1000);
        throw new BracketeerError(
          `the model worker crashed ${crashTimes.length} times within a minute and is not ` +
            `restarted for ${retryIn} s (last crash: ${lastCrash})`,
        );
      }
      const wait = restartDelayMs(consecutive, backoff, maxBackoff) - (now - lastCrashAt);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (closed) throw new BracketeerError('the model runtime is shut down');
      const w = spawn();
      if (consecutive > 0) log(`model worker restarted after ${consecutive} crash(es)`);
      worker = w;
      return w;
    })().finally(() => {
      starting = null;
    });
    return starting;
  }

  function send<T>(w: Worker, msg: ToWorker, onProgress?: JobOptions['onProgress']): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      pending.set(msg.id, {
        worker: w,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress,
      });
      w.postMessage(msg);
    });
  }

  async function runtime(): Promise<RuntimeInfo> {
    const w = await acquire();
    return send<RuntimeInfo>(w, { type: 'runtime', id: nextId++ });
  }

  async function bracket(spec: BracketSpec, opts: JobOptions): Promise<BracketOutput> {
    if (opts.signal?.aborted) throw new CancelledError();
    const w = await acquire();
    if (opts.signal?.aborted) throw new CancelledError();
    const id = nextId++;
    const result = send<BracketOutput>(w, { type: 'bracket', id, spec }, opts.onProgress);
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      w.postMessage({ type: 'cancel', id } satisfies ToWorker);
      timer = setTimeout(() => {
        // The worker did not stop in time: end it; the next call starts a fresh one.
        const p = pending.get(id);
        pending.delete(id);
        p?.reject(new CancelledError('Cancelled (model worker terminated)'));
        ended.add(w);
        if (worker === w) worker = null;
        log(`model worker did not stop within ${grace} ms of a cancel; terminated`);
        void w.terminate();
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
    const w = worker ?? (starting ? await starting.catch(() => null) : null);
    worker = null;
    for (const p of pending.values()) {
      p.reject(new CancelledError('Cancelled (the model runtime is shutting down)'));
    }
    pending.clear();
    if (w) {
      ended.add(w);
      await w.terminate();
    }
  }

  return { runtime, bracket, close };
}
