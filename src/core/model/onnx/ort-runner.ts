/**
 * Multi-exposure inference on ONNX Runtime (onnxruntime-node, CPU execution provider): three
 * sessions (encode, render-up, render-down) over the graphs of {@link exportMultiExposureOnnx},
 * exposed as a {@link TileModel} that the tiled inference drives with NHWC float32 batches.
 *
 * onnxruntime-node is loaded lazily ({@link loadOrt}) so that a missing or broken native
 * binary is a reason to fall back to TensorFlow.js, not a crash at import time.
 */
import { cpus } from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { InvalidInputError } from '../../errors.js';
import { evToRatio } from '../architectures/multi-exposure/model.js';
import type { TileModel } from '../inference/tile-model.js';
import { PriorTable } from '../architectures/multi-exposure/prior-table.js';
import type { OnnxGraphs } from './export.js';
import type { OrtProvider } from './ort-providers.js';
import { ExclusiveSessions } from './ort-sessions.js';
import { ONNX_IO, ONNX_PRIOR_INPUT } from './export.js';

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
   * pre-plan intermediate buffers per input shape (ONNX Runtime's memory pattern); default off:
   * measured on 912 × 848 tiles of the lite model, it added 125–140 MB of resident memory for
   * no measurable speed-up (encode and render 110–140 ms either way)
   */
  readonly memoryPattern?: boolean;
}

/**
 * Resident bytes per tile pixel while the lite graphs run on ONNX Runtime (CPU arena on, memory
 * pattern off, one session resident at a time), batch buffers, prior and output arrays
 * included. Measured on 24-MP brackets: peak RSS 65 MiB higher with 976 × 912 tiles than with
 * 672 × 688 tiles, ≈ 160 B per tile pixel; rounded up for the arena's growth steps.
 */
export const ORT_WORKING_BYTES_PER_TILE_PIXEL = 200;
/**
 * Resident bytes of a process running a bracket on ONNX Runtime besides the photo's buffers and
 * the tile working set: runtime, TensorFlow.js, the lite weights, prior tables (measured ≈ 270
 * MB on the same 24-MP brackets).
 */
export const ORT_BASELINE_BYTES = 280e6;

/** A {@link TileModel} on ONNX Runtime, with its sessions to release. */
export interface OrtTileModel extends TileModel {
  /** intra-op threads each session uses */
  readonly threads: number;
  /** the execution provider the sessions were created for */
  readonly provider: OrtProvider;
  /** Releases the three sessions. */
  release(): Promise<void>;
}

/**
 * Creates ONNX Runtime sessions for the exported graphs (the given provider, CPU by default;
 * all graph optimisations; one intra-op thread per logical core unless `threads` says
 * otherwise).
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
  const sessions = new ExclusiveSessions(
    ort,
    { encode: graphs.encode, up: graphs.renderUp, down: graphs.renderDown },
    opts,
  );
  await sessions.validate('encode');
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
  const image = (data: Float32Array, n: number, h: number, w: number): Ort.Tensor =>
    new ort.Tensor('float32', data, [n, h, w, 3]);
  const read = (t: Ort.Tensor | undefined, what: string): Float32Array => {
    if (!t || !(t.data instanceof Float32Array)) {
      throw new InvalidInputError(`ONNX ${what}: no float32 output`);
    }
    return t.data;
  };
  // graphs that take the prior as an input: one table per ratio (a bracket has a few) and a
  // pool of prior buffers, each held by one run at a time (calls may overlap)
  const tables = new Map<number, PriorTable>();
  const freePriors: Float32Array[] = [];
  const priorOf = (input: Float32Array, ratio: number): Float32Array => {
    let table = tables.get(ratio);
    if (!table) {
      if (tables.size >= 16) tables.clear();
      table = new PriorTable(ratio);
      tables.set(ratio, table);
    }
    const i = freePriors.findIndex((b) => b.length === input.length);
    const out = i >= 0 ? freePriors.splice(i, 1)[0] : new Float32Array(input.length);
    table.fill(input, out);
    return out;
  };
  return {
    stride: graphs.stride,
    needsInput: graphs.needsInput,
    threads,
    provider,
    backend: 'onnxruntime',
    workingBytesPerTilePixel: ORT_WORKING_BYTES_PER_TILE_PIXEL,
    baselineBytes: ORT_BASELINE_BYTES,
    async encode(batch, n, h, w) {
      check(batch, n, h, w, 'encode');
      const out = await sessions.run('encode', { [ONNX_IO.image]: image(batch, n, h, w) });
      return read(out[ONNX_IO.encoded], 'encode');
    },
    async render(latent, ev, input, n, h, w) {
      const ratio = evToRatio(ev);
      check(latent, n, h, w, 'render');
      const feeds: Record<string, Ort.Tensor> = {
        [ONNX_IO.latent]: image(latent, n, h, w),
        [ONNX_IO.ratio]: new ort.Tensor('float32', new Float32Array([ratio]), [1]),
      };
      if (graphs.needsInput) {
        if (!input) throw new InvalidInputError('ONNX render: this model needs the input frame');
        check(input, n, h, w, 'render input');
        if (graphs.priorInput) feeds[ONNX_PRIOR_INPUT] = image(priorOf(input, ratio), n, h, w);
        else feeds[ONNX_IO.image] = image(input, n, h, w);
      }
      try {
        const out = await sessions.run(ev < 0 ? 'down' : 'up', feeds);
        return read(out[ONNX_IO.frame], 'render');
      } finally {
        const prior = feeds[ONNX_PRIOR_INPUT]?.data;
        if (prior instanceof Float32Array && freePriors.length < 4) freePriors.push(prior);
      }
    },
    async release() {
      await sessions.release();
    },
  };
}
