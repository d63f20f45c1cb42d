import { describe, expect, it } from 'vitest';
import type { LdrCodes } from '../../../../src/core/image/image.js';
import { PriorTable } from '../../../../src/core/model/architectures/multi-exposure/prior-table.js';
import { codesToPlanes, depthToSpaceNhwc } from '../../../../src/core/model/onnx/frame-layout.js';
import { s2dIndex } from './s2d-index.js';

describe('depthToSpaceNhwc', () => {
  it('puts channel c of pixel (2y + dy, 2x + dx) from plane (2·dy + dx)·3 + c, per image', () => {
    const [n, h, w] = [2, 6, 10];
    const src = Float32Array.from({ length: n * h * w * 3 }, (_, i) => i * 0.5 - 7);
    const out = new Float32Array(src.length).fill(NaN);
    depthToSpaceNhwc(src, out, n, h, w);
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          for (let c = 0; c < 3; c++) {
            expect(out[((b * h + y) * w + x) * 3 + c]).toBe(src[s2dIndex(b, y, x, c, h, w)]);
          }
        }
      }
    }
  });
});

describe('codesToPlanes', () => {
  it('puts table[code] of channel c of pixel (2y + dy, 2x + dx) in plane (2·dy + dx)·3 + c, per tile', () => {
    const [n, h, w] = [2, 4, 6];
    const codes = Uint8Array.from({ length: n * h * w * 3 }, (_, i) => (i * 41) % 256);
    const table = Float32Array.from({ length: 256 }, (_, k) => k * 0.25 - 9);
    const out = new Float32Array(codes.length).fill(NaN);
    codesToPlanes(codes, table, out, n, h, w);
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          for (let c = 0; c < 3; c++) {
            const code = codes[((b * h + y) * w + x) * 3 + c];
            expect(out[s2dIndex(b, y, x, c, h, w)]).toBe(table[code]);
          }
        }
      }
    }
  });

  it("gives PriorTable's planes of a 16-bit photo tile from the tile's codes and its code table", () => {
    const [width, height] = [10, 8];
    const codes = Uint16Array.from({ length: width * height * 3 }, (_, i) => (i * 4099) % 65536);
    const photo: LdrCodes = { kind: 'ldr-codes', width, height, channels: 3, bitDepth: 16, codes };
    const table = new PriorTable(2.8);
    const expected = new Float32Array(width * height * 3);
    table.fillSpaceToDepthFromCodes(photo, 0, 0, width, height, expected);
    const actual = new Float32Array(expected.length).fill(NaN);
    codesToPlanes(codes, table.codeTable(16), actual, 1, height, width);
    expect(Array.from(actual)).toEqual(Array.from(expected));
  });
});
