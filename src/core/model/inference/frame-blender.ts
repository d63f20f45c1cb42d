/**
 * Feathered blending of tiles into a reusable 3-channel frame. Unlike TileAccumulator
 * (image/tiles.ts), tiles may extend past the frame's right and bottom edges (tiles of a
 * stride-padded image; the padding is dropped), the feathering can drop a margin at shared
 * tile edges ({@link featherWeights}), the normalisation plane is computed once for all
 * frames blended with the same tiles (and can be handed on to the next blender,
 * {@link FrameBlender.takeWeightsFor}), and the output buffer is reused from frame to frame.
 * Memory: the frame plus one float per pixel.
 *
 * Speed: tiles are added in their list order, so a pixel that no earlier tile covered is
 * written, not accumulated (no zeroing pass), with a plain row copy where its feather weight is
 * 1; only the pixels whose summed weight is not 1 (the overlap bands) are normalised. The result
 * is bit-for-bit that of zeroing, accumulating and normalising every pixel.
 */
import type { Tile } from '../../image/tiles.js';
import { featherRamps, featherWeights } from '../../image/tiles.js';

const CHANNELS = 3;

/** One row of a tile being added: its samples, where they go, and its feather weights. */
interface TileRow {
  readonly data: Float32Array;
  /** index of the row's first sample in `data` */
  readonly src: number;
  /** index of the row's first sample in the frame */
  readonly row: number;
  /** the tile's column weights */
  readonly rx: Float32Array;
  /** this row's weight */
  readonly wy: number;
}

/** Blends tiles (3 channels) into width × height frames. */
export class FrameBlender {
  /** 1 / (sum of feather weights) per pixel */
  private readonly invWeight: Float32Array;
  /** [start, end) pixel-index runs where invWeight ≠ 1, in order: the pixels finish() scales */
  private readonly normRuns: Int32Array;
  /** per tile: the earlier tiles (lower index) that overlap it inside the frame */
  private readonly earlier: readonly (readonly Tile[])[];
  /** the tile index the next {@link add} must have */
  private next = 0;
  /** the reusable output frame, width·height·3 interleaved samples */
  readonly frame: Float32Array;

  /**
   * @param width - frame width in pixels
   * @param height - frame height in pixels
   * @param tiles - every tile that will be added to each frame (from tileGrid, starting
   *   inside the frame; they may extend past its right and bottom edges)
   * @param overlap - the overlap given to tileGrid (pixels)
   * @param margin - pixels dropped at shared tile edges (see featherWeights); 0 gives
   *   featherWeights' plain linear feathering
   * @param invWeight - a weight plane computed for these tiles (internal, see
   *   {@link takeWeightsFor})
   * @throws RangeError if some pixel of the frame gets no weight (tiles do not cover it)
   */
  constructor(
    readonly width: number,
    readonly height: number,
    private readonly tiles: readonly Tile[],
    private readonly overlap: number,
    private readonly margin = 0,
    invWeight?: Float32Array,
  ) {
    this.frame = new Float32Array(width * height * CHANNELS);
    this.earlier = tiles.map((t, i) => tiles.slice(0, i).filter((u) => this.overlapInFrame(t, u)));
    this.invWeight = invWeight ?? this.computeInvWeight();
    this.normRuns = unequalOneRuns(this.invWeight);
  }

  /** 1 / summed feather weights per pixel. @throws RangeError where no tile covers a pixel */
  private computeInvWeight(): Float32Array {
    const { width, height, tiles, overlap, margin } = this;
    const wsum = new Float32Array(width * height);
    for (const tile of tiles) {
      const wts = featherWeights(tile, overlap, margin);
      this.forEachRow(tile, (p, t, n) => {
        for (let x = 0; x < n; x++) wsum[p + x] += wts[t + x];
      });
    }
    for (let i = 0; i < wsum.length; i++) {
      if (!(wsum[i] > 0)) {
        throw new RangeError(
          `FrameBlender: pixel (${i % width}, ${Math.floor(i / width)}) is not covered by any tile`,
        );
      }
      wsum[i] = 1 / wsum[i];
    }
    return wsum;
  }

  /** Starts a new frame: the next {@link add} must be tile 0. */
  reset(): void {
    this.next = 0;
  }

  /**
   * Adds tile number `index` (of the constructor's list). Tiles are added in list order after
   * {@link reset} (or construction); pixels no earlier tile covered are overwritten.
   * @param data - the tile's processed pixels, tile.width·tile.height·3 samples, read from
   *   `offset`
   * @throws RangeError when `index` is not the next tile
   */
  add(index: number, data: Float32Array, offset = 0): void {
    if (index !== this.next) {
      throw new RangeError(`FrameBlender: tile ${index} added where tile ${this.next} was due`);
    }
    this.next = index + 1 === this.tiles.length ? 0 : index + 1;
    const tile = this.tiles[index];
    // separable weights rx[x]·ry[y]: no tile-sized weight array per call
    const { rx, ry } = featherRamps(tile, this.overlap, this.margin);
    const rows = Math.min(tile.height, this.height - tile.y);
    const cols = Math.min(tile.width, this.width - tile.x);
    const [oneLo, oneHi] = unitSpan(rx, cols);
    const earlier = this.earlier[index];
    for (let y = 0; y < rows; y++) {
      const wy = ry[y];
      const fy = tile.y + y;
      const row = (fy * this.width + tile.x) * CHANNELS;
      const src = offset + y * tile.width * CHANNELS;
      // columns an earlier tile covered in this row are accumulated, the others written
      const r: TileRow = { data, src, row, rx, wy };
      let x = 0;
      for (const [a, b] of coveredSpans(earlier, fy, tile.x, cols)) {
        this.write(r, x, a, oneLo, oneHi);
        if (wy !== 0) this.accumulate(r, a, b);
        x = b;
      }
      this.write(r, x, cols, oneLo, oneHi);
    }
  }

  /** frame = w·data over columns [x0, x1) of one row; a plain copy where the weight is 1. */
  private write(r: TileRow, x0: number, x1: number, oneLo: number, oneHi: number): void {
    if (x0 >= x1) return;
    const { data, src, row, rx, wy } = r;
    const frame = this.frame;
    if (wy === 1 && oneLo < x1 && oneHi > x0) {
      const a = Math.max(x0, oneLo);
      const b = Math.min(x1, oneHi);
      this.write(r, x0, a, a, a);
      frame.set(data.subarray(src + a * CHANNELS, src + b * CHANNELS), row + a * CHANNELS);
      this.write(r, b, x1, b, b);
      return;
    }
    for (let x = x0, q = row + x0 * CHANNELS, s = src + x0 * CHANNELS; x < x1; x++) {
      const w = wy * rx[x];
      frame[q++] = w * data[s++];
      frame[q++] = w * data[s++];
      frame[q++] = w * data[s++];
    }
  }

  /** frame += w·data over columns [x0, x1) of one row. */
  private accumulate(r: TileRow, x0: number, x1: number): void {
    const { data, src, row, rx, wy } = r;
    const frame = this.frame;
    for (let x = x0, q = row + x0 * CHANNELS, s = src + x0 * CHANNELS; x < x1; x++) {
      const w = wy * rx[x];
      frame[q++] += w * data[s++];
      frame[q++] += w * data[s++];
      frame[q++] += w * data[s++];
    }
  }

  /**
   * Normalises the frame by the summed weights, after the last {@link add}. The returned
   * buffer is {@link frame}, overwritten by the next {@link reset}.
   */
  finish(): Float32Array {
    const { frame, invWeight, normRuns } = this;
    for (let r = 0; r < normRuns.length; r += 2) {
      for (let i = normRuns[r]; i < normRuns[r + 1]; i++) {
        const w = invWeight[i];
        const q = i * CHANNELS;
        frame[q] *= w;
        frame[q + 1] *= w;
        frame[q + 2] *= w;
      }
    }
    return frame;
  }

  /**
   * A blender for the top-left `width` × `height` part of this blender's frame, with the same
   * tiles, that takes over this blender's weight plane instead of computing and allocating its
   * own: the plane is compacted in place to the smaller width (the summed feather weights of a
   * pixel depend only on the tiles, so they are the same in both frames). This blender's frame
   * stays valid, but it must not {@link add} or {@link finish} any more. Saves one float per
   * pixel of peak memory when a padded-size pass (the latent) is followed by photo-size frames.
   * @throws RangeError when the new size is larger than this frame
   */
  takeWeightsFor(width: number, height: number): FrameBlender {
    if (width > this.width || height > this.height || width < 1 || height < 1) {
      throw new RangeError(
        `FrameBlender: ${width}×${height} is not inside the ${this.width}×${this.height} frame`,
      );
    }
    const w = this.invWeight;
    if (width !== this.width) {
      // row y moves from y·this.width to y·width ≤ it: safe in increasing y order
      for (let y = 1; y < height; y++) {
        w.copyWithin(y * width, y * this.width, y * this.width + width);
      }
    }
    return new FrameBlender(
      width,
      height,
      this.tiles,
      this.overlap,
      this.margin,
      w.subarray(0, width * height),
    );
  }

  /** Whether tiles a and b share pixels inside the frame. */
  private overlapInFrame(a: Tile, b: Tile): boolean {
    const x0 = Math.max(a.x, b.x);
    const y0 = Math.max(a.y, b.y);
    const x1 = Math.min(a.x + a.width, b.x + b.width, this.width);
    const y1 = Math.min(a.y + a.height, b.y + b.height, this.height);
    return x0 < x1 && y0 < y1;
  }

  /** Calls fn(frame pixel index, tile pixel index, run length) per tile row inside the frame. */
  private forEachRow(tile: Tile, fn: (p: number, t: number, n: number) => void): void {
    const rows = Math.min(tile.height, this.height - tile.y);
    const cols = Math.min(tile.width, this.width - tile.x);
    for (let y = 0; y < rows; y++) fn((tile.y + y) * this.width + tile.x, y * tile.width, cols);
  }
}

/** [start, end) runs of the indices where w[i] ≠ 1, flattened. */
function unequalOneRuns(w: Float32Array): Int32Array {
  const runs: number[] = [];
  let start = -1;
  for (let i = 0; i < w.length; i++) {
    if (w[i] !== 1) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      runs.push(start, i);
      start = -1;
    }
  }
  if (start >= 0) runs.push(start, w.length);
  return Int32Array.from(runs);
}

/** The [lo, hi) range where r[x] = 1 among the first n entries, assuming r is 1 on one middle run. */
function unitSpan(r: Float32Array, n: number): [number, number] {
  let lo = 0;
  while (lo < n && r[lo] !== 1) lo++;
  let hi = lo;
  while (hi < n && r[hi] === 1) hi++;
  return [lo, hi];
}

/**
 * The merged, sorted [a, b) column spans (relative to the tile's left edge `left`, clipped to
 * [0, cols)) that `tiles` cover in frame row `fy`.
 */
function coveredSpans(
  tiles: readonly Tile[],
  fy: number,
  left: number,
  cols: number,
): [number, number][] {
  const spans: [number, number][] = [];
  for (const u of tiles) {
    if (fy < u.y || fy >= u.y + u.height) continue;
    const a = Math.max(0, u.x - left);
    const b = Math.min(cols, u.x + u.width - left);
    if (a < b) spans.push([a, b]);
  }
  spans.sort((p, q) => p[0] - q[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}
