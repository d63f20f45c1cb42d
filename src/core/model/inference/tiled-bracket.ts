/**
 * Virtual exposure bracket from one photo with the multi-exposure model, tile by tile, in
 * bounded memory.
 *
 * Pass 1 runs N1 over the tiles of the stride-padded photo and feather-blends the latent X
 * into one padded-size buffer. Pass 2, for each EV in turn, runs N2/N3 (`model.render`, which
 * applies the exposure ratio 2^EV) over the same tiles of the blended latent, feather-blends
 * them into one photo-size frame, hands the frame to `onFrame` and reuses the buffer for the
 * next EV. EV 0 is an exact copy of the (clamped) input.
 *
 * Models whose renderers use the exposure prior (config `outputPrior`) get the photo's tile
 * alongside the latent's in pass 2.
 *
 * Peak memory ≈ input (3 floats/pixel) + latent (3) + frame (3) + one weight plane (1), about
 * 40 bytes per pixel (≈ 1 GB for 24 MP), plus the per-batch tensors of the backend; frames
 * are only kept when no `onFrame` is given.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FloatImage } from '../../image/image.js';
import type { JobOptions } from '../../job.js';
import { throwIfAborted } from '../../job.js';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import { FrameBlender } from './frame-blender.js';
import { readReflected } from './pad.js';
import type { TileOptions, TilePlan } from './tile-plan.js';
import { planTiles } from './tile-plan.js';
import { checkBracketImage, checkEvs } from './validate.js';

const UNIT: readonly [number, number] = [0, 1];

/** Options of {@link generateBracket}. */
export interface BracketOptions extends JobOptions, TileOptions {
  /**
   * Receives each frame as soon as it is done, in the order of `evs`: width·height·3
   * interleaved samples in [0, 1]. The buffer is reused for the next frame once the returned
   * promise settles, so write it out (or copy it) before then. When given, no frames are kept.
   */
  readonly onFrame?: (ev: number, frame: Float32Array, index: number) => Promise<void> | void;
}

/** Formats an EV offset for progress messages: "+2", "-1.5", "0". */
export function formatEv(ev: number): string {
  return ev > 0 ? `+${ev}` : String(ev);
}

/**
 * Generates the exposure bracket of `image` at the EV offsets `evs`.
 * @param model - a multi-exposure model (weights loaded)
 * @param image - 3 channels, display-referred values; finite values are clamped to [0, 1]
 * @param evs - EV offsets, each finite in [−4, +4]; duplicates allowed; output keeps this order
 * @param options - tiling (tileSize ≤ 1024 and overlap 128, snapped to the model stride; margin
 *   overlap/4; batchSize — see tile-plan.ts for the seam/cost trade-off), `onFrame`, `signal`
 *   (checked between tile batches), `onProgress` (fraction over N1 tiles + tiles × non-zero
 *   EVs, messages like "EV +2: tile 5/24")
 * @returns the frames in the order of `evs` (width × height × 3), or `[]` when `onFrame` is given
 * @throws InvalidInputError for a non-3-channel image, non-finite samples, EVs out of range or
 *   bad tiling options; CancelledError when the signal aborts
 */
export async function generateBracket(
  model: MultiExposureModel,
  image: FloatImage,
  evs: readonly number[],
  options: BracketOptions = {},
): Promise<FloatImage[]> {
  checkBracketImage(image);
  checkEvs(evs);
  const { width, height } = image;
  const plan = planTiles(model.stride, width, height, options);
  const { signal, onProgress, onFrame } = options;
  throwIfAborted(signal);

  const nTiles = plan.tiles.length;
  const nonZero = evs.filter((ev) => ev !== 0).length;
  const total = nonZero > 0 ? nTiles * (1 + nonZero) : 0;
  let done = 0;
  const progress = (message: string): void => {
    onProgress?.({ fraction: total > 0 ? Math.min(1, done / total) : 1, message });
  };
  const pass = (label: string) => (tilesDone: number, batch: number) => {
    done += batch;
    progress(`${label}: tile ${tilesDone}/${nTiles}`);
  };
  progress('Starting');

  let latent: Float32Array | null = null;
  let blender: FrameBlender | null = null;
  if (nonZero > 0) {
    latent = await encodeTiles(model, image, plan, signal, pass('Encoding'));
    blender = new FrameBlender(width, height, plan.tiles, plan.overlap, plan.margin);
  }

  const frames: FloatImage[] = [];
  let identity: Float32Array | null = null;
  for (let i = 0; i < evs.length; i++) {
    throwIfAborted(signal);
    const ev = evs[i];
    let frame: Float32Array;
    if (ev === 0) {
      frame = blender ? blender.frame : (identity ??= new Float32Array(width * height * 3));
      readReflected(image.data, width, height, 3, 0, 0, width, height, frame, 0, UNIT);
    } else {
      frame = await renderTiles(
        model,
        image,
        latent!,
        blender!,
        plan,
        ev,
        signal,
        pass(`EV ${formatEv(ev)}`),
      );
    }
    if (onFrame) await onFrame(ev, frame, i);
    else frames.push({ width, height, channels: 3, data: frame.slice() });
  }
  progress('Done');
  return frames;
}

/** Pass 1: N1 over every tile of the padded photo → blended latent (paddedW·paddedH·3). */
async function encodeTiles(
  model: MultiExposureModel,
  image: FloatImage,
  plan: TilePlan,
  signal: AbortSignal | undefined,
  tick: (tilesDone: number, batch: number) => void,
): Promise<Float32Array> {
  const acc = new FrameBlender(
    plan.paddedWidth,
    plan.paddedHeight,
    plan.tiles,
    plan.overlap,
    plan.margin,
  );
  await runTiles(
    plan,
    signal,
    [photoTile(image)],
    ([x]) => model.encode(x),
    (index, data, offset) => acc.add(index, data, offset),
    tick,
  );
  return acc.finish();
}

/** Reads a tile of the photo (reflect-padded, clamped to [0, 1]) into `buf` at `offset`. */
function photoTile(image: FloatImage) {
  return (t: TilePlan['tiles'][number], buf: Float32Array, offset: number): void =>
    readReflected(
      image.data,
      image.width,
      image.height,
      3,
      t.x,
      t.y,
      t.width,
      t.height,
      buf,
      offset,
      UNIT,
    );
}

/**
 * Pass 2 for one EV: N2/N3 over every tile of the latent (and of the photo when the model's
 * renderers use the exposure prior) → blended frame (the blender's buffer).
 */
async function renderTiles(
  model: MultiExposureModel,
  image: FloatImage,
  latent: Float32Array,
  blender: FrameBlender,
  plan: TilePlan,
  ev: number,
  signal: AbortSignal | undefined,
  tick: (tilesDone: number, batch: number) => void,
): Promise<Float32Array> {
  blender.reset();
  const { paddedWidth: pw, paddedHeight: ph } = plan;
  const latentTile = (t: TilePlan['tiles'][number], buf: Float32Array, offset: number) =>
    readReflected(latent, pw, ph, 3, t.x, t.y, t.width, t.height, buf, offset);
  await runTiles(
    plan,
    signal,
    model.needsInput ? [latentTile, photoTile(image)] : [latentTile],
    ([x, photo]) => model.render(x, ev, photo),
    (index, data, offset) => blender.add(index, data, offset),
    tick,
  );
  return blender.finish();
}

/**
 * Runs `forward` over the plan's tiles in batches: each of `fills` writes a tile of one input
 * into its batch buffer (forward receives one tensor per fill), `sink` receives the output.
 * Every tensor is disposed before the next batch; the event loop gets a turn between batches
 * so an abort can land.
 */
async function runTiles(
  plan: TilePlan,
  signal: AbortSignal | undefined,
  fills: readonly ((tile: TilePlan['tiles'][number], buf: Float32Array, offset: number) => void)[],
  forward: (x: tf.Tensor4D[]) => tf.Tensor4D,
  sink: (index: number, data: Float32Array, offset: number) => void,
  tick: (tilesDone: number, batch: number) => void,
): Promise<void> {
  const { tiles, tileWidth: tw, tileHeight: th, batchSize } = plan;
  const per = tw * th * 3;
  // Reused for every batch: the input tensors made from them are disposed before the next fill.
  const bufs = fills.map(() => new Float32Array(batchSize * per));
  for (let start = 0; start < tiles.length; start += batchSize) {
    throwIfAborted(signal);
    const b = Math.min(batchSize, tiles.length - start);
    fills.forEach((fill, k) => {
      for (let i = 0; i < b; i++) fill(tiles[start + i], bufs[k], i * per);
    });
    const inputs = bufs.map((buf) => (b === batchSize ? buf : buf.subarray(0, b * per)));
    const out = tf.tidy(() => forward(inputs.map((input) => tf.tensor4d(input, [b, th, tw, 3]))));
    let data: Float32Array;
    try {
      data = (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
    for (let i = 0; i < b; i++) sink(start + i, data, i * per);
    tick(start + b, b);
    await yieldToEventLoop();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
