/** ONNX export of the multi-exposure model and inference on ONNX Runtime. */
export type { OnnxGraphs } from './export.js';
export { exportMultiExposureOnnx, hwioToOihw, ONNX_IO } from './export.js';
export { GraphBuilder, ONNX_IR_VERSION, ONNX_OPSET } from './graph-builder.js';
export type { OrtProvider, ProviderEnvironment } from './ort-providers.js';
export {
  chooseOrtProvider,
  ORT_PROVIDERS,
  probeProvider,
  providerCandidates,
  providerEnvironment,
} from './ort-providers.js';
export type { OrtOptions, OrtTileModel } from './ort-runner.js';
export { createOrtTileModel, loadOrt, ortWorkerCount } from './ort-runner.js';
export { ortTileModelFor, paramFingerprint, releaseOrtTileModel } from './ort-cache.js';
export type { OnnxDescriptor, OnnxFileRecord } from './files.js';
export { ONNX_FILES, writeOnnxFiles } from './files.js';
