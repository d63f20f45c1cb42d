import { describe, expect, it } from 'vitest';
import {
  adjustmentsMeta,
  applyAdjustments,
  applyGamma,
  clip,
  exposure,
  saturate,
} from '../../../src/core/tonemap/adjust.js';
import { srgbEncodeValue } from '../../../src/core/tonemap/display.js';
import { createHdr } from '../../../src/core/image/image.js';
import { allInUnit, nasty } from './helpers.js';

describe('adjustments', () => {
  it('exposure multiplies by 2^EV', () => {
    const img = createHdr(1, 1, 3, new Float32Array([1, 0.5, NaN]));
    expect([...exposure(img, 2).data]).toEqual([4, 2, 0]);
  });
  it('saturation keeps luminance; 0 gives grey', () => {
    const img = createHdr(1, 1, 3, new Float32Array([0.8, 0.2, 0.1]));
    const l = 0.2126 * 0.8 + 0.7152 * 0.2 + 0.0722 * 0.1;
    for (const v of saturate(img, 0).data) expect(v).toBeCloseTo(l, 6);
    const soft = createHdr(1, 1, 3, new Float32Array([0.5, 0.3, 0.25]));
    const s2 = saturate(soft, 2).data;
    const l2 = 0.2126 * 0.5 + 0.7152 * 0.3 + 0.0722 * 0.25;
    expect(0.2126 * s2[0] + 0.7152 * s2[1] + 0.0722 * s2[2]).toBeCloseTo(l2, 5);
    expect(s2[0] - s2[2]).toBeCloseTo(2 * (0.5 - 0.25), 5);
    expect(() => saturate(img, -1)).toThrow();
  });
  it('gamma raises encoded values to 1/γ', () => {
    const img = createHdr(1, 1, 1, new Float32Array([0.25]));
    expect(applyGamma(img, 2).data[0]).toBeCloseTo(0.5, 6);
  });
  it('applyAdjustments on encoded output: neutral is identity, exposure +1 doubles linear', () => {
    const enc = {
      width: 1,
      height: 1,
      channels: 3 as const,
      data: new Float32Array(3).fill(srgbEncodeValue(0.2)),
    };
    expect(applyAdjustments(enc, {})).toBe(enc);
    const out = applyAdjustments(enc, { exposure: 1 }).data;
    expect(out[0]).toBeCloseTo(srgbEncodeValue(0.4), 4);
    expect(() => applyAdjustments(enc, { exposure: 99 })).toThrow(/out of range/);
  });
  it('meta is sane', () => {
    for (const p of adjustmentsMeta) {
      expect(p.min).toBeLessThanOrEqual(p.default);
      expect(p.default).toBeLessThanOrEqual(p.max);
    }
  });
});

describe('clip operator', () => {
  it('is exposure + clamp + sRGB', () => {
    const img = createHdr(3, 1, 3, new Float32Array([0.25, 0.25, 0.25, 2, 2, 2, 0.01, 0.01, 0.01]));
    const out = clip.apply(img, { exposure: 1 }).data;
    expect(out[0]).toBeCloseTo(srgbEncodeValue(0.5), 4);
    expect(out[3]).toBe(1);
    expect(out[6]).toBeCloseTo(srgbEncodeValue(0.02), 4);
    expect(allInUnit(clip.apply(nasty(), {}).data)).toBe(true);
  });
});
