/** Tone mapping: operators by paper and year, the registry, parameters and the display stage. */
export type { ToneMapOperator, OperatorMeta, ParamMeta, ParamValues } from './operator.js';
export { resolveParams, parseParamArgs } from './params.js';
export type { RawParamValues } from './params.js';
export {
  displayEncode,
  encodeLinear,
  linearRgb,
  toneTable,
  colorFromLuminance,
  safeLuminance,
  logAverage,
  percentile,
  srgbEncodeValue,
  srgbDecodeValue,
} from './display.js';
export type {
  DisplayGamma,
  DisplayOptions,
  DisplayLinear,
  LinearStage,
  LuminanceTone,
} from './display.js';
export { luminanceStats, imageLogAverage } from './scene-stats.js';
export type { LuminanceStats } from './scene-stats.js';
export {
  adjustmentsMeta,
  applyAdjustments,
  resolveAdjustments,
  exposure,
  saturate,
  applyGamma,
  clip,
} from './adjust.js';
export type { Adjustments } from './adjust.js';
export { mulaw } from './mu-law.js';
export { reinhard02 } from './reinhard02.js';
export { drago03, dragoGammaCurve } from './drago03.js';
export { reinhard05, REINHARD05_ANCHOR } from './reinhard05.js';
export { durand02 } from './durand02.js';
export { fattal02 } from './fattal02.js';
export { mantiuk06 } from './mantiuk06.js';
export { listOperators, getOperator, toneMap } from './registry.js';
