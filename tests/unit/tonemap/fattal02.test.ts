import { describe, expect, it } from 'vitest';
import { createHdr } from '../../../src/core/image/image.js';
import { fattal02 } from '../../../src/core/tonemap/fattal02.js';
import {
  defaults,
  expectDisplayable,
  hostileScene,
  maxAbsDiff,
  rampScene,
  textureContrast,
} from './local-operator-helpers.js';

describe('fattal02', () => {
  const W = 96;
  const H = 48;

  it('maps a 1e5:1 step into [0, 1] and keeps a ±20 % texture visible on both sides', () => {
    const w = 128;
    const h = 64;
    const d = new Float32Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const t = ((x >> 1) + (y >> 1)) % 2 ? 1.2 : 0.8;
        const L = (x < w / 2 ? 1 : 1e5) * t;
        d.fill(L, (y * w + x) * 3, (y * w + x) * 3 + 3);
      }
    }
    // detailLevel 0: every level attenuated, as in the paper (this image has only 4 levels).
    const out = fattal02.apply(createHdr(w, h, 3, d), { ...defaults(fattal02), detailLevel: 0 });
    expectDisplayable(out, w, h);
    // Linear scaling would put the dark side at 1e-5 of white (encoded ≈ 1e-4): invisible.
    let s = 0;
    for (let y = 0; y < h; y++) for (let x = 8; x < 40; x++) s += out.data[(y * w + x) * 3 + 1];
    expect(s / (h * 32)).toBeGreaterThan(0.05);
    // The ±20 % texture shows on both sides: mean checker step ≥ 0.02 (≈ 5 of 255 codes).
    expect(textureContrast(out, 8, 40)).toBeGreaterThan(0.02);
    expect(textureContrast(out, 88, 120)).toBeGreaterThan(0.02);
  });

  it('is NaN/Inf/negative safe', () => {
    expectDisplayable(fattal02.apply(hostileScene(W, H), defaults(fattal02)), W, H);
  });

  it('changes the output with every parameter', () => {
    const scene = rampScene(W, H, 4, 0.2);
    const base = fattal02.apply(scene, defaults(fattal02));
    for (const p of fattal02.meta.params) {
      // 96×48 has 3 pyramid levels: detailLevel ≥ 2 all mean 'coarsest only', so try 0.
      const v =
        p.key === 'detailLevel'
          ? 0
          : p.default === p.max
            ? p.min
            : Math.min(p.max, p.default + (p.max - p.min) / 3);
      const out = fattal02.apply(scene, { ...defaults(fattal02), [p.key]: v });
      expect(maxAbsDiff(out, base), p.key).toBeGreaterThan(1e-3);
    }
  });

  it('with beta = 1 reproduces the scene luminance up to normalisation', () => {
    // φ ≡ 1: the Poisson solve integrates ∇H exactly, so the result is the linearly normalised
    // scene: for a 1-decade ramp without clipping, green at the right edge is 1.
    const scene = rampScene(W, H, 1, 0);
    const out = fattal02.apply(scene, {
      ...defaults(fattal02),
      beta: 1,
      saturation: 1,
      whiteClip: 0,
      blackClip: 0,
    });
    const g = (x: number): number => out.data[(10 * W + x) * 3 + 1];
    // sRGB of linear ramp from 0 (normalised black) to 1.
    expect(g(W - 1)).toBeGreaterThan(0.97);
    expect(g(0)).toBeLessThan(0.03);
    // Monotonic along the ramp.
    for (let x = 1; x < W; x++) expect(g(x)).toBeGreaterThanOrEqual(g(x - 1) - 1e-4);
  });

  it('reports progress and honours an aborted signal', () => {
    const scene = rampScene(W, H, 3);
    const fr: number[] = [];
    fattal02.apply(scene, defaults(fattal02), { onProgress: (p) => fr.push(p.fraction) });
    expect(fr.at(-1)).toBe(1);
    for (let i = 1; i < fr.length; i++) expect(fr[i]).toBeGreaterThanOrEqual(fr[i - 1]);
    const ac = new AbortController();
    ac.abort();
    expect(() => fattal02.apply(scene, defaults(fattal02), { signal: ac.signal })).toThrow(
      /Cancelled/,
    );
  });
});
