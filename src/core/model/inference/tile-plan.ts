/**
 * The tiling of a photo for the multi-exposure networks, and its analytic cost.
 *
 * The photo is reflect-padded (virtually: tiles read through `readReflected`) on the
 * right and bottom to multiples of the model's stride, and the padded image is cut with
 * {@link tileGrid} (per axis, so tiles can be rectangles sized to spread the overlap evenly).
 * The tile size is rounded down and the overlap up to multiples of the stride, so every tile
 * starts on a multiple of the stride: a U-Net with pooling is only
 * shift-equivariant by multiples of its stride, and tiles off that grid would compute
 * different features than an untiled pass, visible as seams in the overlaps.
 */
import { InvalidInputError } from '../../errors.js';
import type { Tile } from '../../image/tiles.js';
import { tileGrid } from '../../image/tiles.js';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import { defaultMargin } from './feather.js';
import { paddedSize } from './pad.js';
import { chooseGrid, productGrid } from './tile-grid.js';

/** Default tile side (pixels). */
export const DEFAULT_TILE_SIZE = 1024;
/**
 * Default overlap between tiles (pixels), with a default margin of a quarter of it.
 *
 * Tiling is exact (up to float rounding) when the margin is ≥ each network's receptive-field
 * radius (receptive-field.ts: 9 px for TINY, 103 px for LITE), i.e. overlap ≥ 2 × radius: then
 * no pixel whose context was cut by a tile border enters the blend. The default trades that
 * for speed (tiles cover ≈ 1.2× the photo's pixels at 512 / 32, ≈ 2.8× at 512 / 224): the
 * effective reach of a network is much shorter than its theoretical radius, and what is left
 * of the border error is feathered out. Measured on LITE, 1024 × 768, tiles ≤ 512, against
 * one untiled pass, mean / max |Δ| at EV −2 and EV +2:
 *   - random weights: overlap 32 (margin 8) 2.8e-3 / 0.16 and 7.1e-3 / 0.74; overlap 128
 *     (margin 32) 2.1e-4 / 0.016 and 6.8e-4 / 0.085; overlap 224 (margin 104) ≤ 5e-6;
 *   - weights after 700 training steps: overlap 32 2.2e-4 / 0.024 and 3.5e-4 / 0.23;
 *     overlap 128 1.3e-5 / 0.0026 and 2.7e-5 / 0.017.
 * tileSize 1024 with overlap 128 costs about the same as 512 / 32 (≈ 1.2× the photo's pixels)
 * with a quarter of the seams, hence the defaults 1024 / 128; re-measure with the final weights.
 */
export const DEFAULT_OVERLAP = 128;
/**
 * Default resident-memory budget (bytes) of a bracket on an engine that states its working
 * memory ({@link TileMemory}): the default tile side shrinks below {@link DEFAULT_TILE_SIZE} when
 * the photo's buffers and the engine's per-tile memory would exceed it. Sized so that a 24-MP
 * bracket on ONNX Runtime stays under 1.5 GB resident: with the photo as floats, tiles ≤ 736 px
 * (measured 1.39 GB at ≤ 768 px against 1.60 GB at the default 1024); as 8-bit codes, 864×912
 * tiles and 1175–1434 MiB in bench:model, and `bracketeer bracket` (which also budgets the
 * frame it writes) 1234–1379 MiB for JPEG and 16-bit TIFF frames with malloc in one arena, as
 * the launcher runs it (up to 1444 MiB with glibc's per-thread arenas; README).
 */
export const DEFAULT_MEMORY_BUDGET = 1.45e9;
/**
 * Bytes the tiled inference holds per photo pixel besides the photo itself: latent, frame (3
 * floats each) and the shared weight plane (1 float).
 */
export const BRACKET_BYTES_PER_PIXEL = 28;
/** Bytes per pixel of a photo held as floats (3 × float32); as codes: 3 or 6. */
export const FLOAT_PHOTO_BYTES_PER_PIXEL = 12;
/** Smallest default tile side a memory budget may choose (pixels). */
export const MIN_BUDGET_TILE_SIZE = 512;
/**
 * Largest default tile side for an engine that states its working memory: the budget decides
 * below it. Larger tiles than {@link DEFAULT_TILE_SIZE} overlap less (a 12-MP photo: 12 tiles
 * of 1104 × 1088 cover 1.20× its pixels, 20 tiles of 912 × 848 cover 1.29×).
 */
export const MAX_BUDGET_TILE_SIZE = 1536;

/** What an engine tells the tile planner about its memory (tile-model.ts). */
export interface TileMemory {
  /**
   * resident bytes per tile pixel while a tile runs (the engine's intermediate tensors and
   * arena, the batch buffers); undefined: not known, the default tile size is used as is
   */
  readonly workingBytesPerTilePixel?: number;
  /**
   * the same when the engine takes its inputs the faster way (inputBuffer without `lean`), when
   * that holds more memory; undefined: there is one way
   */
  readonly fastWorkingBytesPerTilePixel?: number;
  /** resident bytes of the process before the photo is loaded (runtime, weights) */
  readonly baselineBytes?: number;
}

/**
 * The default tile side for a width × height photo: {@link DEFAULT_TILE_SIZE} for an engine that
 * does not state its working memory; else the largest side up to {@link MAX_BUDGET_TILE_SIZE}
 * (down to {@link MIN_BUDGET_TILE_SIZE}) for which baseline + ({@link BRACKET_BYTES_PER_PIXEL} +
 * photo bytes) · photo pixels + working bytes · tile pixels stays within `budget`.
 * @param budget - bytes (default {@link DEFAULT_MEMORY_BUDGET})
 * @param photoBytesPerPixel - how the photo is held: 12 as floats (default), 3 or 6 as 8- or
 *   16-bit codes
 * @returns a tile side in pixels (not yet snapped to the stride; planTiles does that)
 */
export function budgetTileSize(
  width: number,
  height: number,
  memory: TileMemory,
  budget = DEFAULT_MEMORY_BUDGET,
  photoBytesPerPixel = FLOAT_PHOTO_BYTES_PER_PIXEL,
): number {
  const perTilePixel = memory.workingBytesPerTilePixel;
  if (perTilePixel === undefined || !(perTilePixel > 0)) return DEFAULT_TILE_SIZE;
  const perPixel = BRACKET_BYTES_PER_PIXEL + photoBytesPerPixel;
  const left = budget - (memory.baselineBytes ?? 0) - perPixel * width * height;
  const side = Math.floor(Math.sqrt(Math.max(0, left) / perTilePixel));
  return Math.max(MIN_BUDGET_TILE_SIZE, Math.min(MAX_BUDGET_TILE_SIZE, side));
}

/** The tile side and input transport of a bracket ({@link budgetTiles}). */
export interface BudgetTiles {
  /** default tile side (pixels), as {@link budgetTileSize} */
  readonly tileSize: number;
  /** true: inputs the engine's leaner way (TileModel.inputBuffer's `lean`) */
  readonly lean: boolean;
}

/**
 * {@link budgetTileSize} for an engine with a faster, hungrier way to take its inputs
 * ({@link TileMemory.fastWorkingBytesPerTilePixel}): that way when the budget still leaves room
 * for tiles of at least {@link DEFAULT_TILE_SIZE} with it (a 12-MP photo), else the lean way
 * with the tiles the budget allows for it (a 24-MP photo), memory being the scarcer then.
 */
export function budgetTiles(
  width: number,
  height: number,
  memory: TileMemory,
  budget = DEFAULT_MEMORY_BUDGET,
  photoBytesPerPixel = FLOAT_PHOTO_BYTES_PER_PIXEL,
): BudgetTiles {
  const fast = memory.fastWorkingBytesPerTilePixel;
  if (fast !== undefined) {
    const side = budgetTileSize(
      width,
      height,
      { ...memory, workingBytesPerTilePixel: fast },
      budget,
      photoBytesPerPixel,
    );
    if (side >= DEFAULT_TILE_SIZE) return { tileSize: side, lean: false };
  }
  return {
    tileSize: budgetTileSize(width, height, memory, budget, photoBytesPerPixel),
    lean: fast !== undefined,
  };
}

/** Default pixel budget of one batched forward call (tiles × tile pixels). */
export const DEFAULT_BATCH_PIXELS = 512 * 512;

/** Tiling options. */
export interface TileOptions {
  /**
   * largest tile side in pixels, rounded down to a multiple of the model stride (default 1024);
   * tiles are shrunk per axis to the smallest stride multiple that needs no more tiles
   */
  readonly tileSize?: number;
  /** overlap in pixels, rounded up to a multiple of the model stride (default 128) */
  readonly overlap?: number;
  /**
   * pixels of each tile output dropped (weight 0) at edges shared with another tile, before
   * the feathering ramp (default: a quarter of the rounded overlap; 0: plain linear feathering)
   */
  readonly margin?: number;
  /** tiles per forward call (default: as many as fit in 512² pixels, at least 1) */
  readonly batchSize?: number;
  /**
   * tiles the engine runs at once (default 1). Above 1, the grid is chosen for the least work
   * per lane rather than the fewest tiles: of the grids with up to 3 more columns and rows than
   * the fewest, the one with the smallest ⌈tiles / lanes⌉ × tile pixels (then the fewest tiles),
   * so that every lane has a tile in each round (a 1-MP photo in two tiles for two lanes, not one).
   */
  readonly lanes?: number;
  /**
   * resident-memory budget in bytes that sizes the default tile when `tileSize` is not given
   * and the engine states its working memory (default {@link DEFAULT_MEMORY_BUDGET})
   */
  readonly memoryBudget?: number;
}

/** A tiling of one photo. */
export interface TilePlan {
  /** photo size (pixels) */
  readonly width: number;
  readonly height: number;
  /** photo size padded to multiples of the stride (pixels); the tiles cover this */
  readonly paddedWidth: number;
  readonly paddedHeight: number;
  /** the effective (rounded) tile size and overlap (pixels) */
  readonly tileSize: number;
  readonly overlap: number;
  /** pixels dropped at shared tile edges before the feathering ramp */
  readonly margin: number;
  /** every tile's width and height (all tiles are equal), multiples of the stride, ≤ tileSize */
  readonly tileWidth: number;
  readonly tileHeight: number;
  /** tiles in row-major order, in padded coordinates */
  readonly tiles: readonly Tile[];
  /** tiles per forward call */
  readonly batchSize: number;
}

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) {
    throw new InvalidInputError(`${name} must be a positive integer, got ${v}`);
  }
}

/**
 * Plans the tiles for a width × height photo.
 * @param stride - the model's stride (H and W of each forward input must be multiples of it)
 * @throws InvalidInputError for non-integer sizes, a tile smaller than the stride, or an
 *   overlap that leaves no room (≥ tile size after rounding)
 */
export function planTiles(
  stride: number,
  width: number,
  height: number,
  options: TileOptions = {},
): TilePlan {
  positiveInt('image width', width);
  positiveInt('image height', height);
  const requestedSize = options.tileSize ?? DEFAULT_TILE_SIZE;
  const requestedOverlap = options.overlap ?? DEFAULT_OVERLAP;
  positiveInt('tileSize', requestedSize);
  if (!Number.isInteger(requestedOverlap) || requestedOverlap < 0) {
    throw new InvalidInputError(`overlap must be an integer ≥ 0, got ${requestedOverlap}`);
  }
  const tileSize = Math.floor(requestedSize / stride) * stride;
  const overlap = Math.ceil(requestedOverlap / stride) * stride;
  if (tileSize < stride) {
    throw new InvalidInputError(
      `tileSize ${requestedSize} is smaller than the model stride ${stride}`,
    );
  }
  if (overlap >= tileSize) {
    throw new InvalidInputError(
      `overlap ${requestedOverlap} (${overlap} on the stride-${stride} grid) must be smaller than the tile size ${tileSize}`,
    );
  }
  const margin = options.margin ?? defaultMargin(overlap);
  if (!Number.isInteger(margin) || margin < 0 || 2 * margin > overlap) {
    throw new InvalidInputError(
      `margin ${margin} must be an integer ≥ 0 and at most half the overlap (${overlap})`,
    );
  }
  const paddedWidth = paddedSize(width, stride);
  const paddedHeight = paddedSize(height, stride);
  const lanes = options.lanes ?? 1;
  positiveInt('lanes', lanes);
  const { tileWidth, tileHeight } = chooseGrid(
    paddedWidth,
    paddedHeight,
    tileSize,
    overlap,
    stride,
    lanes,
  );
  // An axis that fits in one tile has no shared edges (tileGrid wants overlap < tile there).
  const axis = (len: number, size: number) => tileGrid(len, 1, size, len <= size ? 0 : overlap);
  const tiles = productGrid(axis(paddedWidth, tileWidth), axis(paddedHeight, tileHeight));
  let batchSize = options.batchSize;
  if (batchSize === undefined) {
    batchSize = Math.max(1, Math.floor(DEFAULT_BATCH_PIXELS / (tileWidth * tileHeight)));
  } else positiveInt('batchSize', batchSize);
  batchSize = Math.min(batchSize, tiles.length);
  return {
    width,
    height,
    paddedWidth,
    paddedHeight,
    tileSize,
    overlap,
    margin,
    tileWidth,
    tileHeight,
    tiles,
    batchSize,
  };
}

/**
 * Analytic convolution FLOPs of one `generateBracket` call: N1 over every tile (if any
 * EV is non-zero) plus N2/N3 over every tile per non-zero EV, counting the padded tile pixels
 * (overlaps included). Divide by the wall time for GFLOP/s.
 * @param evs - the EV list (EV 0 frames cost nothing)
 * @returns FLOPs (one multiply-add = 2)
 */
export function bracketFlops(
  model: MultiExposureModel,
  width: number,
  height: number,
  evs: readonly number[],
  options: TileOptions = {},
): number {
  return planFlops(model, planTiles(model.stride, width, height, options), evs);
}

/**
 * {@link bracketFlops} of a given plan (as reported by generateBracket's `onPlan`).
 * @returns FLOPs (one multiply-add = 2)
 */
export function planFlops(
  model: Pick<MultiExposureModel, 'flopsPerPixel'>,
  plan: TilePlan,
  evs: readonly number[],
): number {
  const nonZero = evs.filter((ev) => ev !== 0).length;
  if (nonZero === 0) return 0;
  const pixels = plan.tiles.length * plan.tileWidth * plan.tileHeight;
  return pixels * (model.flopsPerPixel.encode + nonZero * model.flopsPerPixel.render);
}
