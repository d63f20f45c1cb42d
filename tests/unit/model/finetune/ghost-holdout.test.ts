import { describe, expect, it } from 'vitest';
import { gammaResponse } from '../../../../src/core/camera/response-builders.js';
import { createLdr } from '../../../../src/core/image/image.js';
import { rightHalf } from '../../../../src/core/model/eval/region.js';
import { ghostMask, integralMask, rectCount } from '../../../../src/core/model/finetune/ghost.js';
import { heldOutRegion } from '../../../../src/core/model/finetune/holdout.js';

describe('heldOutRegion', () => {
  it('is eval --right-half for a fraction of 0.5, even and odd widths', () => {
    for (const w of [10, 11, 768, 1001]) {
      expect(heldOutRegion(w, 7, 0.5)).toEqual(rightHalf(w, 7));
    }
  });

  it('holds out the rightmost ⌈w·f⌉ columns and refuses an empty side', () => {
    expect(heldOutRegion(100, 5, 0.3)).toEqual({ x: 70, y: 0, width: 30, height: 5 });
    expect(heldOutRegion(10, 5, 0.01)).toEqual({ x: 9, y: 0, width: 1, height: 5 });
    expect(() => heldOutRegion(10, 5, 0.99)).toThrow(/leaves no training or no held-out/);
    expect(() => heldOutRegion(10, 5, 0)).toThrow(/hold-out fraction 0/);
  });
});

describe('ghostMask', () => {
  const W = 32;
  const H = 16;
  const gamma = 2.2;
  /** Frame at exposure t of a ramp scene through a pure gamma camera; an object in one frame. */
  function frame(t: number, object: boolean) {
    const d = new Float32Array(W * H * 3);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const inside = object && x >= 20 && x < 26 && y >= 4 && y < 10;
        const e = inside ? 0.02 : 0.05 + (0.25 * x) / W;
        const v = Math.round(255 * Math.min(1, e * t) ** (1 / gamma)) / 255;
        d.fill(v, 3 * (y * W + x), 3 * (y * W + x) + 3);
      }
    }
    return createLdr(W, H, 3, d, 8);
  }

  it('marks exactly the pixels where a frame saw something the reference did not', () => {
    const times = [0.5, 1, 2];
    const frames = [frame(0.5, false), frame(1, false), frame(2, true)];
    const mask = ghostMask(frames, times, gammaResponse(gamma), 1, 0.3);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const inside = x >= 20 && x < 26 && y >= 4 && y < 10;
        expect(mask[y * W + x], `(${x}, ${y})`).toBe(inside ? 1 : 0);
      }
    }
    const sat = integralMask(mask, W, H);
    expect(rectCount(sat, W, 0, 0, W, H)).toBe(36);
    expect(rectCount(sat, W, 22, 5, 10, 3)).toBe(4 * 3);
    expect(rectCount(sat, W, 0, 0, 20, H)).toBe(0);
  });
});
