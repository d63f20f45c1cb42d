/**
 * The model work itself, on whatever thread hosts it (a worker, or the caller's for tests): the
 * tfjs backend is initialised once, the last model used stays loaded.
 */
import type { JobOptions } from '../../../core/job.js';
import { writeVirtualBracket } from '../../../core/model/bracket/index.js';
import { initInferenceBackend, type InferenceInfo } from '../../../core/model/runtime/index.js';
import { loadModel, type LoadedModel } from '../../../core/model/store/index.js';
import type { RuntimeInfo } from '../../../shared/api/index.js';
import type { BracketOutput, BracketSpec } from './model-runner.js';
import { PreviewRenderer } from './preview-renderer.js';
import type { FrameOutput, RenderSpec, StripOutput, StripSpec } from './task-protocol.js';

/** Converts the core's backend description to the contract's. */
export function toRuntimeInfo(inf: InferenceInfo): RuntimeInfo {
  const b = inf.tfjs;
  return {
    inference: inf.name,
    provider: inf.ortProvider,
    workers: inf.ortWorkers,
    backend: b.name,
    tfName: b.tfName,
    threads: inf.threads,
    simd: b.simd,
    // inf.skipped already holds the TensorFlow.js backends passed over (initInferenceBackend)
    skipped: [
      ...inf.skipped.map((s) => ({ name: s.name, reason: s.reason })),
      ...inf.ortProvidersSkipped.map((s) => ({ name: `onnxruntime/${s.name}`, reason: s.reason })),
    ],
    notes: [...b.notes],
  };
}

/** Holds the runtime and the loaded model of one thread. */
export class ModelExecutor {
  private loaded: { ref: string; model: Promise<LoadedModel> } | null = null;
  private readonly previews = new PreviewRenderer();

  /** Initialises the backend (once; env BRACKETEER_BACKEND / BRACKETEER_THREADS apply). */
  async runtime(): Promise<RuntimeInfo> {
    return toRuntimeInfo(await initInferenceBackend());
  }

  private async model(ref: string): Promise<LoadedModel> {
    if (this.loaded?.ref !== ref) {
      await this.dispose();
      const model = loadModel(ref);
      this.loaded = { ref, model };
      model.catch(() => {
        if (this.loaded?.model === model) this.loaded = null;
      });
    }
    return this.loaded.model;
  }

  /** Renders `spec` and writes its frames (see {@link writeVirtualBracket}). */
  async bracket(spec: BracketSpec, options: JobOptions): Promise<BracketOutput> {
    options.onProgress?.({ fraction: 0, message: 'Starting the model runtime' });
    const runtime = await this.runtime();
    options.onProgress?.({ fraction: 0, message: 'Loading the model' });
    const loaded = await this.model(spec.model);
    const r = await writeVirtualBracket(loaded.model, spec.input, spec.evs, {
      outDir: spec.outDir,
      format: spec.format,
      quality: spec.quality,
      ...(spec.mergeTo ? { mergeTo: spec.mergeTo } : {}),
      ...(spec.response
        ? {
            response: {
              inverse: spec.response.inverse.map((c) => Float32Array.from(c)),
              source: spec.response.source,
              residual: spec.response.residual,
            },
          }
        : {}),
      signal: options.signal,
      onProgress: options.onProgress,
    });
    return {
      width: r.input.width,
      height: r.input.height,
      frames: r.frames.map((f) => ({ ev: f.ev, file: f.file })),
      ...(r.merged ? { merged: r.merged } : {}),
      ...(r.mergeResponse ? { mergeResponse: r.mergeResponse } : {}),
      model: { id: loaded.id, sha256: loaded.sha256 },
      backend: runtime.backend,
      renderMs: r.renderMs,
      totalMs: r.totalMs,
    };
  }

  /** Display-size frames of a photo at `spec.evs`, each handed to `onFrame` when done. */
  async strip(
    spec: StripSpec,
    options: JobOptions,
    onFrame: (index: number, frame: FrameOutput) => void,
  ): Promise<StripOutput> {
    options.onProgress?.({ fraction: 0, message: 'Loading the model' });
    await this.runtime();
    const loaded = await this.model(spec.model);
    return this.previews.strip(spec, loaded, options, onFrame);
  }

  /** One display-size frame (N2/N3 only while the photo's latent is cached). */
  async render(spec: RenderSpec): Promise<FrameOutput> {
    await this.runtime();
    return this.previews.render(spec, await this.model(spec.model));
  }

  /** Disposes the loaded model. */
  async dispose(): Promise<void> {
    this.previews.dispose();
    const previous = this.loaded;
    this.loaded = null;
    if (previous) {
      try {
        (await previous.model).model.dispose();
      } catch {
        // it never loaded
      }
    }
  }
}
