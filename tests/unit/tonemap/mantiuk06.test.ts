import { describe, expect, it } from 'vitest';
import {
  contrastMapping,
  contrastToResponse,
  G_MAX,
  gradientLut,
  mantiuk06,
  responseToContrast,
} from '../../../src/core/tonemap/mantiuk06.js';
import { solveContrastPyramid } from '../../../src/core/tonemap/mantiuk06-solver.js';
import {
  defaults,
  expectDisplayable,
  hostileScene,
  maxAbsDiff,
  rampScene,
  textureContrast,
} from './local-operator-helpers.js';

describe('mantiuk06 transducer', () => {
  it('inverts and is odd', () => {
    for (const g of [-2, -0.3, -0.001, 0, 0.002, 0.1, 1, 3]) {
      expect(responseToContrast(contrastToResponse(g))).toBeCloseTo(g, 6);
      expect(contrastToResponse(-g)).toBeCloseTo(-contrastToResponse(g), 9);
    }
  });

  it('contrast mapping is R⁻¹(l·R(G)); l = 1 is the identity', () => {
    const id = contrastMapping(1);
    const m = contrastMapping(0.3);
    for (const g of [-1.5, -0.05, 0.01, 0.4, 2]) {
      expect(id(g)).toBeCloseTo(g, 9);
      expect(m(g)).toBeCloseTo(responseToContrast(0.3 * contrastToResponse(g)), 6);
    }
  });
});

describe('mantiuk06 transducer shape', () => {
  it('is monotone, 0 at 0 and saturates at 1 for G ≥ G_MAX', () => {
    expect(contrastToResponse(0)).toBe(0);
    expect(contrastToResponse(G_MAX)).toBeCloseTo(1, 9);
    expect(contrastToResponse(G_MAX + 1)).toBe(1);
    let prev = 0;
    for (let g = 0.001; g < G_MAX; g *= 1.3) {
      const r = contrastToResponse(g);
      expect(r).toBeGreaterThan(prev);
      prev = r;
    }
  });

  it('maps tiny contrasts by ≈ l and compresses large contrasts more (G′/G decreasing)', () => {
    // Near 0 the response is linear in W = 10^G − 1 ≈ G·ln10, so G′ ≈ l·G.
    const m = contrastMapping(0.1);
    expect(m(1e-4) / 1e-4).toBeCloseTo(0.1, 2);
    let prev = Infinity;
    for (const g of [0.001, 0.01, 0.1, 0.5, 1, 2, 3.5]) {
      const ratio = m(g) / g;
      expect(ratio).toBeLessThan(prev + 1e-6);
      prev = ratio;
    }
    expect(m(3) / 3).toBeLessThan(0.03);
  });

  it('tabulates the mapping and weights consistently with the closed forms', () => {
    const lut = gradientLut(0.3);
    const m = contrastMapping(0.3);
    for (const i of [0, 17, 900, 4096]) {
      const g = i * lut.step;
      expect(lut.target[i]).toBeCloseTo(m(g), 5);
      expect(lut.weightedTarget[i]).toBeCloseTo(lut.weight[i] * lut.target[i], 3);
    }
  });
});

describe('solveContrastPyramid', () => {
  const w = 37;
  const h = 29;
  const logL = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      logL[y * w + x] =
        2 * Math.sin(x * 0.2) * Math.cos(y * 0.15) + (x > 18 ? 1.5 : 0) + 0.1 * ((x + y) % 3);
    }
  }

  it('reconstructs the input log luminance up to a constant with the identity mapping', () => {
    const { x } = solveContrastPyramid(logL, w, h, {
      iterations: 500,
      tolerance: 1e-6,
      minSize: 4,
    });
    const off = x[0] - logL[0];
    let maxErr = 0;
    for (let i = 0; i < w * h; i++) maxErr = Math.max(maxErr, Math.abs(x[i] - off - logL[i]));
    expect(maxErr).toBeLessThan(1e-3);
  });

  it('reconstructs the input with the identity transfer and pfstmo weights (cascade)', () => {
    const { x } = solveContrastPyramid(logL, w, h, {
      lut: gradientLut(1),
      iterations: 500,
      tolerance: 1e-6,
      minSize: 4,
      cascade: true,
    });
    const off = x[0] - logL[0];
    let maxErr = 0;
    for (let i = 0; i < w * h; i++) maxErr = Math.max(maxErr, Math.abs(x[i] - off - logL[i]));
    expect(maxErr).toBeLessThan(2e-3);
  });

  it('decreases the CG residual', () => {
    const res: number[] = [];
    solveContrastPyramid(logL, w, h, {
      iterations: 30,
      tolerance: 1e-9,
      lut: gradientLut(0.2),
      onResidual: (r) => res.push(r),
    });
    expect(res.length).toBeGreaterThan(3);
    expect(res.at(-1)!).toBeLessThan(res[0] * 0.5);
  });
});

describe('mantiuk06', () => {
  const W = 80;
  const H = 48;
  const scene = rampScene(W, H, 5, 0.2);

  it('maps a 5-decade scene into [0, 1] with texture visible at both ends; NaN safe', () => {
    const out = mantiuk06.apply(scene, defaults(mantiuk06));
    expectDisplayable(out, W, H);
    expect(textureContrast(out, 6, 24)).toBeGreaterThan(0.005);
    expect(textureContrast(out, 56, 74)).toBeGreaterThan(0.005);
    expectDisplayable(mantiuk06.apply(hostileScene(W, H), defaults(mantiuk06)), W, H);
  });

  it('changes the output with every parameter', () => {
    const base = mantiuk06.apply(scene, { ...defaults(mantiuk06), iterations: 20 });
    for (const p of mantiuk06.meta.params) {
      const v = p.key === 'iterations' ? 5 : Math.min(p.max, p.default + (p.max - p.min) / 3);
      const out = mantiuk06.apply(scene, { ...defaults(mantiuk06), iterations: 20, [p.key]: v });
      expect(maxAbsDiff(out, base), p.key).toBeGreaterThan(1e-3);
    }
  });

  it('honours an aborted signal', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => mantiuk06.apply(scene, defaults(mantiuk06), { signal: ac.signal })).toThrow(
      /Cancelled/,
    );
  });
});
