/**
 * Multi-exposure inference on ONNX Runtime (onnxruntime-node): the three graphs of
 * {@link exportMultiExposureOnnx} (encode, render-up, render-down), run on worker threads
 * (ort-worker-pool.ts) or in this thread (graph-runner.ts) and exposed as a {@link TileModel}
 * that the tiled inference drives with NHWC float32 batches. Runtime render graphs take the
 * exposure prior as an input, computed here from per-ratio tables (prior-table.ts), straight
 * from the photo's codes when the bracket has them ({@link TileModel.prepareInput}); for a stem-2
 * model they take it and give the frame as space-to-depth planes, turned into NHWC tiles by the
 * worker thread that ran the graph, or here (frame-layout.ts).
 *
 * onnxruntime-node is loaded lazily ({@link loadOrt}) so that a missing or broken native
 * binary is a reason to fall back to TensorFlow.js, not a crash at import time.
 */
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { InvalidInputError } from '../../errors.js';
import { evToRatio } from '../architectures/multi-exposure/model.js';
import type { TileModel } from '../inference/tile-model.js';
import { PriorTable } from '../architectures/multi-exposure/prior-table.js';
import type { OnnxGraphs } from './export.js';
import type { OrtProvider } from './ort-providers.js';
import type { FeedTensor, GraphRunner, OutputTarget } from './graph-runner.js';
import { inProcessRunner } from './graph-runner.js';
import { isShared, OrtWorkerPool } from './ort-worker-pool.js';
import { FixedShapeGraphs } from './fixed-shapes.js';
import { RecycledBuffers } from './recycled-buffers.js';
import { FRAME_S2D, ONNX_IO, ONNX_PRIOR_INPUT } from './export.js';
import { depthToSpaceNhwc } from './frame-layout.js';
import { copyReflectedCodes } from '../inference/pad.js';

type OrtModule = typeof Ort;

let ortPromise: Promise<OrtModule> | null = null;

/**
 * Loads onnxruntime-node once.
 * @throws the loader's error when the package or its native binary is unavailable
 */
export function loadOrt(): Promise<OrtModule> {
  if (!ortPromise) {
    const spec: string = 'onnxruntime-node';
    ortPromise = import(spec).then(
      (m: OrtModule & { default?: OrtModule }) => (m.InferenceSession ? m : (m.default ?? m)),
      (e: unknown) => {
        ortPromise = null;
        throw e;
      },
    );
  }
  return ortPromise;
}

/** Options of {@link createOrtTileModel}. */
export interface OrtOptions {
  /** intra-op threads; default: logical cores */
  readonly threads?: number;
  /**
   * execution provider (ort-providers.ts chooses it); the CPU provider always backs it for
   * operators it lacks (default 'cpu')
   */
  readonly provider?: OrtProvider;
  /** keep ONNX Runtime's CPU memory arena (faster re-allocation, higher resident memory) */
  readonly memoryArena?: boolean;
  /**
   * worker threads running tiles at once, one intra-op thread each (ort-worker-pool.ts);
   * default: `threads` on the CPU provider when there are at least 2, else 0 (the sessions run
   * in this thread with `threads` intra-op threads)
   */
  readonly workers?: number;
  /**
   * pre-plan intermediate buffers per input shape (ONNX Runtime's memory pattern); default off:
   * measured on 912 × 848 tiles of the lite model, it added 125–140 MB of resident memory for
   * no measurable speed-up (encode and render 110–140 ms either way)
   */
  readonly memoryPattern?: boolean;
  /**
   * run each graph specialised to the shape of its feeds (fixed-shapes.ts: ONNX Runtime fuses
   * more, a session per tile shape); default true
   */
  readonly fixedShapes?: boolean;
}

/**
 * Resident bytes per tile pixel while the lite graphs run on ONNX Runtime (CPU arena on, memory
 * pattern off, one session resident at a time), batch buffers, prior and output arrays
 * included. Measured on 24-MP brackets: peak RSS 65 MiB higher with 976 × 912 tiles than with
 * 672 × 688 tiles, ≈ 160 B per tile pixel; rounded up for the arena's growth steps.
 */
export const ORT_WORKING_BYTES_PER_TILE_PIXEL = 200;
/** Recycled buffers kept per call in flight, of each kind: latent, prior (or photo), output. */
const RECYCLED_PER_CALL = 3;
/**
 * More resident bytes per tile pixel and worker thread when tiles travel in shared memory: the
 * worker's own copies of the latent and the prior and its output buffer (ONNX Runtime's binding
 * takes no shared memory), 3 × 12 B, and about as much again measured: `bracketeer bracket` on
 * a 24-MP JPEG peaked at 1385–1476 MiB in six runs writing 16-bit TIFF frames, against
 * 1207–1328 MiB in four with tiles moved to the workers and back (864 × 912 tiles).
 */
export const ORT_SHARED_TILE_BYTES_PER_PIXEL = 80;

/**
 * Resident bytes of a process running a bracket on ONNX Runtime besides the photo's buffers and
 * the tile working set: runtime, TensorFlow.js, the lite weights, prior tables (measured ≈ 270
 * MB on the same 24-MP brackets).
 */
export const ORT_BASELINE_BYTES = 280e6;

/**
 * Worker threads {@link createOrtTileModel} runs tiles on by default: one per thread on the CPU
 * provider when there are at least two threads, else none (the sessions run in the caller's
 * thread).
 */
export function ortWorkerCount(threads: number, provider: OrtProvider): number {
  return provider === 'cpu' && threads >= 2 ? Math.floor(threads) : 0;
}

/** A {@link TileModel} on ONNX Runtime, with its sessions to release. */
export interface OrtTileModel extends TileModel {
  /** threads in all: workers × 1, or the in-thread sessions' intra-op threads */
  readonly threads: number;
  /** worker threads running tiles at once (0: the sessions run in this thread) */
  readonly workers: number;
  /** the execution provider the sessions were created for */
  readonly provider: OrtProvider;
  /** Releases the sessions (and worker threads). */
  release(): Promise<void>;
}

/**
 * Creates ONNX Runtime sessions for the exported graphs (the given provider, CPU by default;
 * all graph optimisations; by default each graph specialised to the shape of its feeds when
 * first run at that shape): on the CPU provider with two or more threads, `threads` worker
 * threads of one intra-op thread each, tiles running in parallel; otherwise in this thread with
 * `threads` intra-op threads (default: one per logical core).
 * @throws when onnxruntime-node cannot be loaded or a graph is rejected
 */
export async function createOrtTileModel(
  graphs: OnnxGraphs,
  options: OrtOptions = {},
): Promise<OrtTileModel> {
  const ort = await loadOrt();
  const threads = Math.max(1, Math.round(options.threads ?? cpus().length));
  const provider = options.provider ?? 'cpu';
  const opts: Ort.InferenceSession.SessionOptions = {
    executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // errors only: ONNX Runtime's warnings would break the CLI's one-line stderr
    logSeverityLevel: 3,
    enableCpuMemArena: options.memoryArena ?? true,
    enableMemPattern: options.memoryPattern ?? false,
  };
  const graphBytes = { encode: graphs.encode, up: graphs.renderUp, down: graphs.renderDown };
  let workers = Math.max(0, Math.floor(options.workers ?? ortWorkerCount(threads, provider)));
  const fixed = options.fixedShapes === false ? null : new FixedShapeGraphs(graphBytes);
  // tile, prior and output buffers, reused once the sessions and the caller are done with them:
  // per call in flight a latent, a prior (or photo tile) and an output, and a set being filled
  const recycled = new RecycledBuffers(RECYCLED_PER_CALL * (Math.max(1, workers) + 1));
  let runner: GraphRunner | null = null;
  if (workers > 0) {
    try {
      runner = await OrtWorkerPool.create(
        createRequire(import.meta.url).resolve('onnxruntime-node'),
        graphBytes,
        { ...opts, intraOpNumThreads: 1 },
        workers,
        recycled,
        fixed,
      );
    } catch {
      // a worker that cannot load onnxruntime-node (or a graph): run in this thread instead;
      // a graph ONNX Runtime rejects fails again below with its own error
      workers = 0;
    }
  }
  runner ??= await inProcessRunner(ort, graphBytes, opts, fixed);
  // Worker threads take tiles in shared memory (the faster transport, ort-worker-source.ts) or
  // moved to them and back (`lean` input buffers: no worker-side copies, less resident memory).
  // The output of a shared first feed is written back into its buffer (the same length; the
  // worker has copied the feeds by then), as NHWC frames; this thread's sessions take neither.
  const sharedTiles = workers > 0;
  const into = (feed: Float32Array, dims: readonly number[], depthToSpace = false) =>
    sharedTiles && isShared(feed)
      ? ({ data: feed, dims, depthToSpace } satisfies OutputTarget)
      : undefined;
  const check = (data: Float32Array, n: number, h: number, w: number, what: string): void => {
    if (n < 1 || h % graphs.stride !== 0 || w % graphs.stride !== 0 || h < 1 || w < 1) {
      throw new InvalidInputError(
        `ONNX ${what}: ${h}×${w} must be positive multiples of ${graphs.stride}`,
      );
    }
    if (data.length !== n * h * w * 3) {
      throw new InvalidInputError(`ONNX ${what}: ${data.length} floats for [${n},${h},${w},3]`);
    }
  };
  // an NHWC feed; a runner that takes its feeds (worker threads) reads the buffer in shared
  // memory or moves it (takesInputs)
  const image = (data: Float32Array, n: number, h: number, w: number): FeedTensor => ({
    data,
    dims: [n, h, w, 3],
  });
  // graphs that take the prior as an input: one table per ratio (a bracket has a few)
  const tables = new Map<number, PriorTable>();
  const s2d = graphs.frameLayout === FRAME_S2D;
  const tableFor = (ratio: number): PriorTable => {
    let table = tables.get(ratio);
    if (!table) {
      if (tables.size >= 16) tables.clear();
      table = new PriorTable(ratio);
      tables.set(ratio, table);
    }
    return table;
  };
  // the prior travels as the latent does (`shared`: with it, in shared memory)
  const priorOf = (
    input: Float32Array,
    ratio: number,
    n: number,
    h: number,
    w: number,
    shared: boolean,
  ) => {
    const table = tableFor(ratio);
    const out = recycled.take(input.length, shared);
    if (s2d) table.fillSpaceToDepth(input, out, n, h, w);
    else table.fill(input, out);
    return out;
  };
  // a feed in the render graphs' frame layout
  const frameFeed = (data: Float32Array, n: number, h: number, w: number): FeedTensor =>
    s2d ? { data, dims: [n, 12, h >> 1, w >> 1] } : image(data, n, h, w);
  // Photo tiles prepared in shared memory for the workers hold the photo's codes, not the
  // prior: the worker turns them into the prior's planes in the buffer it would have copied the
  // prior into, so this thread copies 1 or 2 bytes per sample instead of looking up 4 (measured
  // per 1024² tile: 4–5 ms here before, in a worker's ~80 ms run). Their bit depth, by buffer:
  const codedTiles = new WeakMap<ArrayBufferLike, 8 | 16>();
  // the code tables, in shared memory for the workers, by ratio and bit depth
  const sharedCodeTables = new Map<string, Float32Array>();
  const codeTableFor = (ratio: number, bitDepth: 8 | 16): Float32Array => {
    const key = `${ratio}/${bitDepth}`;
    let table = sharedCodeTables.get(key);
    if (!table) {
      if (sharedCodeTables.size >= 32) sharedCodeTables.clear();
      const values = tableFor(ratio).codeTable(bitDepth);
      table = new Float32Array(new SharedArrayBuffer(values.byteLength));
      table.set(values);
      sharedCodeTables.set(key, table);
    }
    return table;
  };
  const takes = runner.feeds === 'take';
  return {
    stride: graphs.stride,
    needsInput: graphs.needsInput,
    threads,
    workers,
    concurrency: runner.concurrency,
    takesInputs: takes,
    inputBuffer: takes ? (length, lean) => recycled.take(length, sharedTiles && !lean) : undefined,
    provider,
    backend: 'onnxruntime',
    // every tile in flight holds its own working set, and each worker its copies of shared tiles
    workingBytesPerTilePixel: ORT_WORKING_BYTES_PER_TILE_PIXEL * runner.concurrency,
    ...(sharedTiles
      ? {
          fastWorkingBytesPerTilePixel:
            (ORT_WORKING_BYTES_PER_TILE_PIXEL + ORT_SHARED_TILE_BYTES_PER_PIXEL) *
            runner.concurrency,
        }
      : {}),
    baselineBytes: ORT_BASELINE_BYTES,
    recycle: takes ? (data) => recycled.give(data) : undefined,
    async encode(batch, n, h, w) {
      check(batch, n, h, w, 'encode');
      return runner.run(
        'encode',
        { [ONNX_IO.image]: image(batch, n, h, w) },
        ONNX_IO.encoded,
        into(batch, [n, h, w, 3]),
      );
    },
    // graphs that take the prior in the space-to-depth layout: filled straight from the codes
    ...(graphs.priorInput && s2d
      ? {
          prepareInput(ev, photo, x, y, w, h, out, offset) {
            if (sharedTiles && isShared(out)) {
              const codes =
                photo.bitDepth === 16
                  ? new Uint16Array(out.buffer, out.byteOffset, out.length)
                  : new Uint8Array(out.buffer, out.byteOffset, out.length);
              copyReflectedCodes(
                photo.codes,
                photo.width,
                photo.height,
                3,
                x,
                y,
                w,
                h,
                codes,
                offset,
              );
              codedTiles.set(out.buffer, photo.bitDepth);
              return;
            }
            codedTiles.delete(out.buffer);
            tableFor(evToRatio(ev)).fillSpaceToDepthFromCodes(photo, x, y, w, h, out, offset);
          },
        }
      : {}),
    async render(latent, ev, input, n, h, w, prepared = false) {
      const ratio = evToRatio(ev);
      check(latent, n, h, w, 'render');
      const feeds: Record<string, FeedTensor> = {
        [ONNX_IO.latent]: image(latent, n, h, w),
        [ONNX_IO.ratio]: { data: new Float32Array([ratio]), dims: [1] },
      };
      let prior: Float32Array | null = null;
      if (graphs.needsInput) {
        if (!input) throw new InvalidInputError('ONNX render: this model needs the input frame');
        check(input, n, h, w, 'render input');
        if (prepared && !(graphs.priorInput && s2d)) {
          throw new InvalidInputError('ONNX render: these graphs take no prepared input');
        }
        if (prepared) {
          // prepareInput's prior (or the photo's codes, for a worker to turn into it): it
          // travels (and comes back) as the photo's tile would
          const bitDepth = codedTiles.get(input.buffer);
          codedTiles.delete(input.buffer);
          const feed = frameFeed(input, n, h, w);
          feeds[ONNX_PRIOR_INPUT] =
            bitDepth === undefined
              ? feed
              : { ...feed, codes: { bitDepth, table: codeTableFor(ratio, bitDepth) } };
        } else if (graphs.priorInput) {
          prior = priorOf(input, ratio, n, h, w, isShared(latent));
          feeds[ONNX_PRIOR_INPUT] = frameFeed(prior, n, h, w);
          // the frame itself does not travel; a taken one is free again
          if (takes) recycled.give(input);
        } else {
          feeds[ONNX_IO.image] = image(input, n, h, w);
        }
      }
      // the frame as NHWC tiles: a runner that writes into `dest` turns the planes into them
      const frameDims = s2d ? [n, 12, h >> 1, w >> 1] : [n, h, w, 3];
      const dest = into(latent, frameDims, s2d);
      const frame = await runner.run(ev < 0 ? 'down' : 'up', feeds, ONNX_IO.frame, dest);
      // a borrowing runner is done with the prior (a taking one hands its buffers back itself)
      if (prior && !takes) recycled.give(prior);
      if (!s2d || frame === dest?.data) return frame;
      const nhwc = recycled.take(frame.length);
      depthToSpaceNhwc(frame, nhwc, n, h, w);
      // a worker's output moved here is ours; an in-thread one may be the runtime's
      if (takes) recycled.give(frame);
      return nhwc;
    },
    async release() {
      recycled.clear();
      await runner.release();
    },
  };
}
