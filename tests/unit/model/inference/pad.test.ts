import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeToUnit } from '../../../../src/core/image/image.js';
import {
  cropTopLeft,
  paddedSize,
  readReflected,
  copyReflectedCodes,
  readReflectedCodes,
  reflectIndex,
  reflectPad,
} from '../../../../src/core/model/inference/pad.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i * 0.25 - 1);

describe('reflect padding', () => {
  it('reflectIndex mirrors without repeating the edge, and keeps bouncing past the image', () => {
    // n = 4: … 2 1 | 0 1 2 3 | 2 1 0 1 2 3 2 …
    const got = Array.from({ length: 14 }, (_, i) => reflectIndex(i - 3, 4));
    expect(got).toEqual([3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2]);
    expect([0, 1, 5, -7].map((i) => reflectIndex(i, 1))).toEqual([0, 0, 0, 0]);
  });

  it('paddedSize rounds up to the stride', () => {
    expect([1, 15, 16, 17, 37].map((n) => paddedSize(n, 16))).toEqual([16, 16, 16, 32, 48]);
    expect(paddedSize(53, 2)).toBe(54);
  });

  it("reflectPad matches tf.mirrorPad 'reflect' on the bottom and right", () => {
    const w = 7;
    const h = 5;
    const c = 3;
    const data = ramp(w * h * c);
    const padded = reflectPad(data, w, h, c, 12, 9);
    const ref = tf.tidy(() =>
      tf
        .mirrorPad(
          tf.tensor3d(data, [h, w, c]),
          [
            [0, 4],
            [0, 5],
            [0, 0],
          ],
          'reflect',
        )
        .dataSync(),
    );
    expect(Array.from(padded)).toEqual(Array.from(ref));
    expect(Array.from(cropTopLeft(padded, 12, c, w, h))).toEqual(Array.from(data));
  });

  it('pads longer than the image (and a 1-pixel image) by repeated reflection', () => {
    const one = Float32Array.of(0.1, 0.2, 0.3);
    const p = reflectPad(one, 1, 1, 3, 4, 2);
    for (let i = 0; i < 8; i++)
      expect(Array.from(p.subarray(i * 3, i * 3 + 3))).toEqual(Array.from(one));
    // 2 × 1 image, 1 channel, padded to 5 wide: a b a b a
    expect(Array.from(reflectPad(Float32Array.of(1, 2), 2, 1, 1, 5, 1))).toEqual([1, 2, 1, 2, 1]);
  });

  it('readReflected reads a window (negative origin too) and clamps when asked', () => {
    const data = Float32Array.of(-0.5, 0.5, 2, 0.25); // 4 × 1, 1 channel
    const out = new Float32Array(2 + 6);
    readReflected(data, 4, 1, 1, -2, 0, 6, 1, out, 2, [0, 1]);
    // x = -2..3 → 2 1 0 1 2 3 → 2, 0.5, -0.5, 0.5, 2, 0.25 clamped
    expect(Array.from(out)).toEqual([0, 0, 1, 0.5, 0, 0.5, 1, 0.25]);
  });

  it('rejects inconsistent sizes', () => {
    expect(() => reflectPad(new Float32Array(5), 2, 1, 3, 2, 1)).toThrow(RangeError);
    expect(() => reflectPad(new Float32Array(6), 2, 1, 3, 1, 1)).toThrow(RangeError);
    expect(() => cropTopLeft(new Float32Array(12), 2, 3, 3, 1)).toThrow(RangeError);
  });
});

describe('readReflected copies the inside run and reflects the rest', () => {
  it('matches a per-pixel reflection for windows past every edge, with and without clamping', () => {
    const w = 9;
    const h = 6;
    const data = Float32Array.from({ length: w * h * 2 }, (_, i) => (i % 7) * 0.3 - 0.4);
    for (const [x, y, ww, hh] of [
      [-3, -2, 15, 10],
      [4, 1, 8, 3],
      [0, 0, 9, 6],
      [-2, 3, 4, 5],
      [7, -1, 6, 2],
    ]) {
      for (const clamp of [undefined, [0, 1] as const]) {
        const out = new Float32Array(ww * hh * 2 + 5).fill(NaN);
        readReflected(data, w, h, 2, x, y, ww, hh, out, 5, clamp);
        for (let r = 0; r < hh; r++) {
          for (let i = 0; i < ww; i++) {
            const sx = reflectIndex(x + i, w);
            const sy = reflectIndex(y + r, h);
            for (let k = 0; k < 2; k++) {
              let v = data[(sy * w + sx) * 2 + k];
              if (clamp) v = Math.min(1, Math.max(0, v));
              expect(out[5 + (r * ww + i) * 2 + k]).toBe(v);
            }
          }
        }
      }
    }
  });
});

describe('readReflectedCodes', () => {
  for (const bits of [8, 16] as const) {
    it(`reads ${bits}-bit codes exactly as readReflected reads their float values`, () => {
      const [w, h] = [9, 6];
      const n = w * h * 3;
      const codes =
        bits === 8
          ? Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256)
          : Uint16Array.from({ length: n }, (_, i) => (i * 7919) % 65536);
      const unit = codeToUnit(bits);
      const floats = Float32Array.from(codes, (c) => unit[c]);
      for (const [x, y, ww, hh] of [
        [-3, -2, 15, 10],
        [4, 1, 8, 3],
        [0, 0, 9, 6],
        [7, -1, 6, 2],
      ]) {
        const expected = new Float32Array(ww * hh * 3 + 4).fill(NaN);
        const actual = expected.slice();
        readReflected(floats, w, h, 3, x, y, ww, hh, expected, 4);
        readReflectedCodes(codes, w, h, 3, x, y, ww, hh, actual, 4);
        expect(Array.from(actual)).toEqual(Array.from(expected));
      }
    });
  }

  it('copies the same tiles as codes (copyReflectedCodes), runs inside the image and reflected columns alike', () => {
    for (const bits of [8, 16] as const) {
      const [w, h] = [9, 6];
      const n = w * h * 3;
      const codes =
        bits === 8
          ? Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256)
          : Uint16Array.from({ length: n }, (_, i) => (i * 7919) % 65536);
      const unit = codeToUnit(bits);
      // wider and taller than the image, left of it, inside, right of it, above and below it
      for (const [x, y, ww, hh] of [
        [-3, -2, 15, 10],
        [4, 1, 8, 3],
        [0, 0, 9, 6],
        [7, -1, 6, 2],
        [-20, 5, 4, 4],
      ]) {
        const expected = new Float32Array(ww * hh * 3 + 4).fill(NaN);
        readReflectedCodes(codes, w, h, 3, x, y, ww, hh, expected, 4);
        const copied =
          bits === 8 ? new Uint8Array(ww * hh * 3 + 4) : new Uint16Array(ww * hh * 3 + 4);
        copied.fill(1);
        copyReflectedCodes(codes, w, h, 3, x, y, ww, hh, copied, 4);
        expect(Array.from(copied.subarray(0, 4))).toEqual([1, 1, 1, 1]);
        expect(Array.from(copied.subarray(4), (c) => unit[c])).toEqual(
          Array.from(expected.subarray(4)),
        );
      }
    }
  });

  it('converts codes as the decoder does: k / 255 (= k · (1/255) in float32) and k · (1 / 65535)', () => {
    for (let k = 0; k < 256; k++) expect(codeToUnit(8)[k]).toBe(Math.fround(k * (1 / 255)));
    expect(codeToUnit(8)[51]).toBe(Math.fround(51 / 255));
    expect(codeToUnit(8)[255]).toBe(1);
    expect(codeToUnit(16)[12345]).toBe(Math.fround(12345 * (1 / 65535)));
    expect(codeToUnit(16)[65535]).toBe(1);
    expect(codeToUnit(16)).toHaveLength(65536);
  });
});
