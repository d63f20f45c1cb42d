import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, InvalidInputError } from '../../../../src/core/errors.js';
import { codeToUnit, type FloatImage, type LdrCodes } from '../../../../src/core/image/image.js';
import type { Progress } from '../../../../src/core/job.js';
import { TINY_CONFIG } from '../../../../src/core/model/architectures/multi-exposure/config.js';
import type { MultiExposureModel } from '../../../../src/core/model/architectures/multi-exposure/model.js';
import { createMultiExposureModel } from '../../../../src/core/model/architectures/multi-exposure/model.js';
import { unetReceptiveRadius } from '../../../../src/core/model/inference/receptive-field.js';
import type { TileModel } from '../../../../src/core/model/inference/tile-model.js';
import { asTileModel } from '../../../../src/core/model/inference/tile-model.js';
import { planTiles } from '../../../../src/core/model/inference/tile-plan.js';
import { generateBracket } from '../../../../src/core/model/inference/tiled-bracket.js';

let model: MultiExposureModel;
beforeAll(async () => {
  await tf.setBackend('cpu');
  model = createMultiExposureModel(TINY_CONFIG, 7);
});
afterAll(() => model.dispose());

/** A smooth scene with an edge and some noise, values in [0, 1] (deterministic). */
function testImage(width: number, height: number, seed = 1): FloatImage {
  const data = new Float32Array(width * height * 3);
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = 0.5 + 0.4 * Math.sin(x / 9) * Math.cos(y / 13);
      const edge = x > width / 3 && y < (2 * height) / 3 ? 0.3 : 0;
      for (let k = 0; k < 3; k++) {
        const v = base * (0.7 + 0.15 * k) + edge + 0.1 * (rnd() - 0.5);
        data[(y * width + x) * 3 + k] = Math.min(1, Math.max(0, v));
      }
    }
  }
  return { width, height, channels: 3, data };
}

/**
 * model.generate on the whole image reflect-padded to the stride with tf.mirrorPad, cropped
 * back. (A 1-pixel axis cannot be reflected; TINY's stride 2 pads it by 1, which 'symmetric'
 * mode does by repeating the pixel, the same as reflecting it.)
 */
function untiledReference(img: FloatImage, evs: number[]): Float32Array[] {
  const s = model.stride;
  const ph = Math.ceil(img.height / s) * s - img.height;
  const pw = Math.ceil(img.width / s) * s - img.width;
  const mode = (n: number) => (n > 1 ? 'reflect' : 'symmetric');
  return tf.tidy(() => {
    const x = tf.tensor4d(img.data, [1, img.height, img.width, 3]);
    const py = tf.mirrorPad(
      x,
      [
        [0, 0],
        [0, ph],
        [0, 0],
        [0, 0],
      ],
      mode(img.height),
    );
    const padded = tf.mirrorPad(
      py,
      [
        [0, 0],
        [0, 0],
        [0, pw],
        [0, 0],
      ],
      mode(img.width),
    );
    return model
      .generate(padded, evs)
      .map(
        (f) => tf.slice(f, [0, 0, 0, 0], [1, img.height, img.width, 3]).dataSync() as Float32Array,
      );
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('generateBracket', () => {
  it('one tile: equals model.generate on the reflect-padded image, cropped back (odd size 37 × 53)', async () => {
    const img = testImage(37, 53);
    const evs = [-2.5, 0, 1.5, 4];
    const before = tf.memory().numTensors;
    const frames = await generateBracket(model, img, evs);
    expect(tf.memory().numTensors).toBe(before);
    const ref = untiledReference(img, evs);
    expect(frames).toHaveLength(4);
    for (let i = 0; i < evs.length; i++) {
      expect(frames[i]).toMatchObject({ width: 37, height: 53, channels: 3 });
      expect(frames[i].data.length).toBe(37 * 53 * 3);
      expect(maxAbsDiff(frames[i].data, ref[i])).toBeLessThan(1e-5);
    }
  });

  it('many tiles with a margin ≥ the receptive-field radius reproduce the untiled pass exactly', async () => {
    // Each output pixel of N1 and of N2/N3 depends on inputs at most r = 9 px away; tiles are
    // on the stride grid, and no pixel within 9 px of a shared tile edge enters the blend, so
    // every blended value is a convex combination of exact values (up to float rounding).
    const r = Math.max(unetReceptiveRadius(TINY_CONFIG.n1), unetReceptiveRadius(TINY_CONFIG.n23));
    expect(r).toBe(9);
    const img = testImage(200, 136);
    const evs = [-2, 3];
    const plan = planTiles(model.stride, 200, 136, { tileSize: 64, overlap: 24, margin: r });
    expect(plan.tiles.length).toBe(15);
    const tiled = await generateBracket(model, img, evs, { tileSize: 64, overlap: 24, margin: r });
    const ref = untiledReference(img, evs);
    for (let i = 0; i < evs.length; i++)
      expect(maxAbsDiff(tiled[i].data, ref[i])).toBeLessThan(1e-5);
  });

  it('seams with overlap 16 (< 2 × radius): small error, confined to the seam bands', async () => {
    const w = 200;
    const h = 136;
    const img = testImage(w, h);
    const evs = [-2, 2];
    const ref = await generateBracket(model, img, evs, { tileSize: 256 });
    const plan = planTiles(model.stride, w, h, { tileSize: 64, overlap: 16 });
    // seam bands: columns / rows covered by two tiles
    const band = (pos: number[], n: number, size: number) => {
      const m = new Uint8Array(n);
      for (let i = 1; i < pos.length; i++)
        for (let p = pos[i]; p < pos[i - 1] + size; p++) m[p] = 1;
      return m;
    };
    const bx = band([...new Set(plan.tiles.map((t) => t.x))], w, plan.tileWidth);
    const by = band([...new Set(plan.tiles.map((t) => t.y))], h, plan.tileHeight);
    const stats = async (margin?: number) => {
      const tiled = await generateBracket(model, img, evs, { tileSize: 64, overlap: 16, margin });
      let seam = 0;
      let nSeam = 0;
      let rest = 0;
      let nRest = 0;
      let max = 0;
      for (let f = 0; f < evs.length; f++) {
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            for (let k = 0; k < 3; k++) {
              const i = (y * w + x) * 3 + k;
              const d = Math.abs(tiled[f].data[i] - ref[f].data[i]);
              max = Math.max(max, d);
              if (bx[x] || by[y]) {
                seam += d;
                nSeam++;
              } else {
                rest += d;
                nRest++;
              }
            }
          }
        }
      }
      return { seam: seam / nSeam, rest: rest / nRest, all: (seam + rest) / (nSeam + nRest), max };
    };
    const withMargin = await stats(); // default margin: overlap / 4 = 4
    const plain = await stats(0); // plain linear feathering (featherWeights)
    console.info(
      `seams, TINY, 200×136, tile 64, overlap 16: default margin 4: mean ${withMargin.all.toExponential(2)}, ` +
        `seam bands ${withMargin.seam.toExponential(2)}, elsewhere ${withMargin.rest.toExponential(2)}, ` +
        `max ${withMargin.max.toExponential(2)}; margin 0: seam bands ${plain.seam.toExponential(2)}, max ${plain.max.toExponential(2)}`,
    );
    expect(withMargin.all).toBeLessThan(1e-3);
    // below a quarter of one 8-bit code value on average in the bands: no visible step
    expect(withMargin.seam).toBeLessThan(0.25 / 255);
    expect(withMargin.rest).toBeLessThan(1e-5);
    expect(withMargin.max).toBeLessThan(0.05);
    // dropping the margin beats plain feathering, which blends the tiles' border errors in
    expect(withMargin.seam).toBeLessThan(plain.seam / 2);
  });

  it('odd and tiny sizes return exactly W × H × 3, equal to the untiled pass', async () => {
    for (const [w, h] of [
      [37, 53],
      [1, 5],
      [3, 1],
    ]) {
      const img = testImage(w, h, w * h);
      // margin 9 ≥ the receptive-field radius: tiled = untiled (see above)
      const frames = await generateBracket(model, img, [1], {
        tileSize: 24,
        overlap: 18,
        margin: 9,
      });
      expect(frames[0]).toMatchObject({ width: w, height: h, channels: 3 });
      expect(frames[0].data.length).toBe(w * h * 3);
      for (const v of frames[0].data) expect(v >= 0 && v <= 1).toBe(true);
      expect(maxAbsDiff(frames[0].data, untiledReference(img, [1])[0])).toBeLessThan(1e-5);
    }
  });

  it('batched and one-tile-per-call runs agree', async () => {
    const img = testImage(90, 70);
    const opts = { tileSize: 32, overlap: 8 };
    expect(planTiles(model.stride, 90, 70, opts).batchSize).toBeGreaterThan(1);
    const batched = await generateBracket(model, img, [-1, 2], opts);
    const single = await generateBracket(model, img, [-1, 2], { ...opts, batchSize: 1 });
    for (let i = 0; i < 2; i++)
      expect(maxAbsDiff(batched[i].data, single[i].data)).toBeLessThan(1e-6);
  });

  it('an engine running tiles at once: same frames, outputs blended in tile order, bounded in flight', async () => {
    // the tfjs model behind a TileModel whose calls finish out of order (random delays)
    const base = asTileModel(model);
    let inFlight = 0;
    let most = 0;
    let seed = 3;
    const later = <T>(f: () => Promise<T>): Promise<T> => {
      inFlight++;
      most = Math.max(most, inFlight);
      seed = (seed * 48271) % 2147483647;
      return new Promise<T>((resolve, reject) =>
        setTimeout(() => {
          inFlight--;
          f().then(resolve, reject);
        }, seed % 7),
      );
    };
    const concurrent: TileModel = {
      ...base,
      concurrency: 3,
      encode: (...a) => later(() => base.encode(...a)),
      render: (...a) => later(() => base.render(...a)),
    };
    const img = testImage(90, 70);
    const opts = { tileSize: 32, overlap: 8, batchSize: 1 };
    const ref = await generateBracket(model, img, [-1, 2], opts);
    const ticks: number[] = [];
    const got = await generateBracket(concurrent, img, [-1, 2], {
      ...opts,
      onProgress: (p) => ticks.push(p.fraction),
    });
    for (let i = 0; i < 2; i++) expect(Array.from(got[i].data)).toEqual(Array.from(ref[i].data));
    expect(most).toBe(3);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
  });

  it('an engine that takes its inputs gets new buffers for every call; others get reused ones', async () => {
    const base = asTileModel(model);
    const buffersOf = async (takesInputs: boolean): Promise<number> => {
      const seen = new Set<ArrayBufferLike>();
      let calls = 0;
      const spy: TileModel = {
        ...base,
        concurrency: 2,
        takesInputs,
        encode: (batch, ...rest) => {
          calls++;
          seen.add(batch.buffer);
          const copy = batch.slice();
          if (takesInputs) batch.fill(NaN); // what a move to another thread looks like to the caller
          return base.encode(copy, ...rest);
        },
        render: (latent, ev, input, ...rest) => {
          calls++;
          seen.add(latent.buffer);
          const l = latent.slice();
          if (takesInputs) latent.fill(NaN);
          return base.render(l, ev, input, ...rest);
        },
      };
      const img = testImage(90, 70);
      const opts = { tileSize: 32, overlap: 8, batchSize: 1 };
      const got = await generateBracket(spy, img, [-1, 2], opts);
      const ref = await generateBracket(model, img, [-1, 2], opts);
      for (let i = 0; i < 2; i++) expect(Array.from(got[i].data)).toEqual(Array.from(ref[i].data));
      return takesInputs ? seen.size - calls : seen.size;
    };
    expect(await buffersOf(true)).toBe(0); // one buffer per call
    expect(await buffersOf(false)).toBe(3 * 3); // per pass (encode, 2 EVs): lanes + 1 buffers
  });

  it('hands every output back to an engine that recycles them, only once it is blended', async () => {
    const base = asTileModel(model);
    const outputs = new Set<Float32Array>();
    const recycled: Float32Array[] = [];
    const track = (out: Float32Array): Float32Array => {
      outputs.add(out);
      return out;
    };
    const spy: TileModel = {
      ...base,
      concurrency: 2,
      encode: async (...a) => track(await base.encode(...a)),
      render: async (...a) => track(await base.render(...a)),
      recycle: (data) => {
        recycled.push(data);
        data.fill(NaN); // what reusing it for a later tile looks like
      },
    };
    const img = testImage(90, 70);
    const opts = { tileSize: 32, overlap: 8, batchSize: 1 };
    const got = await generateBracket(spy, img, [-1, 2], opts);
    const ref = await generateBracket(model, img, [-1, 2], opts);
    for (let i = 0; i < 2; i++) expect(Array.from(got[i].data)).toEqual(Array.from(ref[i].data));
    expect(recycled.length).toBe(outputs.size);
    expect(new Set(recycled)).toEqual(outputs);
  });

  it('an engine error with tiles in flight rejects after they settle', async () => {
    const base = asTileModel(model);
    let calls = 0;
    let settled = 0;
    const failing: TileModel = {
      ...base,
      concurrency: 2,
      encode: async (...a) => {
        const n = ++calls;
        await new Promise((r) => setTimeout(r, n === 2 ? 0 : 5));
        settled++;
        if (n === 2) throw new Error('engine failed on tile 2');
        return base.encode(...a);
      },
    };
    await expect(
      generateBracket(failing, testImage(90, 70), [1], { tileSize: 32, overlap: 8, batchSize: 1 }),
    ).rejects.toThrow('engine failed on tile 2');
    expect(settled).toBe(calls);
  });

  it('EV 0 is the (clamped) input exactly; EV order and duplicates are preserved', async () => {
    const img = testImage(40, 30);
    img.data[0] = 1.5;
    img.data[1] = -0.25;
    const evs = [2, -1, 0, 2];
    const frames = await generateBracket(model, img, evs, { tileSize: 16, overlap: 4 });
    const clamped = img.data.map((v) => Math.min(1, Math.max(0, v)));
    expect(Array.from(frames[2].data)).toEqual(Array.from(clamped));
    const [up] = await generateBracket(model, img, [2], { tileSize: 16, overlap: 4 });
    const [down] = await generateBracket(model, img, [-1], { tileSize: 16, overlap: 4 });
    expect(Array.from(frames[0].data)).toEqual(Array.from(up.data));
    expect(Array.from(frames[3].data)).toEqual(Array.from(up.data));
    expect(Array.from(frames[1].data)).toEqual(Array.from(down.data));
    expect(maxAbsDiff(up.data, down.data)).toBeGreaterThan(0.01);
    // only EV 0: no network runs, the identity alone
    const [only] = await generateBracket(model, img, [0]);
    expect(Array.from(only.data)).toEqual(Array.from(clamped));
  });

  it('streams frames to onFrame in order, reports progress per tile, leaks no tensors', async () => {
    const img = testImage(60, 44);
    const evs = [1, 0, -3];
    const opts = { tileSize: 32, overlap: 8, batchSize: 1 };
    const nTiles = planTiles(model.stride, 60, 44, opts).tiles.length;
    expect(nTiles).toBe(6);
    const expected = await generateBracket(model, img, evs, opts);
    const before = tf.memory().numTensors;
    const seen: { ev: number; index: number; data: number[] }[] = [];
    const progress: Progress[] = [];
    const out = await generateBracket(model, img, evs, {
      ...opts,
      onProgress: (p) => progress.push(p),
      onFrame: async (ev, frame, index) => {
        await new Promise((r) => setTimeout(r, 1));
        seen.push({ ev, index, data: Array.from(frame) });
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(out).toEqual([]);
    expect(seen.map((s) => [s.ev, s.index])).toEqual([
      [1, 0],
      [0, 1],
      [-3, 2],
    ]);
    for (let i = 0; i < 3; i++) expect(seen[i].data).toEqual(Array.from(expected[i].data));
    const tileMsgs = progress.filter((p) => /tile \d+\/6$/.test(p.message ?? ''));
    expect(tileMsgs).toHaveLength(nTiles * 3); // N1 + two non-zero EVs
    expect(progress.map((p) => p.message)).toContain('EV +1: tile 3/6');
    expect(progress.map((p) => p.message)).toContain('EV -3: tile 6/6');
    expect(progress.map((p) => p.message)).toContain('Encoding: tile 1/6');
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);
    }
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(tileMsgs[0].fraction).toBeCloseTo(1 / 18, 10);
  });

  it('cancels: a pre-aborted signal, and an abort between tiles, throw CancelledError without leaks', async () => {
    const img = testImage(60, 44);
    const before = tf.memory().numTensors;
    const aborted = new AbortController();
    aborted.abort();
    await expect(generateBracket(model, img, [1], { signal: aborted.signal })).rejects.toThrow(
      CancelledError,
    );
    const ctl = new AbortController();
    let calls = 0;
    await expect(
      generateBracket(model, img, [1, 2], {
        tileSize: 32,
        overlap: 8,
        batchSize: 1,
        signal: ctl.signal,
        onProgress: () => {
          if (++calls === 3) ctl.abort();
        },
      }),
    ).rejects.toThrow(CancelledError);
    expect(calls).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  for (const bits of [8, 16] as const) {
    it(`a photo kept as ${bits}-bit codes gives the frames of its float values, bit for bit`, async () => {
      const [w, h] = [90, 70];
      const max = bits === 8 ? 255 : 65535;
      const src = testImage(w, h, 3).data;
      const codes = bits === 8 ? new Uint8Array(src.length) : new Uint16Array(src.length);
      for (let i = 0; i < src.length; i++) codes[i] = Math.round(src[i] * max);
      const photo: LdrCodes = {
        kind: 'ldr-codes',
        width: w,
        height: h,
        channels: 3,
        bitDepth: bits,
        codes,
      };
      const unit = codeToUnit(bits);
      const floats: FloatImage = {
        width: w,
        height: h,
        channels: 3,
        data: Float32Array.from(codes, (c) => unit[c]),
      };
      const opts = { tileSize: 32, overlap: 8 };
      const evs = [-2, 0, 1.5];
      const fromCodes = await generateBracket(model, photo, evs, opts);
      const fromFloats = await generateBracket(model, floats, evs, opts);
      for (let i = 0; i < evs.length; i++) {
        expect(fromCodes[i].data.every((v, k) => v === fromFloats[i].data[k])).toBe(true);
      }
      expect(fromCodes[1].data.every((v, k) => v === floats.data[k])).toBe(true);
      const short: LdrCodes = { ...photo, codes: codes.subarray(1) };
      await expect(generateBracket(model, short, [1])).rejects.toThrow(/codes for 90×70×3/);
    });
  }

  it('rejects NaN / infinite samples, non-RGB images and EVs out of range', async () => {
    const img = testImage(20, 10);
    img.data[(3 * 20 + 5) * 3 + 1] = NaN;
    await expect(generateBracket(model, img, [1])).rejects.toThrow(InvalidInputError);
    await expect(generateBracket(model, img, [1])).rejects.toThrow(
      /1 sample is not finite \(first: NaN at x=5, y=3, channel 1\)/,
    );
    const inf = testImage(20, 10);
    inf.data[0] = Infinity;
    await expect(generateBracket(model, inf, [1])).rejects.toThrow(/not finite/);
    const grey: FloatImage = { width: 4, height: 4, channels: 1, data: new Float32Array(16) };
    await expect(generateBracket(model, grey, [1])).rejects.toThrow(/3 channels/);
    const ok = testImage(8, 8);
    await expect(generateBracket(model, ok, [1, 4.5])).rejects.toThrow(/EV #2 \(4\.5\)/);
    await expect(generateBracket(model, ok, [NaN])).rejects.toThrow(InvalidInputError);
  });
});
