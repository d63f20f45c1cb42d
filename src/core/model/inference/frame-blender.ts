/**
 * Feathered blending of tiles into a reusable 3-channel frame. Unlike TileAccumulator
 * (image/tiles.ts), tiles may extend past the frame's right and bottom edges (tiles of a
 * stride-padded image; the padding is dropped), the feathering can drop a margin at shared
 * tile edges ({@link featherWeights}), the normalisation plane is computed once for all
 * frames blended with the same tiles (and can be handed on to the next blender,
 * {@link FrameBlender.takeWeightsFor}), and the output buffer is reused from frame to frame.
 * Memory: the frame plus one float per pixel.
 */
import type { Tile } from '../../image/tiles.js';
import { featherRamps, featherWeights } from '../../image/tiles.js';

const CHANNELS = 3;

/** Blends tiles (3 channels) into width × height frames. */
export class FrameBlender {
  /** 1 / (sum of feather weights) per pixel */
  private readonly invWeight: Float32Array;
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
    if (invWeight) {
      this.invWeight = invWeight;
      return;
    }
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
    this.invWeight = wsum;
  }

  /** Zeroes the frame before the first {@link add} of a new frame. */
  reset(): void {
    this.frame.fill(0);
  }

  /**
   * Adds tile number `index` (of the constructor's list).
   * @param data - the tile's processed pixels, tile.width·tile.height·3 samples, read from
   *   `offset`
   */
  add(index: number, data: Float32Array, offset = 0): void {
    const tile = this.tiles[index];
    // separable weights rx[x]·ry[y]: no tile-sized weight array per call
    const { rx, ry } = featherRamps(tile, this.overlap, this.margin);
    const frame = this.frame;
    const rows = Math.min(tile.height, this.height - tile.y);
    const cols = Math.min(tile.width, this.width - tile.x);
    for (let y = 0; y < rows; y++) {
      const wy = ry[y];
      if (wy === 0) continue;
      let q = ((tile.y + y) * this.width + tile.x) * CHANNELS;
      let s = offset + y * tile.width * CHANNELS;
      for (let x = 0; x < cols; x++, q += CHANNELS, s += CHANNELS) {
        const w = wy * rx[x];
        frame[q] += w * data[s];
        frame[q + 1] += w * data[s + 1];
        frame[q + 2] += w * data[s + 2];
      }
    }
  }

  /**
   * Normalises the frame by the summed weights, after the last {@link add}. The returned
   * buffer is {@link frame}, overwritten by the next {@link reset}.
   */
  finish(): Float32Array {
    const { frame, invWeight } = this;
    for (let i = 0; i < invWeight.length; i++) {
      const w = invWeight[i];
      const q = i * CHANNELS;
      frame[q] *= w;
      frame[q + 1] *= w;
      frame[q + 2] *= w;
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

  /** Calls fn(frame pixel index, tile pixel index, run length) per tile row inside the frame. */
  private forEachRow(tile: Tile, fn: (p: number, t: number, n: number) => void): void {
    const rows = Math.min(tile.height, this.height - tile.y);
    const cols = Math.min(tile.width, this.width - tile.x);
    for (let y = 0; y < rows; y++) fn((tile.y + y) * this.width + tile.x, y * tile.width, cols);
  }
}
