/**
 * ONNX Runtime in a pool of worker threads, one intra-op thread each, running different tiles
 * at once. Measured on the lite render graph (1024² tiles, 2 cores): 88–111 ms per render with
 * two workers of one thread against 106–155 ms with one session of two threads — ONNX Runtime
 * runs the graph's depth-to-space, layout reorders and transposes (about half of a render) on
 * one thread whatever the intra-op count, so parallel tiles keep both cores busy where parallel
 * operators cannot. With the lite16-nearest graphs, which leave less to that one thread: 65–67 ms
 * per 1024² render and 64–74 per encode with two workers, against 81–83 and 71–73 with one
 * two-thread session. Tiles in shared memory (SharedArrayBuffers from the runner's recycled
 * buffers) stay where they are, feeds and outputs alike, and nothing is allocated per tile
 * (ort-worker-source.ts says why that matters); other feeds (a bracket short of memory takes
 * that way, ort-runner.ts) are moved to the worker and back, and so is their output.
 */
import { Worker } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import type { FixedShapeGraphs } from './fixed-shapes.js';
import { HeldGraphs } from './fixed-shapes.js';
import type { FeedTensor, GraphKey, GraphRunner, OutputTarget } from './graph-runner.js';
import { ORT_WORKER_SOURCE } from './ort-worker-source.js';
import type { RecycledBuffers } from './recycled-buffers.js';

interface Job {
  readonly key: GraphKey;
  readonly feeds: Readonly<Record<string, FeedTensor>>;
  readonly output: string;
  /** the output's destination, in shared memory */
  readonly into?: OutputTarget;
  readonly resolve: (data: Float32Array) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  /** replaced by a new worker when this one exits */
  worker: Worker;
  job: Job | null;
  /** exits since this slot last returned a result */
  exits: number;
  /** the fixed-shape graphs sent to this worker */
  held: HeldGraphs;
}

/**
 * The graph of a run message: its name on the worker, with its bytes when the worker has not had
 * them yet and the name of a graph it may drop (fixed shapes).
 */
interface WorkerGraph {
  readonly key: string;
  readonly define?: Uint8Array;
  readonly forget?: string;
}

/** Exits in a row after which a slot's worker is not replaced and the pool fails its runs. */
const MAX_EXITS_IN_A_ROW = 3;

interface Reply {
  readonly ready?: boolean;
  readonly data?: Float32Array;
  /** the output was written into the job's `into` */
  readonly into?: boolean;
  /** the transferred feeds' buffers, moved back for reuse */
  readonly inputs?: ArrayBuffer[];
  readonly error?: string;
}

/** A {@link GraphRunner} over worker threads; see the module comment. */
export class OrtWorkerPool implements GraphRunner {
  readonly feeds = 'take';
  private readonly queue: Job[] = [];
  private released = false;
  /** set when workers keep exiting: every run rejects with it */
  private broken: Error | null = null;
  private readonly slots: Slot[];

  private constructor(
    private readonly spawn: () => Worker,
    workers: Worker[],
    private readonly recycled: RecycledBuffers | null,
    private readonly fixed: FixedShapeGraphs<GraphKey> | null,
  ) {
    this.slots = workers.map((worker) => {
      const slot: Slot = { worker, job: null, exits: 0, held: new HeldGraphs() };
      this.watch(slot);
      return slot;
    });
  }

  /**
   * Starts `size` workers, each loading onnxruntime-node from `ortPath` and validating every
   * graph; resolves when all are ready.
   * @param options - session options (intraOpNumThreads is the per-worker thread count)
   * @param recycled - receives the feeds' buffers when the workers hand them back
   * @param fixed - when given, each run goes to its graph specialised to the feeds' dims
   *   (fixed-shapes.ts), sent to a worker with its first run there
   * @throws the first worker's error (a graph rejected, the module not loadable)
   */
  static async create(
    ortPath: string,
    graphs: Readonly<Record<GraphKey, Uint8Array>>,
    options: Ort.InferenceSession.SessionOptions,
    size: number,
    recycled: RecycledBuffers | null = null,
    fixed: FixedShapeGraphs<GraphKey> | null = null,
  ): Promise<OrtWorkerPool> {
    const spawn = (): Worker =>
      new Worker(ORT_WORKER_SOURCE, { eval: true, workerData: { ortPath, graphs, options } });
    const workers = Array.from({ length: Math.max(1, Math.floor(size)) }, spawn);
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
      // the others may still be validating in native code: ask them to close, never terminate
      await Promise.all(workers.map(closeWorker));
      throw err;
    }
    // idle workers must not keep the process alive; a worker with a job is ref'd
    for (const w of workers) w.unref();
    return new OrtWorkerPool(spawn, workers, recycled, fixed);
  }

  get concurrency(): number {
    return this.slots.length;
  }

  /**
   * Runs graph `key` on a worker. Feeds in shared memory stay where they are (the worker copies
   * them); others are moved to the worker. With `into` in shared memory, the output is written
   * there (as NHWC frames with `depthToSpace`) and the promise resolves with `into.data`; else
   * with the output's buffer, moved here. `into` may be a shared feed's buffer: the worker has
   * copied the feeds when it writes. Shared feeds go to the pool's recycled buffers once the run
   * is done, but one that holds the output.
   */
  run(
    key: GraphKey,
    feeds: Readonly<Record<string, FeedTensor>>,
    output: string,
    into?: OutputTarget,
  ): Promise<Float32Array> {
    if (this.released) return Promise.reject(new Error('ONNX Runtime workers released'));
    if (this.broken) return Promise.reject(this.broken);
    const dest = into && isShared(into.data) ? into : undefined;
    return new Promise((resolve, reject) => {
      this.queue.push({ key, feeds, output, into: dest, resolve, reject });
      this.pump();
    });
  }

  /**
   * Rejects the queued runs and asks every worker to close after its running call: terminating
   * a worker inside ONNX Runtime's native code aborts the whole process. Resolves when all have
   * ended.
   */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('ONNX Runtime workers released'));
    await Promise.all(this.slots.map((s) => closeWorker(s.worker)));
  }

  /**
   * Listens to the slot's worker: replies settle its job; when it exits (a crash, or
   * terminated), its job is rejected with the cause and a new worker takes the slot, so one
   * failure does not disable the pool — unless it is the {@link MAX_EXITS_IN_A_ROW}th exit
   * without a result in between.
   */
  private watch(slot: Slot): void {
    const worker = slot.worker;
    let cause: Error | null = null;
    worker.on('message', (m: Reply) => {
      if (slot.worker === worker && m.ready === undefined) this.onReply(slot, m);
    });
    worker.on('error', (err) => {
      cause = err;
    });
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return;
      if (this.released) {
        slot.job?.reject(new Error('ONNX Runtime workers released'));
        slot.job = null;
        return;
      }
      const err = cause ?? new Error(`ONNX Runtime worker exited (code ${code})`);
      slot.job?.reject(err);
      slot.job = null;
      if (++slot.exits >= MAX_EXITS_IN_A_ROW) {
        // a worker that cannot live: stop replacing it, fail what waits and what comes
        this.broken = new Error(`ONNX Runtime workers keep exiting: ${err.message}`);
        for (const job of this.queue.splice(0)) job.reject(this.broken);
        return;
      }
      slot.worker = this.spawn();
      slot.held = new HeldGraphs();
      slot.worker.unref();
      this.watch(slot);
      this.pump();
    });
  }

  private pump(): void {
    if (this.released) return;
    for (const slot of this.slots) {
      while (!slot.job && this.queue.length > 0) {
        const job = this.queue.shift()!;
        let graph: WorkerGraph;
        try {
          graph = this.graphFor(slot, job);
        } catch (err) {
          job.reject(err instanceof Error ? err : new Error(String(err)));
          continue;
        }
        slot.job = job;
        const transfer = Object.values(job.feeds)
          .map((f) => f.data)
          .filter((d) => !isShared(d) && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength)
          .map((d) => d.buffer as ArrayBuffer);
        slot.worker.ref();
        slot.worker.postMessage(
          { ...graph, feeds: job.feeds, output: job.output, into: job.into },
          [...new Set(transfer)],
        );
      }
    }
  }

  /**
   * The graph a job runs on a slot's worker: its key, or with fixed shapes the specialised
   * graph's name, with its bytes when the worker has not had them yet (and the name of the one
   * it may forget to make room).
   */
  private graphFor(slot: Slot, job: Job): WorkerGraph {
    if (!this.fixed) return { key: job.key };
    const { name, bytes } = this.fixed.get(job.key, job.feeds);
    const { added, drop } = slot.held.hold(name);
    return added ? { key: name, define: bytes, forget: drop } : { key: name };
  }

  private onReply(slot: Slot, m: Reply): void {
    const job = slot.job;
    if (!job) return;
    slot.job = null;
    slot.exits = 0;
    slot.worker.unref();
    for (const b of m.inputs ?? []) this.recycled?.give(new Float32Array(b));
    // the worker copied the shared feeds before running: they are free again (but the one the
    // output was written into)
    for (const f of Object.values(job.feeds)) {
      if (isShared(f.data) && f.data.buffer !== job.into?.data.buffer) this.recycled?.give(f.data);
    }
    if (m.error !== undefined) {
      job.reject(new Error(m.error));
    } else if (m.into && job.into) {
      job.resolve(job.into.data);
    } else if (m.data instanceof Float32Array) {
      job.resolve(m.data);
    } else {
      job.reject(new Error(`ONNX graph ${job.key}: no output`));
    }
    this.pump();
  }
}

/**
 * Asks a worker to close (after its running call and its validation) and resolves when it has
 * ended; at once if it already has.
 */
function closeWorker(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    if (worker.threadId < 0) return resolve();
    worker.once('exit', () => resolve());
    worker.ref();
    worker.postMessage({ close: true });
  });
}

/** True when `data` is a view of a SharedArrayBuffer (it reaches a worker without a move). */
export function isShared(data: Float32Array): boolean {
  return data.buffer instanceof SharedArrayBuffer;
}
