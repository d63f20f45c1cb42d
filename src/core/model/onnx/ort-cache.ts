/**
 * ONNX Runtime sessions for TensorFlow.js models, exported on first use and cached per model
 * object. The cache entry is keyed by a SHA-256 fingerprint of every parameter (weights and
 * batch-norm statistics), so a model whose weights changed since (fine-tuning, a reload) is
 * exported again; the previous sessions are released.
 */
import { createHash } from 'node:crypto';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import { exportMultiExposureOnnx } from './export.js';
import type { OrtProvider } from './ort-providers.js';
import type { OrtTileModel } from './ort-runner.js';
import { createOrtTileModel } from './ort-runner.js';

interface Entry {
  readonly fingerprint: string;
  readonly threads: number;
  readonly provider: OrtProvider;
  readonly model: Promise<OrtTileModel>;
}

const cache = new WeakMap<MultiExposureModel, Entry>();

/** SHA-256 (hex) over the parameters' names, shapes and float32 values, in registration order. */
export function paramFingerprint(model: MultiExposureModel): string {
  const h = createHash('sha256');
  h.update(model.config.name);
  for (const e of model.params.list()) {
    h.update(`${e.name}[${e.variable.shape.join(',')}]`);
    const v = e.variable.dataSync() as Float32Array;
    h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  return h.digest('hex');
}

/**
 * The ONNX Runtime tile model of `model` with its current weights (exported and cached).
 * @param threads - intra-op threads
 * @param provider - execution provider (default 'cpu')
 */
export async function ortTileModelFor(
  model: MultiExposureModel,
  threads: number,
  provider: OrtProvider = 'cpu',
): Promise<OrtTileModel> {
  const fingerprint = paramFingerprint(model);
  const hit = cache.get(model);
  if (
    hit &&
    hit.fingerprint === fingerprint &&
    hit.threads === threads &&
    hit.provider === provider
  ) {
    return hit.model;
  }
  if (hit) void hit.model.then((m) => m.release()).catch(() => undefined);
  const entry: Entry = {
    fingerprint,
    threads,
    provider,
    // the prior as an input: computed per sample in JavaScript (prior-table.ts), cheaper than
    // the graph's full-resolution passes
    model: createOrtTileModel(exportMultiExposureOnnx(model, { priorInput: true }), {
      threads,
      provider,
    }),
  };
  cache.set(model, entry);
  entry.model.catch(() => {
    if (cache.get(model) === entry) cache.delete(model);
  });
  return entry.model;
}

/** Releases the cached sessions of `model` (call when disposing it; optional otherwise). */
export async function releaseOrtTileModel(model: MultiExposureModel): Promise<void> {
  const hit = cache.get(model);
  if (!hit) return;
  cache.delete(model);
  await (await hit.model).release();
}
