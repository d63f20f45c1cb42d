/**
 * The worker side of task-protocol.ts: runs one task message with the thread's
 * {@link ModelExecutor} (strip, render) or the tone-mapping engine (tonemap), posting progress,
 * frames (pixels transferred, not copied) and the outcome.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ModelExecutor } from './model-executor.js';
import type { FromTaskWorker, ToTaskWorker } from './task-protocol.js';
import { runTonemapExport } from './tonemap-task.js';

function errorOf(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/**
 * Handles one task message.
 * @param running - abort controllers of the tasks in flight, by message id
 */
export function serveTask(
  port: Pick<MessagePort, 'postMessage'>,
  executor: ModelExecutor,
  running: Map<number, AbortController>,
  msg: ToTaskWorker,
): void {
  if (msg.type === 'task-cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  const { id, request } = msg;
  const post = (m: FromTaskWorker, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(m, transfer);
  const controller = new AbortController();
  running.set(id, controller);
  const options = {
    signal: controller.signal,
    onProgress: (p: { fraction: number; message?: string }) =>
      post({ type: 'task-progress', id, fraction: p.fraction, message: p.message ?? '' }),
  };
  let work: Promise<unknown>;
  if (request.task === 'strip') {
    work = executor.strip(request.spec, options, (index, frame) =>
      post({ type: 'task-frame', id, index, frame }, [frame.data.buffer as ArrayBuffer]),
    );
  } else if (request.task === 'render') {
    work = executor.render(request.spec).then((frame) => {
      post({ type: 'task-done', id, value: frame }, [frame.data.buffer as ArrayBuffer]);
      return undefined;
    });
  } else {
    work = runTonemapExport(request.spec, options);
  }
  work
    .then(
      (value) => {
        if (request.task !== 'render') post({ type: 'task-done', id, value });
      },
      (err: unknown) => post({ type: 'task-error', id, error: errorOf(err) }),
    )
    .finally(() => running.delete(id));
}
