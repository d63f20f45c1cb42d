/** Tiled, bounded-memory inference of the multi-exposure model. */
export type { BracketOptions } from './tiled-bracket.js';
export { formatEv, generateBracket } from './tiled-bracket.js';
export type { TileModel } from './tile-model.js';
export { asTileModel, resolveTileModel, tfjsTileModel } from './tile-model.js';
export type { TileMemory, TileOptions, TilePlan } from './tile-plan.js';
export {
  BRACKET_BYTES_PER_PIXEL,
  bracketFlops,
  budgetTileSize,
  budgetTiles,
  DEFAULT_BATCH_PIXELS,
  DEFAULT_MEMORY_BUDGET,
  DEFAULT_OVERLAP,
  DEFAULT_TILE_SIZE,
  MAX_BUDGET_TILE_SIZE,
  MIN_BUDGET_TILE_SIZE,
  planFlops,
  planTiles,
} from './tile-plan.js';
export { FrameBlender } from './frame-blender.js';
export {
  cropTopLeft,
  paddedSize,
  readReflected,
  readReflectedCodes,
  reflectIndex,
  reflectPad,
} from './pad.js';
export { bracketReceptiveRadius, unetReceptiveRadius } from './receptive-field.js';
export { checkBracketImage, checkEvs } from './validate.js';
