import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { exposurePriorLogit } from '../../../../../src/core/model/architectures/multi-exposure/exposure-prior.js';
import {
  PriorTable,
  priorLogOdds,
} from '../../../../../src/core/model/architectures/multi-exposure/prior-table.js';
import { s2dIndex } from '../../onnx/s2d-index.js';
import type { LdrCodes } from '../../../../../src/core/image/image.js';
import { readReflectedCodes } from '../../../../../src/core/model/inference/pad.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 2·exposurePriorLogit (tfjs, float32) of `values` at `ratio`. */
function tfLogOdds(values: Float32Array, ratio: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(values, [1, 1, values.length / 3, 3]);
    return tf.mul(exposurePriorLogit(x, ratio), 2).dataSync() as Float32Array;
  });
}

describe('priorLogOdds', () => {
  it('is twice the tfjs prior up to float32 rounding, across [0, 1] and its knees', () => {
    const values = Float32Array.from({ length: 3 * 2000 }, (_, i) => i / (3 * 2000 - 1));
    // around the sRGB knees and the clip points of the ratios below
    values.set([0.04045, 0.0404, 0.0405, 0.0031308, 0.5, 0.9999, 1, 0, 1e-6], 0);
    for (const ratio of [1 / 8, 1 / 4, 0.5, 1, 2, 4, 8]) {
      const ref = tfLogOdds(values, ratio);
      let mid = 0;
      let high = 0;
      for (let i = 0; i < values.length; i++) {
        const d = Math.abs(priorLogOdds(values[i], ratio) - ref[i]);
        if (Math.abs(ref[i]) < 4.6) mid = Math.max(mid, d);
        else high = Math.max(high, d);
      }
      expect(mid).toBeLessThan(1e-4); // measured 4.8e-5: p to a few float32 ulps, times 1 / (p(1 − p)) ≤ 100
      // p within 1 % of 0 or 1: float32's 1 − p keeps few digits (measured ≤ 3.6e-4)
      expect(high).toBeLessThan(5e-4);
    }
  });

  it('clamps samples outside [0, 1] and saturates at ±ln((1 − ε) / ε)', () => {
    expect(priorLogOdds(-0.2, 2)).toBe(priorLogOdds(0, 2));
    expect(priorLogOdds(1.3, 0.5)).toBe(priorLogOdds(1, 0.5));
    expect(priorLogOdds(0, 4)).toBeCloseTo(Math.log(1e-3 / (1 - 1e-3)), 10);
    expect(priorLogOdds(0.9, 8)).toBeCloseTo(Math.log((1 - 1e-3) / 1e-3), 10);
    // ratio 1 leaves the sample: log-odds of v itself
    expect(priorLogOdds(0.25, 1)).toBeCloseTo(Math.log(0.25 / 0.75), 12);
  });
});

describe('PriorTable', () => {
  it('gives priorLogOdds (as float32) for 8-bit, 16-bit and off-grid samples alike', () => {
    const input = new Float32Array([
      ...Array.from({ length: 256 }, (_, i) => i / 255),
      ...Array.from({ length: 300 }, (_, i) => (i * 211) / 65535),
      0.123456789,
      0.5000001,
      1e-7,
      -0.25,
      1.5,
    ]);
    for (const ratio of [0.125, 2, 8]) {
      const table = new PriorTable(ratio);
      const out = new Float32Array(input.length);
      table.fill(input, out);
      for (let i = 0; i < input.length; i++) {
        expect(out[i]).toBe(Math.fround(priorLogOdds(input[i], ratio)));
      }
    }
  });

  it('fills only `count` samples', () => {
    const out = new Float32Array(4).fill(7);
    new PriorTable(2).fill(new Float32Array([0.5, 0.5, 0.5, 0.5]), out, 2);
    expect(out[1]).not.toBe(7);
    expect(Array.from(out.subarray(2))).toEqual([7, 7]);
  });
});

describe('PriorTable.fillSpaceToDepth', () => {
  it('writes what fill writes, each sample at its space-to-depth place (batch 2, off-grid too)', () => {
    const [n, h, w] = [2, 4, 6];
    const input = Float32Array.from({ length: n * h * w * 3 }, (_, i) =>
      i % 5 === 0 ? (i * 0.013) % 1 : ((i * 97) % 256) / 255,
    );
    const table = new PriorTable(1.7);
    const flat = new Float32Array(input.length);
    table.fill(input, flat);
    const planes = new Float32Array(input.length).fill(NaN);
    table.fillSpaceToDepth(input, planes, n, h, w);
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          for (let c = 0; c < 3; c++) {
            expect(planes[s2dIndex(b, y, x, c, h, w)]).toBe(flat[((b * h + y) * w + x) * 3 + c]);
          }
        }
      }
    }
  });
});

describe('PriorTable.fillSpaceToDepthFromCodes', () => {
  for (const bits of [8, 16] as const) {
    it(`equals fillSpaceToDepth of the ${bits}-bit photo's float tile, reflected past its edges`, () => {
      const [width, height] = [7, 5];
      const n = width * height * 3;
      const codes =
        bits === 8
          ? Uint8Array.from({ length: n }, (_, i) => (i * 53) % 256)
          : Uint16Array.from({ length: n }, (_, i) => (i * 4099) % 65536);
      const photo: LdrCodes = {
        kind: 'ldr-codes',
        width,
        height,
        channels: 3,
        bitDepth: bits,
        codes,
      };
      const table = new PriorTable(0.37);
      for (const [x, y, w, h] of [
        [0, 0, 8, 6],
        [-2, 3, 6, 4],
        [4, -1, 10, 8],
      ]) {
        const tile = new Float32Array(w * h * 3);
        readReflectedCodes(codes, width, height, 3, x, y, w, h, tile);
        const expected = new Float32Array(tile.length + 5).fill(NaN);
        table.fillSpaceToDepth(tile, expected.subarray(5), 1, h, w);
        const actual = new Float32Array(tile.length + 5).fill(NaN);
        table.fillSpaceToDepthFromCodes(photo, x, y, w, h, actual, 5);
        expect(Array.from(actual)).toEqual(Array.from(expected));
      }
    });
  }
});
