/** TensorFlow.js runtime: backend selection and the wasm training kernels. */
export type { BackendId, BackendInfo, InitBackendOptions } from './backend.js';
export {
  BACKEND_ORDER,
  backendInfo,
  backendOrder,
  initBackend,
  resolveThreads,
} from './backend.js';
export {
  registerWasmTrainingKernels,
  wasmTrainingKernelsRegistered,
} from './wasm-train-kernels.js';
export { MAX_WASM_THREADS } from './wasm-threads.js';
export { registerMissingGradients } from './gradients.js';
