/** Evaluation of virtual-bracket predictors (`bracketeer eval`): baselines, stacks, scores, reports. */
export type { EvalStack, EvalTarget, FramePredictor } from './types.js';
export { naiveSrgbPredictor, oracleCrfPredictor } from './baselines.js';
export {
  DEFAULT_OFFSETS,
  DEFAULT_OFFSET_TOLERANCE,
  matchOffsets,
  pickReference,
  type OffsetMatch,
} from './offsets.js';
export {
  FRAME_EXTENSIONS,
  SHUTTER_TIMES_FILE,
  listBracketFiles,
  loadRealStack,
  readLdrFrames,
  type RealStack,
  type RealStackOptions,
} from './real-stack.js';
export {
  baselinePredictors,
  realEvalStack,
  synthEvalStack,
  type StackResponseOptions,
  type SynthStackLike,
} from './stacks.js';
export { rightHalf, validateRegion } from './region.js';
export { mergeOffsets, scaleToReference, scoreHdr, WELL_EXPOSED } from './hdr-eval.js';
export { evaluateStack, type EvaluateOptions, type StackFrames } from './evaluate.js';
export {
  aggregateResults,
  evaluateSynthStacks,
  type PredictorSet,
  type SynthEvalOptions,
} from './aggregate.js';
export type * from './results.js';
export {
  formatScore,
  markdownTable,
  resultToJson,
  sideBySide,
  writeSideBySides,
} from './report.js';
export type { EvalResult } from './report.js';
