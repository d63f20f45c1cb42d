/**
 * Entry point of the fine-tuning worker thread (bundled to out/cli/finetune-worker.js): trains
 * off the server's event loop, one job at a time, with the model runtime's backend.
 */
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../../../core/model/runtime/index.js';
import type { FromFinetuneWorker, ToFinetuneWorker } from './finetune-protocol.js';
import { runFinetuneTask } from './finetune-task.js';

function serve(port: NonNullable<typeof parentPort>): void {
  const running = new Map<number, AbortController>();
  const post = (m: FromFinetuneWorker): void => port.postMessage(m);
  port.on('message', (msg: ToFinetuneWorker) => {
    if (msg.type === 'stop') {
      running.get(msg.id)?.abort();
      return;
    }
    const { id } = msg;
    const controller = new AbortController();
    running.set(id, controller);
    initBackend()
      .then(() =>
        runFinetuneTask(
          msg.spec,
          {
            signal: controller.signal,
            onProgress: (p) =>
              post({ type: 'progress', id, fraction: p.fraction, message: p.message ?? '' }),
          },
          (event) => post({ type: 'event', id, event }),
          100,
          (crops) =>
            port.postMessage({ type: 'crops', id, crops } satisfies FromFinetuneWorker, [
              crops.reference.buffer as ArrayBuffer,
              ...crops.current.map((c) => c.buffer as ArrayBuffer),
            ]),
        ),
      )
      .then(
        (value) => post({ type: 'done', id, value }),
        (err: unknown) =>
          post({
            type: 'error',
            id,
            error:
              err instanceof Error
                ? { name: err.name, message: err.message }
                : { name: 'Error', message: String(err) },
          }),
      )
      .finally(() => running.delete(id));
  });
}

if (!parentPort) throw new Error('finetune-worker.js runs as a worker thread only');
serve(parentPort);
