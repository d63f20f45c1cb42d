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
 * The model is any {@link TileModel} (e.g. ONNX Runtime sessions, ../onnx/ort-runner.ts) or a
 * TensorFlow.js model, which runs on ONNX Runtime when initInferenceBackend chose it
 * (../runtime/inference-backend.ts) and on the active tfjs backend otherwise.
 *
 * Peak memory ≈ the photo (3 floats per pixel, or 3 codes of 1–2 bytes when it is given as
 * LdrCodes) + latent (3 floats) + frame (3) + one weight plane (1, shared by both passes): 31–40
 * bytes per pixel (0.74–0.96 GB for 24 MP), plus the per-batch tensors of the backend; frames
 * are only kept when no `onFrame` is given.
 */
import type { FloatImage, LdrCodes } from '../../image/image.js';
import type { JobOptions } from '../../job.js';
import { throwIfAborted } from '../../job.js';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import { FrameBlender } from './frame-blender.js';
import type { TileModel } from './tile-model.js';
import { resolveTileModel } from './tile-model.js';
import { readReflected, readReflectedCodes } from './pad.js';
import type { TileOptions, TilePlan } from './tile-plan.js';
import { budgetTiles, FLOAT_PHOTO_BYTES_PER_PIXEL, planTiles } from './tile-plan.js';
import { checkBracketImage, checkEvs, inUnitRange } from './validate.js';

const UNIT: readonly [number, number] = [0, 1];

/** Reads reflect-padded rectangles of the photo as floats in [0, 1]. */
interface PhotoSource {
  /** Copies the rectangle (x, y, w, h), reflected beyond the edges, into `out` at `offset`. */
  read(x: number, y: number, w: number, h: number, out: Float32Array, offset: number): void;
}

/**
 * The photo as a tile source: codes converted as they are read; floats copied, clamped to
 * [0, 1] only when some sample lies outside (one scan decides; most photos copy plainly).
 */
function photoSource(image: FloatImage | LdrCodes): PhotoSource {
  const { width, height } = image;
  if ('codes' in image) {
    const { codes } = image;
    return {
      read: (x, y, w, h, out, offset) =>
        readReflectedCodes(codes, width, height, 3, x, y, w, h, out, offset),
    };
  }
  const { data } = image;
  const clamp = inUnitRange(data) ? undefined : UNIT;
  return {
    read: (x, y, w, h, out, offset) =>
      readReflected(data, width, height, 3, x, y, w, h, out, offset, clamp),
  };
}

/** Bytes per pixel of the photo as {@link generateBracket} holds it (floats or codes). */
function photoBytesPerPixel(image: FloatImage | LdrCodes): number {
  return 'codes' in image ? 3 * image.codes.BYTES_PER_ELEMENT : FLOAT_PHOTO_BYTES_PER_PIXEL;
}

/** Options of {@link generateBracket}. */
export interface BracketOptions extends JobOptions, TileOptions {
  /**
   * Receives each frame as soon as it is done, in the order of `evs`: width·height·3
   * interleaved samples in [0, 1]. The buffer is reused for the next frame once the returned
   * promise settles, so write it out (or copy it) before then; until then it is the callee's
   * to overwrite (the next frame refills every sample). When given, no frames are kept.
   */
  readonly onFrame?: (ev: number, frame: Float32Array, index: number) => Promise<void> | void;
  /** Receives the tiling before the first tile runs (for cost reports: planFlops). */
  readonly onPlan?: (plan: TilePlan) => void;
}

/** Formats an EV offset for progress messages: "+2", "-1.5", "0". */
export function formatEv(ev: number): string {
  return ev > 0 ? `+${ev}` : String(ev);
}

/**
 * Generates the exposure bracket of `image` at the EV offsets `evs`.
 * @param model - a multi-exposure model (weights loaded), tfjs or a {@link TileModel}
 * @param image - 3 channels, display-referred values (finite values are clamped to [0, 1]), or
 *   an 8/16-bit photo kept as its codes (LdrCodes: the same frames as its float values, in a
 *   quarter or half the memory)
 * @param evs - EV offsets, each finite in [−4, +4]; duplicates allowed; output keeps this order
 * @param options - tiling (tileSize ≤ 1024; for an engine that states its working memory, the
 *   largest side up to 1536 that fits `memoryBudget`; the grid suits the engine's concurrency
 *   (`lanes`); overlap 128, snapped to the model stride; margin overlap/4; batchSize — see
 *   tile-plan.ts for the seam/cost trade-off),
 *   `onFrame`, `onPlan`, `signal`
 *   (checked between tile batches), `onProgress` (fraction over N1 tiles + tiles × non-zero
 *   EVs, messages like "EV +2: tile 5/24")
 * @returns the frames in the order of `evs` (width × height × 3), or `[]` when `onFrame` is given
 * @throws InvalidInputError for a non-3-channel image, non-finite samples, EVs out of range or
 *   bad tiling options; CancelledError when the signal aborts
 */
export async function generateBracket(
  tfOrTileModel: MultiExposureModel | TileModel,
  image: FloatImage | LdrCodes,
  evs: readonly number[],
  options: BracketOptions = {},
): Promise<FloatImage[]> {
  checkBracketImage(image);
  checkEvs(evs);
  const model = await resolveTileModel(tfOrTileModel);
  const { width, height } = image;
  // the engine's faster input transport when memory allows (budgetTiles), even at a given size
  const budget = budgetTiles(width, height, model, options.memoryBudget, photoBytesPerPixel(image));
  const tileSize = options.tileSize ?? budget.tileSize;
  const plan = planTiles(model.stride, width, height, {
    ...options,
    tileSize,
    lanes: options.lanes ?? model.concurrency ?? 1,
  });
  options.onPlan?.(plan);
  const photo = photoSource(image);
  // the render's photo input straight from the codes, when the engine takes it in a form of its
  // own (tile-model.ts prepareInput): no float tile of the photo per render
  const coded = 'codes' in image ? image : null;
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
    const acc = await encodeTiles(model, photo, plan, budget.lean, signal, pass('Encoding'));
    latent = acc.frame;
    blender = acc.takeWeightsFor(width, height);
  }

  const frames: FloatImage[] = [];
  let identity: Float32Array | null = null;
  for (let i = 0; i < evs.length; i++) {
    throwIfAborted(signal);
    const ev = evs[i];
    let frame: Float32Array;
    if (ev === 0) {
      frame = blender ? blender.frame : (identity ??= new Float32Array(width * height * 3));
      photo.read(0, 0, width, height, frame, 0);
    } else {
      frame = await renderTiles(
        model,
        photo,
        coded,
        latent!,
        blender!,
        plan,
        budget.lean,
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

/**
 * Pass 1: N1 over every tile of the padded photo → the blender holding the blended latent
 * (its frame, paddedW·paddedH·3).
 */
async function encodeTiles(
  model: TileModel,
  photo: PhotoSource,
  plan: TilePlan,
  lean: boolean,
  signal: AbortSignal | undefined,
  tick: (tilesDone: number, batch: number) => void,
): Promise<FrameBlender> {
  const acc = new FrameBlender(
    plan.paddedWidth,
    plan.paddedHeight,
    plan.tiles,
    plan.overlap,
    plan.margin,
  );
  await runTiles(
    plan,
    lean,
    signal,
    model,
    [photoTile(photo)],
    ([x], n, h, w) => model.encode(x, n, h, w),
    (index, data, offset) => acc.add(index, data, offset),
    tick,
  );
  acc.finish();
  return acc;
}

/** Reads a tile of the photo (reflect-padded, in [0, 1]) into `buf` at `offset`. */
function photoTile(photo: PhotoSource) {
  return (t: TilePlan['tiles'][number], buf: Float32Array, offset: number): void =>
    photo.read(t.x, t.y, t.width, t.height, buf, offset);
}

/**
 * Pass 2 for one EV: N2/N3 over every tile of the latent (and of the photo when the model's
 * renderers use the exposure prior) → blended frame (the blender's buffer).
 */
async function renderTiles(
  model: TileModel,
  photo: PhotoSource,
  coded: LdrCodes | null,
  latent: Float32Array,
  blender: FrameBlender,
  plan: TilePlan,
  lean: boolean,
  ev: number,
  signal: AbortSignal | undefined,
  tick: (tilesDone: number, batch: number) => void,
): Promise<Float32Array> {
  blender.reset();
  const { paddedWidth: pw, paddedHeight: ph } = plan;
  const latentTile = (t: TilePlan['tiles'][number], buf: Float32Array, offset: number) =>
    readReflected(latent, pw, ph, 3, t.x, t.y, t.width, t.height, buf, offset);
  const prepare =
    model.needsInput && coded && model.prepareInput ? model.prepareInput.bind(model) : null;
  const inputTile = prepare
    ? (t: TilePlan['tiles'][number], buf: Float32Array, offset: number) =>
        prepare(ev, coded!, t.x, t.y, t.width, t.height, buf, offset)
    : photoTile(photo);
  await runTiles(
    plan,
    lean,
    signal,
    model,
    model.needsInput ? [latentTile, inputTile] : [latentTile],
    ([x, input], n, h, w) => model.render(x, ev, input ?? null, n, h, w, prepare !== null),
    (index, data, offset) => blender.add(index, data, offset),
    tick,
  );
  return blender.finish();
}

/**
 * Runs `forward` over the plan's tiles in batches: each of `fills` writes a tile of one input
 * into its batch buffer (the engine's, its `lean` ones when asked; forward receives one NHWC
 * batch per fill), `sink` receives the outputs in tile order, and each output then goes back to
 * the engine ({@link TileModel.recycle}). Up to `model.concurrency` forward calls are in flight
 * at once (an engine that runs tiles in parallel, ort-worker-pool.ts), and the next batch is
 * filled while they run; with 1, the batch after the current one is filled while it runs and
 * started as soon as it is done. The event loop gets a turn between batches so an abort can
 * land; on an abort or an error no more batches start, and those in flight are awaited before
 * it is thrown.
 */
async function runTiles(
  plan: TilePlan,
  lean: boolean,
  signal: AbortSignal | undefined,
  model: Pick<TileModel, 'concurrency' | 'takesInputs' | 'inputBuffer' | 'recycle'>,
  fills: readonly ((tile: TilePlan['tiles'][number], buf: Float32Array, offset: number) => void)[],
  forward: (x: Float32Array[], n: number, h: number, w: number) => Promise<Float32Array>,
  sink: (index: number, data: Float32Array, offset: number) => void,
  tick: (tilesDone: number, batch: number) => void,
): Promise<void> {
  const { tiles, tileWidth: tw, tileHeight: th, batchSize } = plan;
  const per = tw * th * 3;
  const lanes = Math.max(1, Math.floor(model.concurrency ?? 1));
  // one set of batch buffers per call in flight, plus the one being filled; a model that takes
  // its inputs gets other ones each time (its own recycled ones when it offers them)
  const reuse = model.takesInputs !== true;
  const newSet = (): Float32Array[] =>
    fills.map(() =>
      !reuse && model.inputBuffer
        ? model.inputBuffer(batchSize * per, lean)
        : new Float32Array(batchSize * per),
    );
  const free: Float32Array[][] = reuse ? Array.from({ length: lanes + 1 }, newSet) : [];
  const count = (start: number): number => Math.min(batchSize, tiles.length - start);
  interface Batch {
    readonly start: number;
    readonly set: Float32Array[];
    readonly inputs: Float32Array[];
  }
  /** Fills the batch at `start` into a free set of buffers. */
  const fillBatch = (start: number): Batch => {
    const set = free.pop() ?? newSet();
    const b = count(start);
    fills.forEach((fill, k) => {
      for (let i = 0; i < b; i++) fill(tiles[start + i], set[k], i * per);
    });
    const inputs = set.map((buf) => (b === batchSize ? buf : buf.subarray(0, b * per)));
    return { start, set, inputs };
  };
  const inFlight: { batch: Batch; output: Promise<Float32Array> }[] = [];
  const launch = (batch: Batch): void => {
    const output = forward(batch.inputs, count(batch.start), th, tw);
    output.catch(() => undefined); // awaited in order below; no unhandled rejection meanwhile
    inFlight.push({ batch, output });
  };
  throwIfAborted(signal);
  let next = 0;
  let ready: Batch | null = null;
  try {
    for (;;) {
      const stop = signal?.aborted ?? false;
      while (!stop && inFlight.length < lanes && (ready || next < tiles.length)) {
        launch(ready ?? fillBatch(next));
        if (!ready) next += batchSize;
        ready = null;
      }
      if (!stop && !ready && next < tiles.length) {
        ready = fillBatch(next);
        next += batchSize;
      }
      const head = inFlight.shift();
      if (!head) break;
      const data = await head.output;
      if (reuse) free.push(head.batch.set);
      const b = count(head.batch.start);
      for (let i = 0; i < b; i++) sink(head.batch.start + i, data, i * per);
      model.recycle?.(data);
      tick(head.batch.start + b, b);
      await yieldToEventLoop();
    }
  } finally {
    await Promise.allSettled(inFlight.map((f) => f.output));
  }
  throwIfAborted(signal);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
