/** Fine-tuning a model on the user's own exposure stacks (`bracketeer finetune`). */
export { extractCrop, TRANSFORM_COUNT } from './augment.js';
export { cameraProfile, type CameraProfile } from './camera-profile.js';
export { beforeAfterTable, renderCard, type CardFacts, type StackSummary } from './card.js';
export {
  finetuneModel,
  type FinetuneEvent,
  type FinetuneOptions,
  type FinetuneResult,
} from './finetune.js';
export { ghostMask, integralMask, rectCount, GHOST_WEIGHT_THRESHOLD } from './ghost.js';
export { heldOutRegion } from './holdout.js';
export {
  checkNewModelId,
  writeModelFolder,
  type FinetuneDescriptor,
  type ModelFolderContents,
} from './model-folder.js';
export {
  PairSampler,
  type PairSample,
  type PairSamplerOptions,
  type SampledBatch,
  type SamplerCoverage,
  type SamplerStack,
} from './pair-sampler.js';
export {
  DEFAULT_FINETUNE_SETTINGS,
  finetuneSchedule,
  validateFinetuneSettings,
  type FinetuneSettings,
} from './settings.js';
export {
  findStacks,
  prepareStack,
  type FinetuneStack,
  type FoundStacks,
  type PrepareOptions,
  type StackSource,
} from './stack-data.js';
export {
  holdoutStack,
  modelPredictor,
  scoreHoldout,
  PSNR_CAP_DB,
  type HoldoutScore,
  type HoldoutStack,
} from './validation.js';
