import { describe, expect, it } from 'vitest';
import { depthToSpaceNhwc } from '../../../../src/core/model/onnx/frame-layout.js';
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
