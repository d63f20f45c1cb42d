import { describe, expect, it } from 'vitest';
import {
  colorFromLuminance,
  displayEncode,
  logAverage,
  percentile,
  safeLuminance,
  srgbDecodeValue,
  srgbEncodeValue,
  encodeLinear,
  linearRgb,
  toneTable,
} from '../../../src/core/tonemap/display.js';
import { createHdr } from '../../../src/core/image/image.js';
import { allInUnit } from './helpers.js';

describe('displayEncode', () => {
  it('matches the sRGB curve closely', () => {
    const n = 2001;
    const lin = new Float32Array(n * 3);
    for (let i = 0; i < n; i++)
      lin[3 * i] = lin[3 * i + 1] = lin[3 * i + 2] = Math.pow(i / (n - 1), 3);
    const out = displayEncode(lin, n, 1).data;
    let worst = 0;
    for (let i = 0; i < n * 3; i++)
      worst = Math.max(worst, Math.abs(out[i] - srgbEncodeValue(lin[i])));
    expect(worst).toBeLessThan(2e-5);
    expect(srgbDecodeValue(srgbEncodeValue(0.3))).toBeCloseTo(0.3, 12);
  });
  it('supports a power gamma and curves', () => {
    const lin = new Float32Array([0.25, 0.25, 0.25]);
    expect(displayEncode(lin, 1, 1, { gamma: 2 }).data[0]).toBeCloseTo(0.5, 4);
    expect(displayEncode(lin, 1, 1, { gamma: 1 }).data[0]).toBeCloseTo(0.25, 5);
    expect(displayEncode(lin, 1, 1, { gamma: (v) => v * 2 }).data[0]).toBeCloseTo(0.5, 5);
    expect(displayEncode(lin, 1, 1, { gamma: 1, postGamma: 2 }).data[0]).toBeCloseTo(0.5, 4);
    expect(displayEncode(lin, 1, 1, { gamma: 1, exposure: 1 }).data[0]).toBeCloseTo(0.5, 5);
  });
  it('makes NaN/Inf/negative safe', () => {
    const lin = new Float32Array([NaN, Infinity, -Infinity, -1, 0.5, 2]);
    const out = displayEncode(lin, 2, 1, { gamma: 1 }).data;
    expect(allInUnit(out)).toBe(true);
    expect([out[0], out[1], out[2]]).toEqual([0, 0, 0]);
  });
  it('gamut-maps out-of-range colours keeping luminance and hue', () => {
    const lin = new Float32Array([1.5, 0.3, 0.1]);
    const out = displayEncode(lin, 1, 1, { gamma: 1 }).data;
    const lum = (r: number, g: number, b: number) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
    expect(Math.max(out[0], out[1], out[2])).toBeCloseTo(1, 6);
    expect(lum(out[0], out[1], out[2])).toBeCloseTo(lum(1.5, 0.3, 0.1), 5);
    // Same hue: the chroma vector keeps its direction, (g − b)/(r − b) is unchanged.
    expect((out[1] - out[2]) / (out[0] - out[2])).toBeCloseTo((0.3 - 0.1) / (1.5 - 0.1), 5);
    const white = displayEncode(new Float32Array([5, 3, 2]), 1, 1, { gamma: 1 }).data;
    expect([...white]).toEqual([1, 1, 1]);
  });
  it('applies saturation around luminance', () => {
    const out = displayEncode(new Float32Array([0.8, 0.2, 0.1]), 1, 1, {
      gamma: 1,
      saturation: 0,
    }).data;
    const l = 0.2126 * 0.8 + 0.7152 * 0.2 + 0.0722 * 0.1;
    for (const v of out) expect(v).toBeCloseTo(l, 5);
  });
  it('rejects a wrong buffer size', () => {
    expect(() => displayEncode(new Float32Array(5), 1, 2)).toThrow(/expected 6/);
  });
});

describe('colorFromLuminance', () => {
  it('keeps ratios for s = 1 and applies the exponent otherwise', () => {
    const rgb = new Float32Array([0.4, 0.2, 0.1]);
    const lin = new Float32Array([0.2]);
    const lout = new Float32Array([0.5]);
    const a = colorFromLuminance(rgb, lin, lout, 1);
    expect([...a].map((v) => +v.toFixed(5))).toEqual([1, 0.5, 0.25]);
    const b = colorFromLuminance(rgb, lin, lout, 0.5);
    expect(b[0]).toBeCloseTo(Math.sqrt(2) * 0.5, 3);
    expect(b[2]).toBeCloseTo(Math.sqrt(0.5) * 0.5, 3);
  });
  it('is safe for L_in = 0 and bad samples', () => {
    const rgb = new Float32Array([0, 0, 0, NaN, 1, -1]);
    const out = colorFromLuminance(
      rgb,
      new Float32Array([0, 0.7152]),
      new Float32Array([0.3, 0.5]),
      0.7,
    );
    expect([...out.subarray(0, 3)]).toEqual([0.3, 0.3, 0.3].map((v) => Math.fround(v)));
    expect(out[3]).toBe(0);
    expect(out[5]).toBe(0);
    expect(Number.isFinite(out[4])).toBe(true);
  });
});

describe('statistics', () => {
  it('luminance, log-average and percentile', () => {
    const img = createHdr(2, 1, 3, new Float32Array([1, 1, 1, NaN, 4, -2]));
    const l = safeLuminance(img);
    expect(l[0]).toBeCloseTo(1, 6);
    expect(l[1]).toBeCloseTo(0.7152 * 4, 5);
    expect(logAverage(new Float32Array([1, 4]), 0)).toBeCloseTo(2, 10);
    const plane = new Float32Array(1000).map((_, i) => i + 1);
    expect(percentile(plane, 100)).toBe(1000);
    expect(percentile(plane, 50) / 500).toBeGreaterThan(0.99);
    expect(percentile(plane, 50) / 500).toBeLessThan(1.01);
  });
});

describe('fused tone stage', () => {
  it('applies (C/L)^s·T(L) with a tabulated curve, then encodes', () => {
    const rgb = new Float32Array([0.4, 0.2, 0.1, 3, 3, 3, 0, 0, 0]);
    const lmax = 3;
    const table = toneTable((l) => l / (1 + l), lmax);
    for (const s of [1, 0.6]) {
      const lin = { rgb, gamma: 1, tone: { table, lmax, saturation: s } } as const;
      const out = encodeLinear(lin, 3, 1).data;
      const l0 = 0.2126 * 0.4 + 0.7152 * 0.2 + 0.0722 * 0.1;
      const t0 = l0 / (1 + l0);
      expect(out[0]).toBeCloseTo(Math.pow(0.4 / l0, s) * t0, 4);
      expect(out[2]).toBeCloseTo(Math.pow(0.1 / l0, s) * t0, 4);
      expect(out[3]).toBeCloseTo(0.75, 4);
      expect([out[6], out[7], out[8]]).toEqual([0, 0, 0]);
      const plain = linearRgb(lin);
      for (let i = 0; i < 9; i++) expect(out[i]).toBeCloseTo(Math.min(1, plain[i]), 4);
    }
  });
});
