/**
 * Which engine runs multi-exposure INFERENCE (training always runs on TensorFlow.js): set once
 * by {@link ./inference-backend.ts initInferenceBackend}, read by the tiled inference. Kept in
 * its own dependency-free module so that reading it loads no backend.
 */

import type { OrtProvider } from '../onnx/ort-providers.js';

/** The inference engine in use. */
export interface InferenceEngine {
  /** 'onnxruntime': ONNX Runtime CPU sessions; 'tfjs': the active TensorFlow.js backend */
  readonly kind: 'onnxruntime' | 'tfjs';
  /** ONNX Runtime intra-op threads (ignored for tfjs) */
  readonly threads: number;
  /** ONNX Runtime execution provider ('cuda', 'webgpu' or 'cpu'; default 'cpu') */
  readonly provider?: OrtProvider;
}

let engine: InferenceEngine | null = null;

/** The engine chosen by initInferenceBackend, or null (then inference runs on tfjs). */
export function inferenceEngine(): InferenceEngine | null {
  return engine;
}

/** Sets (or with null, resets) the inference engine. */
export function setInferenceEngine(e: InferenceEngine | null): void {
  engine = e;
}
