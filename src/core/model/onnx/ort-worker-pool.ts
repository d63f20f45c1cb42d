/**
 * ONNX Runtime in a pool of worker threads, one intra-op thread each, running different tiles
 * at once. Measured on the lite render graph (1024² tiles, 2 cores): 88–111 ms per render with
 * two workers of one thread against 106–155 ms with one session of two threads — ONNX Runtime
 * runs the graph's depth-to-space, layout reorders and transposes (about half of a render) on
 * one thread whatever the intra-op count, so parallel tiles keep both cores busy where parallel
 * operators cannot. Feeds move to the worker (their buffers are transferred), outputs move back.
 */
import { Worker } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import type { FeedTensor, GraphKey, GraphRunner } from './graph-runner.js';
import { ORT_WORKER_SOURCE } from './ort-worker-source.js';

interface Job {
  readonly key: GraphKey;
  readonly feeds: Readonly<Record<string, FeedTensor>>;
  readonly output: string;
  readonly resolve: (data: Float32Array) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | null;
}

interface Reply {
  readonly ready?: boolean;
  readonly data?: Float32Array;
  readonly error?: string;
}

/** A {@link GraphRunner} over worker threads; see the module comment. */
export class OrtWorkerPool implements GraphRunner {
  readonly feeds = 'take';
  private readonly queue: Job[] = [];
  private broken: Error | null = null;

  private constructor(private readonly slots: Slot[]) {
    for (const slot of slots) {
      slot.worker.on('message', (m: Reply) => this.onReply(slot, m));
      slot.worker.on('error', (err) => this.fail(err));
      slot.worker.on('exit', (code) => {
        if (!this.broken) this.fail(new Error(`ONNX Runtime worker exited (code ${code})`));
      });
    }
  }

  /**
   * Starts `size` workers, each loading onnxruntime-node from `ortPath` and validating every
   * graph; resolves when all are ready.
   * @param options - session options (intraOpNumThreads is the per-worker thread count)
   * @throws the first worker's error (a graph rejected, the module not loadable)
   */
  static async create(
    ortPath: string,
    graphs: Readonly<Record<GraphKey, Uint8Array>>,
    options: Ort.InferenceSession.SessionOptions,
    size: number,
  ): Promise<OrtWorkerPool> {
    const workers = Array.from(
      { length: Math.max(1, Math.floor(size)) },
      () => new Worker(ORT_WORKER_SOURCE, { eval: true, workerData: { ortPath, graphs, options } }),
    );
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              w.once('message', (m: Reply) =>
                m.ready ? resolve() : reject(new Error(m.error ?? 'ONNX Runtime worker failed')),
              );
              w.once('error', reject);
            }),
        ),
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    // idle workers must not keep the process alive; a worker with a job is ref'd
    for (const w of workers) w.unref();
    return new OrtWorkerPool(workers.map((worker) => ({ worker, job: null })));
  }

  get concurrency(): number {
    return this.slots.length;
  }

  run(
    key: GraphKey,
    feeds: Readonly<Record<string, FeedTensor>>,
    output: string,
  ): Promise<Float32Array> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ key, feeds, output, resolve, reject });
      this.pump();
    });
  }

  async release(): Promise<void> {
    this.fail(new Error('ONNX Runtime workers released'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const transfer = Object.values(job.feeds)
        .map((f) => f.data)
        .filter((d) => d.byteOffset === 0 && d.byteLength === d.buffer.byteLength)
        .map((d) => d.buffer as ArrayBuffer);
      slot.worker.ref();
      slot.worker.postMessage({ key: job.key, feeds: job.feeds, output: job.output }, [
        ...new Set(transfer),
      ]);
    }
  }

  private onReply(slot: Slot, m: Reply): void {
    const job = slot.job;
    if (!job) return;
    slot.job = null;
    slot.worker.unref();
    if (m.error !== undefined || !(m.data instanceof Float32Array)) {
      job.reject(new Error(m.error ?? `ONNX graph ${job.key}: no output`));
    } else {
      job.resolve(m.data);
    }
    this.pump();
  }

  /** Rejects every pending and queued run with `err`; later runs reject with it too. */
  private fail(err: Error): void {
    this.broken ??= err;
    for (const slot of this.slots) {
      slot.job?.reject(err);
      slot.job = null;
    }
    for (const job of this.queue.splice(0)) job.reject(err);
  }
}
