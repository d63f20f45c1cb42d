/**
 * Feathering weights with a discarded margin: like featherWeights (image/tiles.ts), but the
 * first `margin` pixels of every edge that borders another tile get weight 0 and the linear
 * ramp runs over the next overlap − 2·margin pixels (none when 2·margin = overlap: a hard
 * cut in the middle of the overlap). A network's output is wrong near a tile
 * border (its convolutions see zero padding instead of the neighbour's pixels) and the error
 * decays with the distance to the border; dropping the margin keeps those pixels out of the
 * blend entirely instead of merely down-weighting them. With margin 0 this is featherWeights.
 */
import type { Tile } from '../../image/tiles.js';

/**
 * Margin used by default: a quarter of the overlap, leaving half of it for the ramp.
 * @param overlap - tile overlap in pixels
 */
export function defaultMargin(overlap: number): number {
  return Math.floor(overlap / 4);
}

/**
 * Weights of one tile: product of x and y ramps; along an edge that borders another tile the
 * ramp is 0 for d < margin and (d − margin + 1)/(overlap − 2·margin + 1) for
 * margin ≤ d < overlap − margin (d = distance from the edge in pixels), 1 elsewhere. Two tiles
 * overlapping by exactly `overlap` get weights that sum to 1 across the overlap.
 * @param tile - a tile from tileGrid (its `inner` rect tells which edges border other tiles)
 * @param overlap - the overlap given to tileGrid (pixels ≥ 0)
 * @param margin - pixels dropped at each shared edge, integer with 0 ≤ 2·margin ≤ overlap
 * @returns tile.width·tile.height weights in [0, 1]
 * @throws RangeError if the margin is negative, fractional or over half the overlap
 */
export function featherMarginWeights(tile: Tile, overlap: number, margin: number): Float32Array {
  if (!Number.isInteger(margin) || margin < 0 || 2 * margin > overlap) {
    throw new RangeError(`feather margin ${margin} must be an integer in [0, ${overlap}/2]`);
  }
  const rx = ramp(
    tile.width,
    overlap,
    margin,
    tile.inner.x > tile.x,
    tile.inner.x + tile.inner.width < tile.x + tile.width,
  );
  const ry = ramp(
    tile.height,
    overlap,
    margin,
    tile.inner.y > tile.y,
    tile.inner.y + tile.inner.height < tile.y + tile.height,
  );
  const out = new Float32Array(tile.width * tile.height);
  for (let y = 0; y < tile.height; y++) {
    const o = y * tile.width;
    const wy = ry[y];
    for (let x = 0; x < tile.width; x++) out[o + x] = wy * rx[x];
  }
  return out;
}

function ramp(
  n: number,
  overlap: number,
  margin: number,
  low: boolean,
  high: boolean,
): Float32Array {
  const r = new Float32Array(n).fill(1);
  const len = overlap - 2 * margin;
  for (let d = 0; d < Math.min(overlap - margin, n); d++) {
    const w = d < margin ? 0 : (d - margin + 1) / (len + 1);
    if (low) r[d] = Math.min(r[d], w);
    if (high) r[n - 1 - d] = Math.min(r[n - 1 - d], w);
  }
  return r;
}
