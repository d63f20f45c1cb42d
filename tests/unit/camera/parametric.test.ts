import { describe, expect, it } from 'vitest';
import {
  RESPONSE_FAMILIES,
  gammaToeFamily,
  generalisedGammaFamily,
  sampleCameraResponse,
} from '../../../src/core/camera/parametric.js';
import { mulberry32 } from '../../../src/core/camera/rng.js';
import { InvalidInputError } from '../../../src/core/errors.js';

describe('parametric response families', () => {
  it('gamma-toe with sRGB parameters is the sRGB curve (C¹ joint: a = 0.0557 vs 0.055)', () => {
    const r = gammaToeFamily.create({ gamma: 2.4, toe: 0.0031308 });
    for (const x of [0.001, 0.01, 0.18, 0.5, 0.9]) {
      const srgb = x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055;
      expect(Math.abs(r.forward(x) - srgb)).toBeLessThan(0.001);
    }
  });

  it('every sampled curve is monotonic with f(0) = 0, f(1) = 1, and its inverse matches', () => {
    const rng = mulberry32(1234);
    const seen = new Set<string>();
    for (let k = 0; k < 40; k++) {
      const r = sampleCameraResponse(rng);
      seen.add(r.family);
      expect(r.forward(0)).toBe(0);
      expect(r.forward(1)).toBeCloseTo(1, 9);
      expect(r.forward(10)).toBeCloseTo(1, 9);
      let prev = 0;
      for (let i = 0; i <= 500; i++) {
        const v = r.forward(10 ** (-5 + (5 * i) / 500));
        expect(v).toBeGreaterThanOrEqual(prev);
        prev = v;
      }
      const inv = r.inverse.inverse[0];
      for (let z = 1; z < 256; z++) expect(inv[z]).toBeGreaterThan(inv[z - 1]);
      for (const z of [5, 64, 128, 250]) expect(r.forward(inv[z])).toBeCloseTo(z / 255, 6);
      // Camera-like: mid grey 0.18 lands in the middle of the code range.
      expect(r.forward(0.18)).toBeGreaterThan(0.2);
      expect(r.forward(0.18)).toBeLessThan(0.8);
    }
    expect(seen.size).toBe(RESPONSE_FAMILIES.length);
  });

  it('draws are reproducible from the seed', () => {
    const a = sampleCameraResponse(mulberry32(9));
    const b = sampleCameraResponse(mulberry32(9));
    expect(a.params).toEqual(b.params);
    expect(a.inverse.source).toBe(b.inverse.source);
  });

  it('metas list sane ranges and defaults', () => {
    for (const f of RESPONSE_FAMILIES) {
      for (const p of f.meta.params) {
        expect(p.min).toBeLessThan(p.max);
        expect(p.default).toBeGreaterThanOrEqual(p.min);
        expect(p.default).toBeLessThanOrEqual(p.max);
      }
      expect(() => f.create()).not.toThrow();
    }
  });

  it('rejects parameters that give a non-monotonic curve', () => {
    expect(() => generalisedGammaFamily.create({ a: 0.05, b: 2, c: 0 })).toThrow(InvalidInputError);
  });
});
