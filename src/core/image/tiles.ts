/**
 * Tiled processing: cut an image into overlapping tiles, process each, and paste the results
 * back with linear feathering in the overlaps, normalised by the summed weights (so
 * unprocessed tiles reassemble the exact image).
 */
import { crop } from './crop.js';
import type { Channels, FloatImage } from './image.js';

/** Axis-aligned rectangle in pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One tile: the rectangle to process, and the part of it this tile owns. */
export interface Tile extends Rect {
  /**
   * The region owned by this tile alone: the tiles' inner rects partition the image, with
   * boundaries in the middle of each overlap. Useful for hard (non-feathered) pasting.
   */
  readonly inner: Rect;
}

/** Tile starts along one axis, and the owned [from, to) range of each. */
function axis(
  len: number,
  size: number,
  overlap: number,
): { pos: number[]; from: number[]; to: number[] } {
  const pos: number[] = [];
  if (len <= size) pos.push(0);
  else {
    const step = size - overlap;
    const n = Math.ceil((len - overlap) / step);
    for (let i = 0; i < n; i++) pos.push(Math.min(i * step, len - size));
  }
  const ext = Math.min(size, len);
  const from: number[] = [0];
  const to: number[] = [];
  for (let i = 1; i < pos.length; i++) {
    const mid = Math.floor((pos[i] + pos[i - 1] + ext) / 2);
    to.push(mid);
    from.push(mid);
  }
  to.push(len);
  return { pos, from, to };
}

/**
 * Covers a width × height image with tiles of at most tileSize², overlapping by at least
 * `overlap` pixels (the last tile of a row/column is shifted inwards to stay inside, so its
 * overlap can be larger). Row-major order.
 * @param width - image width in pixels (integer ≥ 1)
 * @param height - image height in pixels (integer ≥ 1)
 * @param tileSize - tile side in pixels (integer ≥ 1); smaller images give one tile
 * @param overlap - overlap in pixels (integer, 0 ≤ overlap < tileSize)
 * @throws RangeError on invalid sizes
 */
export function tileGrid(width: number, height: number, tileSize: number, overlap: number): Tile[] {
  const ints = [width, height, tileSize, overlap].every(Number.isInteger);
  if (!ints || width < 1 || height < 1 || tileSize < 1 || overlap < 0 || overlap >= tileSize) {
    throw new RangeError(
      `tileGrid: invalid tiling of ${width}×${height} with tile ${tileSize} and overlap ${overlap}`,
    );
  }
  const ax = axis(width, tileSize, overlap);
  const ay = axis(height, tileSize, overlap);
  const tw = Math.min(tileSize, width);
  const th = Math.min(tileSize, height);
  const tiles: Tile[] = [];
  for (let j = 0; j < ay.pos.length; j++) {
    for (let i = 0; i < ax.pos.length; i++) {
      tiles.push({
        x: ax.pos[i],
        y: ay.pos[j],
        width: tw,
        height: th,
        inner: {
          x: ax.from[i],
          y: ay.from[j],
          width: ax.to[i] - ax.from[i],
          height: ay.to[j] - ay.from[j],
        },
      });
    }
  }
  return tiles;
}

/**
 * Copies a tile's pixels out of an image.
 * @returns a new image of tile.width × tile.height, same kind
 * @throws RangeError if the tile is not inside the image
 */
export function extractTile<T extends FloatImage>(img: T, tile: Rect): T {
  return crop(img, tile.x, tile.y, tile.width, tile.height);
}

/**
 * Feathering weights of a tile: the product of an x and a y ramp. Along each edge that borders
 * another tile, the first `margin` pixels get weight 0 (a network's output is least reliable
 * next to a tile border, so those pixels are kept out of the blend) and the ramp
 * (d − margin + 1)/(overlap − 2·margin + 1) runs over the next overlap − 2·margin pixels
 * (d = distance from the edge); 1 elsewhere and along image borders. Two tiles overlapping by
 * exactly `overlap` get weights that sum to 1 across the overlap. Margin 0 is plain linear
 * feathering.
 * @param tile - a tile from {@link tileGrid} (its `inner` rect tells which edges are shared)
 * @param overlap - the overlap given to tileGrid (pixels ≥ 0)
 * @param margin - pixels dropped at each shared edge, integer with 0 ≤ 2·margin ≤ overlap
 * @returns tile.width·tile.height weights in [0, 1]
 * @throws RangeError if the margin is negative, fractional or over half the overlap
 */
export function featherWeights(tile: Tile, overlap: number, margin = 0): Float32Array {
  const { rx, ry } = featherRamps(tile, overlap, margin);
  const out = new Float32Array(tile.width * tile.height);
  for (let y = 0; y < tile.height; y++) {
    const o = y * tile.width;
    const wy = ry[y];
    for (let x = 0; x < tile.width; x++) out[o + x] = wy * rx[x];
  }
  return out;
}

/**
 * The separable factors of {@link featherWeights}: weight(x, y) = rx[x] · ry[y]. Lets a blender
 * apply the weights row by row without a tile-sized weight array.
 * @throws RangeError for a margin outside [0, overlap/2]
 */
export function featherRamps(
  tile: Tile,
  overlap: number,
  margin = 0,
): { readonly rx: Float32Array; readonly ry: Float32Array } {
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
  return { rx, ry };
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

/**
 * Accumulates processed tiles into a full image with feathered blending. Memory: the output
 * plus one weight plane.
 */
export class TileAccumulator {
  private readonly sum: Float32Array;
  private readonly weight: Float32Array;

  /**
   * @param width - full image width in pixels
   * @param height - full image height in pixels
   * @param channels - channels of the processed tiles (1 or 3)
   * @param overlap - the overlap given to tileGrid
   */
  constructor(
    readonly width: number,
    readonly height: number,
    readonly channels: Channels,
    readonly overlap: number,
  ) {
    this.sum = new Float32Array(width * height * channels);
    this.weight = new Float32Array(width * height);
  }

  /**
   * Adds one processed tile.
   * @param tile - where it goes (from {@link tileGrid} for the same size and overlap)
   * @param data - tile.width·tile.height·channels interleaved samples
   * @throws RangeError if the data length is wrong or the tile lies outside the image
   */
  add(tile: Tile, data: Float32Array): void {
    const c = this.channels;
    if (data.length !== tile.width * tile.height * c) {
      throw new RangeError(
        `TileAccumulator: tile data holds ${data.length} samples, expected ${tile.width}×${tile.height}×${c}`,
      );
    }
    if (
      tile.x < 0 ||
      tile.y < 0 ||
      tile.x + tile.width > this.width ||
      tile.y + tile.height > this.height
    ) {
      throw new RangeError(
        `TileAccumulator: tile at (${tile.x}, ${tile.y}) lies outside the image`,
      );
    }
    const wts = featherWeights(tile, this.overlap);
    for (let y = 0; y < tile.height; y++) {
      const p = (tile.y + y) * this.width + tile.x;
      const t = y * tile.width;
      for (let x = 0; x < tile.width; x++) {
        const w = wts[t + x];
        this.weight[p + x] += w;
        const q = (p + x) * c;
        const s = (t + x) * c;
        for (let k = 0; k < c; k++) this.sum[q + k] += w * data[s + k];
      }
    }
  }

  /**
   * Normalises by the weight sum and returns the blended pixels (pixels no tile covered are
   * 0). Call once, after the last {@link add}; the accumulator's buffer is handed over.
   * @returns width·height·channels interleaved samples
   */
  result(): Float32Array {
    const c = this.channels;
    const n = this.width * this.height;
    for (let i = 0; i < n; i++) {
      const w = this.weight[i];
      const inv = w > 0 ? 1 / w : 0;
      for (let k = 0; k < c; k++) this.sum[i * c + k] *= inv;
    }
    return this.sum;
  }
}

/**
 * Blends processed tiles back into a full image (a one-shot {@link TileAccumulator}).
 * @param tiles - the tiles from {@link tileGrid}
 * @param data - processed pixels of each tile, same order
 * @returns width·height·channels interleaved samples
 */
export function blendTiles(
  tiles: readonly Tile[],
  data: readonly Float32Array[],
  width: number,
  height: number,
  channels: Channels,
  overlap: number,
): Float32Array {
  if (tiles.length !== data.length) {
    throw new RangeError(`blendTiles: ${tiles.length} tiles but ${data.length} data buffers`);
  }
  const acc = new TileAccumulator(width, height, channels, overlap);
  for (let i = 0; i < tiles.length; i++) acc.add(tiles[i], data[i]);
  return acc.result();
}
