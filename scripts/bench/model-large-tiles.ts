/**
 * bench:model's "large tiles" figure: the inference engine alone on square tiles, as many in
 * flight as it runs at once, with the peak's MatMul timed just before and just after each round
 * of tiles, so that each round also has a peak measured under the same load of the host.
 */
import type { LdrCodes } from '../../src/core/image/image.js';
import type { MultiExposureModel } from '../../src/core/model/architectures/multi-exposure/model.js';
import {
  readReflectedCodes,
  resolveTileModel,
  type TileModel,
} from '../../src/core/model/inference/index.js';
import type { MatMulProbe } from './model-peak.js';

/** Throughput of the engine alone on square tiles, as many in flight as it runs at once. */
export interface LargeTiles {
  side: number;
  /** tiles per round */
  count: number;
  rounds: number;
  lanes: number;
  /** the best round (the statistic of the peak: the best of its MatMuls) */
  encodeGflops: number;
  renderGflops: number;
  /** the median round */
  encodeMedianGflops: number;
  renderMedianGflops: number;
  /** wall ms per tile in the best round (all lanes together) */
  encodeMs: number;
  renderMs: number;
  /**
   * per round, in order: its GFLOP/s over the best of the MatMuls timed just before and just
   * after it (absent without a probe)
   */
  encodeOfAlongside?: number[];
  renderOfAlongside?: number[];
  /** the best GFLOP/s of all those MatMuls (absent without a probe) */
  matmulBest?: number;
}

/**
 * Tiles each lane runs before the clock starts: a session's first runs are slower (its arena
 * grows; measured on one thread, 1104×1088 renders: 185–464 ms, then 122–161 ms from the
 * second or third run).
 */
const WARM_UP_TILES = 2;

/** Timed rounds of the large-tile measurement. */
const LARGE_TILE_ROUNDS = 3;

/** MatMuls (17.2 GFLOP each) timed just before, and as many just after, each round of tiles. */
const MATMULS_ALONGSIDE = 4;

/**
 * Runs {@link LARGE_TILE_ROUNDS} rounds of `count` encodes, then as many of renders (EV +1), of
 * side × side tiles of `image` (its top-left corner, reflected where it is smaller) through the
 * engine the bracket uses, keeping its concurrency in flight, after {@link WARM_UP_TILES}
 * untimed tiles per lane. Each call's inputs are copied into the engine's own buffers as the
 * tiled bracket fills them, with the clock running (a 1024² tile: about 0.5 ms, against 50–70 ms
 * per call); the render's prior lookup, from the photo's codes straight into an engine buffer
 * where the engine prepares its input (no copy of the photo's tile first, as in the bracket), is
 * part of the engine call and is timed too. With a probe, {@link MATMULS_ALONGSIDE}
 * MatMuls run just before and as many just after each round of tiles. Reports the best round, as the peak is the
 * best of its MatMuls (cores shared with other guests make single rounds vary), the median
 * round, and each round's ratio to the best of the MatMuls around it.
 */
export async function largeTiles(
  model: MultiExposureModel,
  image: LdrCodes,
  side: number,
  count: number,
  probe?: MatMulProbe,
): Promise<LargeTiles> {
  const engine: TileModel = await resolveTileModel(model);
  const lanes = Math.max(1, engine.concurrency ?? 1);
  const tile = new Float32Array(side * side * 3);
  readReflectedCodes(image.codes, image.width, image.height, 3, 0, 0, side, side, tile);
  // a copy per input of each call, in the engine's own buffers where it offers them (as the
  // tiled bracket fills them: shared memory for worker threads); an engine on worker threads takes
  // over its inputs
  const copy = (): Float32Array => {
    if (!engine.inputBuffer) return tile.slice();
    const b = engine.inputBuffer(tile.length);
    b.set(tile);
    return b;
  };
  // a buffer that prepareInput fills whole (no copy first, as in the tiled bracket)
  const blank = (): Float32Array =>
    engine.inputBuffer?.(tile.length) ?? new Float32Array(tile.length);
  // outputs go back to the engine once read, as the tiled bracket hands them back
  const recycle = async (out: Promise<Float32Array>): Promise<void> => {
    engine.recycle?.(await out);
  };
  interface Rounds {
    /** seconds of each round, in order */
    seconds: number[];
    /** the best GFLOP/s of the MatMuls around each round, in order */
    alongside: number[];
  }
  /** Times each round of `count` calls of `call` on fresh `inputs()` each. */
  const rounds = async (
    inputs: () => Float32Array[],
    call: (x: Float32Array[]) => Promise<void>,
  ): Promise<Rounds> => {
    const run = async (n: number): Promise<number> => {
      let next = 0;
      const t0 = performance.now();
      const lane = async (): Promise<void> => {
        while (next < n) {
          next++;
          await call(inputs());
        }
      };
      await Promise.all(Array.from({ length: lanes }, lane));
      return (performance.now() - t0) / 1000;
    };
    await run(lanes * WARM_UP_TILES);
    const out: Rounds = { seconds: [], alongside: [] };
    for (let r = 0; r < LARGE_TILE_ROUNDS; r++) {
      const before = probe ? await probe.rates(MATMULS_ALONGSIDE) : [];
      out.seconds.push(await run(count));
      if (probe) out.alongside.push(Math.max(...before, ...(await probe.rates(MATMULS_ALONGSIDE))));
    }
    return out;
  };
  const encode = await rounds(
    () => [copy()],
    ([x]) => recycle(engine.encode(x, 1, side, side)),
  );
  // the render's photo input as a bracket of this photo prepares it: straight from its codes
  // into a buffer of the engine's when the engine can (ONNX Runtime's prior), timed with the call
  const prepared = engine.prepareInput !== undefined;
  const render = await rounds(
    () => [copy(), prepared ? blank() : copy()],
    ([l, x]) => {
      if (!engine.prepareInput) return recycle(engine.render(l, 1, x, 1, side, side));
      engine.prepareInput(1, image, 0, 0, side, side, x, 0);
      return recycle(engine.render(l, 1, x, 1, side, side, true));
    },
  );
  const px = side * side * count;
  const rate = (flopsPerPixel: number, s: number): number => (flopsPerPixel * px) / 1e9 / s;
  const best = (r: Rounds): number => Math.min(...r.seconds);
  const median = (r: Rounds): number => [...r.seconds].sort((a, b) => a - b)[r.seconds.length >> 1];
  const ofAlongside = (r: Rounds, flopsPerPixel: number): number[] | undefined =>
    probe ? r.seconds.map((s, i) => rate(flopsPerPixel, s) / r.alongside[i]) : undefined;
  const { encode: fe, render: fr } = model.flopsPerPixel;
  return {
    side,
    count,
    rounds: LARGE_TILE_ROUNDS,
    lanes,
    encodeGflops: rate(fe, best(encode)),
    renderGflops: rate(fr, best(render)),
    encodeMedianGflops: rate(fe, median(encode)),
    renderMedianGflops: rate(fr, median(render)),
    encodeMs: (1000 * best(encode)) / count,
    renderMs: (1000 * best(render)) / count,
    encodeOfAlongside: ofAlongside(encode, fe),
    renderOfAlongside: ofAlongside(render, fr),
    matmulBest: probe ? Math.max(...encode.alongside, ...render.alongside) : undefined,
  };
}
