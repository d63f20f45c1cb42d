/** Shipped and trained models: location and verified loading. */
export { DEFAULT_MODEL_ID, modelsDirectory } from './locate.js';
export { fileSha256, loadModel, type LoadedModel, type ModelDescriptor } from './load-model.js';
