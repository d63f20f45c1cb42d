import { describe, expect, it } from 'vitest';
import {
  bracketFlopsPerPixel,
  LITE_CONFIG,
  modelStride,
  PAPER_CONFIG,
  TINY_CONFIG,
  unetFlopsPerPixel,
  unetStride,
} from '../../../../../src/core/model/architectures/multi-exposure/config.js';

describe('multi-exposure config', () => {
  it('counts the tiny U-Net FLOPs by hand', () => {
    // level 0 (full res): 3→4 (216) + 4→4 (288) + dec 8→4 (576) + 4→4 (288)
    // upsampler 1×1 8→16 at ¼ res: 2·8·16/4 = 64; level 1 (¼ res): 4→8 (144) + 8→8 (288)
    // final 1×1: N1 4→3 = 24; N2/N3 (4+3)→3 = 42
    const body = 216 + 288 + 576 + 288 + 64 + 144 + 288;
    expect(unetFlopsPerPixel(TINY_CONFIG.n1)).toBeCloseTo(body + 24, 9);
    expect(unetFlopsPerPixel(TINY_CONFIG.n23)).toBeCloseTo(body + 42, 9);
    expect(bracketFlopsPerPixel(TINY_CONFIG, 6)).toBeCloseTo(body + 24 + 6 * (body + 42), 9);
  });

  it('counts a nearest-neighbour upsampler at a quarter of the sub-pixel one', () => {
    // the tiny upsampler 1×1 8→4 at ¼ res: 2·8·4/4 = 16 instead of 64
    const nearest = { ...TINY_CONFIG.n1, upsample: 'nearest' as const };
    expect(unetFlopsPerPixel(nearest)).toBeCloseTo(unetFlopsPerPixel(TINY_CONFIG.n1) - 48, 9);
  });

  it('has the paper sizes and strides', () => {
    expect(PAPER_CONFIG.n1.widths).toEqual([16, 32, 64, 128, 256, 256, 256]);
    expect(PAPER_CONFIG.n23.widths).toEqual([32, 64, 128, 256, 512, 512, 512]);
    expect(modelStride(PAPER_CONFIG)).toBe(64);
    expect(unetStride(LITE_CONFIG.n23)).toBe(16);
    expect(modelStride(TINY_CONFIG)).toBe(2);
  });

  it('lite fits the 12-MP 7-frame budget: N1 + 6·N2/3 ≤ 60 GFLOP/MP (≈ 30 s at 20 GFLOP/s)', () => {
    const perMp = bracketFlopsPerPixel(LITE_CONFIG, 6); // FLOP per pixel = GFLOP per MP / 1e3
    expect(perMp).toBeLessThan(60e3);
    expect(bracketFlopsPerPixel(PAPER_CONFIG, 6)).toBeGreaterThan(20 * perMp);
  });
});
