import { describe, expect, it } from 'vitest';
import { createHdr, createLdr } from '../../../src/core/image/image.js';
import {
  gammaDecode,
  gammaEncode,
  linearToSrgb,
  muLawEncode,
  srgbDecode,
  srgbEncode,
  srgbToLinear,
} from '../../../src/core/image/transfer.js';

describe('sRGB scalar curves', () => {
  it('hits known values', () => {
    expect(srgbToLinear(0)).toBe(0);
    expect(srgbToLinear(1)).toBeCloseTo(1, 12);
    expect(linearToSrgb(1)).toBeCloseTo(1, 12);
    // 1.055·0.5^(1/2.4) − 0.055
    expect(linearToSrgb(0.5)).toBeCloseTo(0.735356983, 8);
    // ((0.5 + 0.055) / 1.055)^2.4
    expect(srgbToLinear(0.5)).toBeCloseTo(0.21404114, 8);
    expect(srgbToLinear(0.04)).toBeCloseTo(0.04 / 12.92, 14);
  });
  it('is (nearly) continuous at the thresholds', () => {
    const t = 0.0031308;
    expect(Math.abs(linearToSrgb(t) - linearToSrgb(t + 1e-12))).toBeLessThan(1e-6);
    const s = 0.04045;
    expect(Math.abs(srgbToLinear(s) - srgbToLinear(s + 1e-12))).toBeLessThan(1e-6);
  });
  it('round-trips', () => {
    for (let i = 0; i <= 1000; i++) {
      const v = i / 1000;
      expect(srgbToLinear(linearToSrgb(v))).toBeCloseTo(v, 12);
      expect(linearToSrgb(srgbToLinear(v))).toBeCloseTo(v, 12);
    }
  });
  it('is monotonic', () => {
    let prev = -1;
    for (let i = 0; i <= 10000; i++) {
      const v = linearToSrgb(i / 10000);
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
  });
});

describe('gamma and μ-law', () => {
  it('gamma round-trips and clamps negatives', () => {
    expect(gammaEncode(0.25, 2)).toBeCloseTo(0.5, 14);
    expect(gammaDecode(0.5, 2)).toBeCloseTo(0.25, 14);
    expect(gammaDecode(gammaEncode(0.3, 2.2), 2.2)).toBeCloseTo(0.3, 12);
    expect(gammaEncode(-1, 2.2)).toBe(0);
    expect(gammaEncode(4, 2)).toBeCloseTo(2, 14);
  });
  it('μ-law maps 0→0, 1→1 and clamps', () => {
    expect(muLawEncode(0)).toBe(0);
    expect(muLawEncode(1)).toBeCloseTo(1, 14);
    expect(muLawEncode(2)).toBeCloseTo(1, 14);
    expect(muLawEncode(-1)).toBe(0);
    expect(muLawEncode(NaN)).toBe(0);
    expect(muLawEncode(0.5, 5000)).toBeCloseTo(Math.log(2501) / Math.log(5001), 12);
  });
});

describe('srgbDecode / srgbEncode', () => {
  it('decodes every 8-bit code exactly (to float precision)', () => {
    const d = new Float32Array(256);
    for (let i = 0; i < 256; i++) d[i] = i / 255;
    const out = srgbDecode(createLdr(256, 1, 1, d));
    expect(out.kind).toBe('hdr');
    for (let i = 0; i < 256; i++) {
      expect(Math.abs(out.data[i] - srgbToLinear(i / 255))).toBeLessThan(1e-6);
    }
  });
  it('decodes off-grid values by interpolation', () => {
    const d = new Float32Array([0.123456, 0.5, 0.987654, 0.01]);
    const out = srgbDecode(createLdr(4, 1, 1, d, 16));
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(out.data[i] - srgbToLinear(d[i]))).toBeLessThan(2e-6);
    }
  });
  it('round-trips all 8-bit and sampled 16-bit codes', () => {
    const d = new Float32Array(256 * 3);
    for (let i = 0; i < d.length; i++) d[i] = (i % 256) / 255;
    const back = srgbEncode(srgbDecode(createLdr(256, 1, 3, d)), 8);
    expect(back.bitDepth).toBe(8);
    for (let i = 0; i < d.length; i++) expect(back.data[i]).toBe(d[i]);
    const d16 = new Float32Array(6554);
    for (let i = 0; i < d16.length; i++) d16[i] = Math.fround((i * 10) / 65535);
    const back16 = srgbEncode(srgbDecode(createLdr(d16.length, 1, 1, d16, 16)), 16);
    for (let i = 0; i < d16.length; i++) {
      expect(Math.round(back16.data[i] * 65535)).toBe(i * 10);
    }
  });
  it('clamps out-of-range and non-finite values', () => {
    const h = createHdr(5, 1, 1, new Float32Array([-1, NaN, Infinity, 7, 0.5]));
    const e = srgbEncode(h, 8);
    expect(Array.from(e.data.slice(0, 4))).toEqual([0, 0, 1, 1]);
    expect(e.data[4]).toBeCloseTo(Math.round(255 * 0.735356983) / 255, 6);
    const u = srgbEncode(h, 16, false);
    expect(u.data[4]).toBeCloseTo(0.735356983, 6);
  });
});
