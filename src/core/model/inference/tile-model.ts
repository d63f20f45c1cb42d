/**
 * The backend-agnostic face of a multi-exposure model that the tiled inference drives: NHWC
 * float32 batches in, NHWC float32 batches out. {@link tfjsTileModel} wraps a TensorFlow.js
 * model; the ONNX Runtime one lives in ../onnx/ort-runner.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LdrCodes } from '../../image/image.js';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import { ortTileModelFor } from '../onnx/ort-cache.js';
import { inferenceEngine } from '../runtime/inference-state.js';
import type { TileMemory } from './tile-plan.js';

/** Encode / render on batches of tiles. Returned arrays belong to the caller. */
export interface TileModel extends TileMemory {
  /** H and W of a batch must be multiples of this */
  readonly stride: number;
  /** render needs the input frame's tile (config `outputPrior`) */
  readonly needsInput: boolean;
  /** which engine runs it ('tfjs' or 'onnxruntime'), for logs and reports */
  readonly backend: string;
  /**
   * calls that can usefully run at once (default 1): the tiled inference keeps this many
   * batches in flight and blends their outputs in tile order
   */
  readonly concurrency?: number;
  /**
   * true: encode and render take over the buffers they are given (e.g. move them to a worker
   * thread, after which the caller's views are empty), so callers pass buffers they no longer
   * need; the tiled inference then fills each batch into new buffers instead of reusing them.
   * Default false: the buffers stay the caller's, unchanged.
   */
  readonly takesInputs?: boolean;
  /**
   * A buffer of `length` floats for an input batch, for an engine that takes its inputs: it may
   * be one the engine has finished with (old contents; the caller overwrites it). Absent: the
   * caller allocates. `lean`: a buffer for the engine's leaner way of taking inputs, slower but
   * holding less memory ({@link TileMemory.fastWorkingBytesPerTilePixel}); all the inputs of a
   * call come the same way.
   */
  inputBuffer?(length: number, lean?: boolean): Float32Array;
  /**
   * Hands an output of encode or render back once the caller has read it, for the engine to
   * reuse as a later input or output buffer (the caller must not use it again). Absent: outputs
   * are simply dropped.
   */
  recycle?(data: Float32Array): void;
  /**
   * N1: images [n,h,w,3] in [0,1] → latent [n,h,w,3] in [0,1].
   * @param batch - n·h·w·3 floats, NHWC
   */
  encode(batch: Float32Array, n: number, h: number, w: number): Promise<Float32Array>;
  /**
   * Optional, for an engine whose render takes the input frame in a form of its own (ONNX
   * Runtime: the exposure prior's log-odds, ../onnx/ort-runner.ts): fills that form of the tile
   * (x, y, w, h) of a photo kept as codes, reflected beyond its edges, into `out` at `offset` (as
   * many floats as the tile's samples), straight from the codes. render then gets these buffers
   * (from the same first element) with `prepared` true, for the same EV; what they hold is the
   * engine's (ONNX Runtime on worker threads keeps the tile's codes in them and looks the prior
   * up in the worker). The result is the same as from the photo's float tile.
   */
  prepareInput?(
    ev: number,
    photo: LdrCodes,
    x: number,
    y: number,
    w: number,
    h: number,
    out: Float32Array,
    offset: number,
  ): void;
  /**
   * N2 (ev ≥ 0) or N3 (ev < 0) on latents [n,h,w,3] → frames [n,h,w,3] in [0,1].
   * @param ev - EV offset in [−4, +4]
   * @param input - the encoded images, required when `needsInput`, else ignored; with
   *   `prepared`, filled by {@link prepareInput} instead
   */
  render(
    latent: Float32Array,
    ev: number,
    input: Float32Array | null,
    n: number,
    h: number,
    w: number,
    prepared?: boolean,
  ): Promise<Float32Array>;
}

async function run(f: () => tf.Tensor4D): Promise<Float32Array> {
  const out = tf.tidy(f);
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

/** Wraps a TensorFlow.js multi-exposure model (current tfjs backend) as a {@link TileModel}. */
export function tfjsTileModel(model: MultiExposureModel): TileModel {
  return {
    stride: model.stride,
    needsInput: model.needsInput,
    backend: 'tfjs',
    encode: (batch, n, h, w) => run(() => model.encode(tf.tensor4d(batch, [n, h, w, 3]))),
    render: (latent, ev, input, n, h, w) =>
      run(() =>
        model.render(
          tf.tensor4d(latent, [n, h, w, 3]),
          ev,
          model.needsInput && input ? tf.tensor4d(input, [n, h, w, 3]) : undefined,
        ),
      ),
  };
}

/** A TileModel as is, or a tfjs model wrapped by {@link tfjsTileModel}. */
export function asTileModel(model: MultiExposureModel | TileModel): TileModel {
  return 'params' in model ? tfjsTileModel(model) : model;
}

/**
 * The engine that runs `model`: a TileModel as is; a tfjs model on ONNX Runtime when
 * initInferenceBackend chose it (exported and cached per weights, ../onnx/ort-cache.ts), else on
 * the active tfjs backend.
 */
export async function resolveTileModel(model: MultiExposureModel | TileModel): Promise<TileModel> {
  if (!('params' in model)) return model;
  const engine = inferenceEngine();
  if (engine?.kind === 'onnxruntime') {
    return ortTileModelFor(model, engine.threads, engine.provider);
  }
  return tfjsTileModel(model);
}
