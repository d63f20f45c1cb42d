/** TensorFlow.js runtime: backend selection and the wasm training kernels. */
export type { BackendId, BackendInfo, InitBackendOptions } from './backend.js';
export {
  BACKEND_ORDER,
  backendInfo,
  backendOrder,
  initBackend,
  ONNX_BACKEND_IDS,
  resolveThreads,
} from './backend.js';
export {
  registerWasmTrainingKernels,
  wasmTrainingKernelsRegistered,
} from './wasm-train-kernels.js';
export { MAX_WASM_THREADS } from './wasm-threads.js';
export { registerMissingGradients } from './gradients.js';
export type {
  InferenceBackendId,
  InferenceInfo,
  InitInferenceOptions,
} from './inference-backend.js';
export { INFERENCE_ORDER, initInferenceBackend, PREFERENCE_IDS } from './inference-backend.js';
export type { InferenceEngine } from './inference-state.js';
export { inferenceEngine, setInferenceEngine } from './inference-state.js';
