/**
 * The grid of tiles over a padded photo: how many tiles per axis and of what size (the fewest
 * tiles for one lane; the least work per lane for several), and the row-major product of the
 * per-axis layouts of image/tiles.ts.
 */
import type { Tile } from '../../image/tiles.js';

/** Fewest tiles of at most `maxSize` pixels (overlapping by `overlap`) that cover `len` pixels. */
function fewestTiles(len: number, maxSize: number, overlap: number): number {
  return len <= maxSize ? 1 : Math.ceil((len - overlap) / (maxSize - overlap));
}

/**
 * The smallest tile side (multiple of `stride`) that covers `len` pixels with `n` tiles
 * overlapping by `overlap`: spreads the slack over all tiles instead of leaving the last one
 * overlapping its neighbour by up to a whole tile.
 */
function tileSideFor(len: number, n: number, overlap: number, stride: number): number {
  if (n <= 1) return len;
  return Math.ceil(((len - overlap) / n + overlap) / stride) * stride;
}

/**
 * The tile size of the grid: the fewest tiles of at most `maxSize` per axis for one lane; for
 * several, the grid with the least work per lane (see TileOptions.lanes in tile-plan.ts). More
 * tiles than the fewest are smaller, so every candidate respects `maxSize`.
 * @param width - padded width (pixels); @param height - padded height (pixels)
 * @param stride - tile sides are multiples of it (unless a side is the whole axis)
 * @returns the tile width and height (pixels)
 */
export function chooseGrid(
  width: number,
  height: number,
  maxSize: number,
  overlap: number,
  stride: number,
  lanes: number,
): { tileWidth: number; tileHeight: number } {
  // candidate sides per axis: the fewest tiles, and up to 3 more when several lanes run
  const sides = (len: number): number[] => {
    const n0 = fewestTiles(len, maxSize, overlap);
    const out = [Math.min(maxSize, tileSideFor(len, n0, overlap, stride))];
    for (let n = n0 + 1; lanes > 1 && n <= n0 + 3; n++) {
      const side = tileSideFor(len, n, overlap, stride);
      if (side > overlap && side < len) out.push(side);
    }
    return out;
  };
  let best = { cost: Infinity, tiles: Infinity, tileWidth: 0, tileHeight: 0 };
  for (const tw of sides(width)) {
    for (const th of sides(height)) {
      // tileGrid lays out exactly this many tiles of these sides
      const tiles = fewestTiles(width, tw, overlap) * fewestTiles(height, th, overlap);
      const cost = Math.ceil(tiles / lanes) * tw * th;
      if (cost < best.cost || (cost === best.cost && tiles < best.tiles)) {
        best = { cost, tiles, tileWidth: tw, tileHeight: th };
      }
    }
  }
  return best;
}

/** Row-major product of a column grid and a row grid, each from tileGrid(len, 1, …). */
export function productGrid(cols: readonly Tile[], rows: readonly Tile[]): Tile[] {
  const tiles: Tile[] = [];
  for (const r of rows) {
    for (const c of cols) {
      tiles.push({
        x: c.x,
        y: r.x,
        width: c.width,
        height: r.width,
        inner: { x: c.inner.x, y: r.inner.x, width: c.inner.width, height: r.inner.width },
      });
    }
  }
  return tiles;
}
