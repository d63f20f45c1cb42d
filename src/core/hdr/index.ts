/** HDR from brackets: validation, radiance merges, exposure fusion, alignment, deghosting. */
export {
  validateBracket,
  validateFrames,
  validateResponse,
  middleExposureIndex,
} from './bracket.js';
export type { Bracket } from './bracket.js';
export { mergeDebevec } from './merge-debevec.js';
export { mergeRobertson } from './merge-robertson.js';
export type { MergeOptions } from './merge-driver.js';
export { deghostWeights } from './deghost.js';
export type { DeghostOptions } from './deghost.js';
export { fuseMertens } from './fuse-mertens.js';
export type { FuseMertensOptions, MertensExponents } from './fuse-mertens.js';
export { alignMtb, shiftFrame, mtbGrey } from './align-mtb.js';
export type { AlignMtbOptions, AlignMtbResult } from './align-mtb.js';
export { gaussianPyramid, laplacianPyramid, collapse, pyrDown, pyrUpAdd } from './pyramid.js';
export type { Plane } from './pyramid.js';
