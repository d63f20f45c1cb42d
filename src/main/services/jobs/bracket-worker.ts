/**
 * Entry point of the model worker thread (bundled to out/cli/bracket-worker.js): runs bracket jobs
 * with the model runtime off the server's event loop, one {@link ModelExecutor} per thread; also
 * serves the editor's tasks (strip frames, slider renders, tone-mapped exports: task-protocol.ts).
 */
import { parentPort } from 'node:worker_threads';
import { ModelExecutor } from './model-executor.js';
import type { FromWorker, ToWorker, WorkerError } from './worker-protocol.js';
import { isTaskMessage, type ToTaskWorker } from './task-protocol.js';
import { serveTask } from './task-host.js';

function errorOf(err: unknown): WorkerError {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

function serve(port: NonNullable<typeof parentPort>, executor: ModelExecutor): void {
  const running = new Map<number, AbortController>();
  const tasks = new Map<number, AbortController>();
  const post = (msg: FromWorker): void => port.postMessage(msg);

  port.on('message', (msg: ToWorker | ToTaskWorker) => {
    if (isTaskMessage(msg)) {
      serveTask(port, executor, tasks, msg);
      return;
    }
    if (msg.type === 'cancel') {
      running.get(msg.id)?.abort();
      return;
    }
    if (msg.type === 'runtime') {
      executor.runtime().then(
        (value) => post({ type: 'runtime', id: msg.id, value }),
        (err: unknown) => post({ type: 'error', id: msg.id, error: errorOf(err) }),
      );
      return;
    }
    const controller = new AbortController();
    running.set(msg.id, controller);
    executor
      .bracket(msg.spec, {
        signal: controller.signal,
        onProgress: (p) =>
          post({ type: 'progress', id: msg.id, fraction: p.fraction, message: p.message ?? '' }),
      })
      .then(
        (value) => post({ type: 'bracket', id: msg.id, value }),
        (err: unknown) => post({ type: 'error', id: msg.id, error: errorOf(err) }),
      )
      .finally(() => running.delete(msg.id));
  });
}

if (!parentPort) throw new Error('bracket-worker.js runs as a worker thread only');
serve(parentPort, new ModelExecutor());
