import { describe, expect, it } from 'vitest';
import { reinhard02 } from '../../../src/core/tonemap/reinhard02.js';
import { linearRgb } from '../../../src/core/tonemap/display.js';
import { createHdr } from '../../../src/core/image/image.js';
import { allInUnit, constant, nasty, ramp } from './helpers.js';

describe('reinhard02', () => {
  it('maps a constant image to a/(1 + a) with no white point', () => {
    for (const k of [0.01, 1, 500]) {
      const lin = reinhard02.applyLinear(constant(k), { key: 0.18, white: 1e6 });
      for (const v of linearRgb(lin)) expect(v).toBeCloseTo(0.18 / 1.18, 5);
    }
    const lin = reinhard02.applyLinear(constant(3), { key: 0.5, white: 1e6 });
    expect(linearRgb(lin)[0]).toBeCloseTo(0.5 / 1.5, 5);
  });
  it('maps the white point (the maximum by default) to 1', () => {
    const lin = reinhard02.applyLinear(ramp(64), {});
    expect(linearRgb(lin)[63 * 3]).toBeCloseTo(1, 5);
    // Eq. 4 with Lwhite = Ls_max at a mid pixel, computed from first principles.
    const img = ramp(64);
    let s = 0;
    const lum: number[] = [];
    for (let x = 0; x < 64; x++) {
      lum.push(img.data[3 * x]);
      s += Math.log(1e-6 * 1000 + img.data[3 * x]);
    }
    const lav = Math.exp(s / 64);
    const ls = (x: number) => (0.18 * lum[x]) / lav;
    const lw = ls(63);
    const expected = (ls(20) * (1 + ls(20) / (lw * lw))) / (1 + ls(20));
    expect(linearRgb(lin)[20 * 3] / expected).toBeCloseTo(1, 4);
  });
  it('is monotonic on a ramp and outputs [0, 1]', () => {
    const out = reinhard02.apply(ramp(200), { burn: 90 });
    expect(allInUnit(out.data)).toBe(true);
    for (let x = 1; x < 200; x++)
      expect(out.data[3 * x]).toBeGreaterThanOrEqual(out.data[3 * x - 3]);
  });
  it('survives NaN, Inf and negative samples in both modes', () => {
    for (const mode of [0, 1]) {
      const out = reinhard02.apply(nasty(), { mode });
      expect(allInUnit(out.data)).toBe(true);
    }
    expect(allInUnit(reinhard02.apply(constant(0), {}).data)).toBe(true);
  });
  it('local mode keeps more local contrast than the global curve', () => {
    // Left half dark (1), right half bright (100) with ±10 % stripes of period 4 px.
    const w = 96;
    const h = 24;
    const d = new Float32Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = x < w / 2 ? 1 : 100 * ((x >> 1) % 2 ? 1.1 : 0.9);
        d.fill(v, (y * w + x) * 3, (y * w + x) * 3 + 3);
      }
    }
    const img = createHdr(w, h, 3, d);
    const michelson = (rgb: Float32Array) => {
      let lo = Infinity;
      let hi = 0;
      for (let y = 8; y < 16; y++) {
        for (let x = 64; x < 80; x++) {
          const v = rgb[(y * w + x) * 3];
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      return (hi - lo) / (hi + lo);
    };
    const global = michelson(linearRgb(reinhard02.applyLinear(img, { mode: 0, white: 1e6 })));
    const local = michelson(linearRgb(reinhard02.applyLinear(img, { mode: 1 })));
    expect(local).toBeGreaterThan(1.5 * global);
    // The stripes' own contrast is 0.1; dividing by a smooth V1 keeps most of it.
    expect(local).toBeGreaterThan(0.07);
  });
});
