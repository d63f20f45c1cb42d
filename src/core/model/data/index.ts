/** Synthetic training data for the virtual-bracket models (see each module). */
export {
  DUPLICATE_CORRELATION,
  MAX_RADIANCE,
  groupScenes,
  hashString,
  isPanoramic,
  listHdrFiles,
  loadHdrDataset,
  loadHdrSource,
  loadHdrSources,
  panoramaSignature,
  sanitiseHdr,
  sceneBaseName,
  signatureCorrelation,
  splitScenes,
  type DataSplit,
  type HdrDataset,
  type HdrSource,
} from './hdr-source.js';
export {
  perspectiveCrop,
  randomCrop,
  randomView,
  randomWindow,
  windowCrop,
  type CropInfo,
  type CropWindow,
  type PerspectiveView,
  type ViewRanges,
} from './perspective-crop.js';
export {
  applyAugment,
  applyGains,
  applySaturation,
  orientCrop,
  randomAugmentParams,
  type AugmentParams,
  type AugmentRanges,
} from './augment.js';
export {
  exposeFrame,
  forwardLut,
  jpegRoundTrip,
  luminanceQuantile,
  type NoiseParams,
} from './camera-sim.js';
export {
  STACK_EVS,
  sampleSeed,
  synthPair,
  synthStack,
  type SampleMeta,
  type SynthOptions,
  type SynthPair,
  type SynthStack,
} from './synth-stack.js';
export {
  PairBatcher,
  makePairBatch,
  makeValidationStacks,
  type BatcherOptions,
  type PairBatch,
} from './batch.js';
export {
  renderContactSheet,
  writeContactSheet,
  type ContactSheetOptions,
} from './contact-sheet.js';
