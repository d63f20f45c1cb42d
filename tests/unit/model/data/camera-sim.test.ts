import { describe, expect, it } from 'vitest';
import { RESPONSE_FAMILIES, gammaToeFamily } from '../../../../src/core/camera/parametric.js';
import { mulberry32 } from '../../../../src/core/camera/rng.js';
import {
  exposeFrame,
  forwardLut,
  jpegRoundTrip,
  luminanceQuantile,
} from '../../../../src/core/model/data/camera-sim.js';

const isCode = (v: number): boolean => Math.abs(v * 255 - Math.round(v * 255)) < 1e-4;

describe('synthetic camera', () => {
  it('the √x lookup table matches every family’s curve to far below one code', () => {
    for (const fam of RESPONSE_FAMILIES) {
      const r = fam.sampleResponse(mulberry32(11));
      const lut = forwardLut(r);
      let worst = 0;
      for (let i = 1; i <= 2000; i++) {
        const x = 10 ** (-4 + (4 * i) / 2000);
        const frame = exposeFrame(new Float32Array([x]), 1, lut, null, mulberry32(1));
        const exact = Math.round(r.forward(x) * 255) / 255;
        worst = Math.max(worst, Math.abs(frame[0] - exact));
      }
      expect(worst).toBeLessThanOrEqual(1 / 255 + 1e-6); // at most a rounding-boundary code
    }
  });

  it('quantises to 8-bit codes, clips at saturation, is monotonic in exposure', () => {
    const r = gammaToeFamily.create({ gamma: 2.4, toe: 0.0031308 });
    const lut = forwardLut(r);
    const lin = new Float32Array([0, 0.001, 0.01, 0.18, 0.5, 0.99, 1, 7, Infinity, NaN, -1, 0.3]);
    const f = exposeFrame(lin, 1, lut, null, mulberry32(1));
    for (const v of f) expect(isCode(v)).toBe(true);
    expect(f[0]).toBe(0);
    expect(f[6]).toBe(1);
    expect(f[7]).toBe(1);
    expect(f[8]).toBe(1);
    expect(f[9]).toBe(0);
    expect(f[10]).toBe(0);
    // sRGB(0.18) = 0.4614 → code 118
    expect(Math.round(f[3] * 255)).toBe(118);
    const brighter = exposeFrame(lin, 4, lut, null, mulberry32(1));
    for (let i = 0; i < 8; i++) expect(brighter[i]).toBeGreaterThanOrEqual(f[i]);
    expect(brighter[3] * 255).toBeCloseTo(Math.round((1.055 * 0.72 ** (1 / 2.4) - 0.055) * 255), 3);
  });

  it('noise has zero mean and the shot + read variance (linear camera)', () => {
    const linearCam = { forward: (x: number) => Math.min(1, Math.max(0, x)) };
    const lut = forwardLut(linearCam as never);
    const n = 40000;
    const x = 0.4;
    const f = exposeFrame(
      new Float32Array(n).fill(x),
      1,
      lut,
      { shot: 1e-3, read: 1e-5 },
      mulberry32(2),
    );
    let m = 0;
    for (const v of f) m += v;
    m /= n;
    let s = 0;
    for (const v of f) s += (v - m) ** 2;
    s /= n;
    expect(m).toBeCloseTo(x, 2);
    const want = 1e-3 * x + 1e-5 + 1 / (12 * 255 * 255); // + quantisation variance
    expect(s / want).toBeGreaterThan(0.9);
    expect(s / want).toBeLessThan(1.1);
    expect(f.every(isCode)).toBe(true);
  });

  it('JPEG round trip: 8-bit output, near-lossless at q100, lossy at q40', async () => {
    const w = 32;
    const frame = new Float32Array(w * w * 3);
    for (let i = 0; i < frame.length; i++)
      frame[i] = Math.round((((i * 37) % 255) + (i % 3) * 20) % 256) / 255;
    const hi = await jpegRoundTrip(frame, w, w, 100);
    const lo = await jpegRoundTrip(frame, w, w, 40);
    expect(hi.length).toBe(frame.length);
    expect(hi.every(isCode) && lo.every(isCode)).toBe(true);
    const mad = (a: Float32Array): number =>
      a.reduce((s, v, i) => s + Math.abs(v - frame[i]), 0) / a.length;
    expect(mad(lo)).toBeGreaterThan(mad(hi));
    const smooth = new Float32Array(w * w * 3);
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++)
        smooth.fill(Math.round((x * 4 + y * 2) % 256) / 255, 3 * (y * w + x), 3 * (y * w + x + 1));
    const back = await jpegRoundTrip(smooth, w, w, 100);
    let worst = 0;
    for (let i = 0; i < back.length; i++) worst = Math.max(worst, Math.abs(back[i] - smooth[i]));
    expect(worst).toBeLessThanOrEqual(3 / 255);
  });

  it('luminance quantile of a known set', () => {
    const lin = new Float32Array(300);
    for (let i = 0; i < 100; i++) lin.fill(i / 99, 3 * i, 3 * i + 3); // grey 0 … 1
    expect(luminanceQuantile(lin, 0.5)).toBeCloseTo(Math.round(0.5 * 99) / 99, 5);
    expect(luminanceQuantile(lin, 1)).toBeCloseTo(1, 5);
    expect(luminanceQuantile(new Float32Array(30), 0.9)).toBe(0);
  });
});
