/**
 * The margin of the tile feathering used for model inference (see featherWeights in
 * image/tiles.ts): a network's output is wrong near a tile border (its convolutions see padding
 * instead of the neighbour's pixels) and the error decays with the distance to the border, so
 * that many pixels of every shared edge are dropped before the linear ramp.
 */

/**
 * Margin used by default: a quarter of the overlap, leaving half of it for the ramp.
 * @param overlap - tile overlap in pixels
 */
export function defaultMargin(overlap: number): number {
  return Math.floor(overlap / 4);
}
