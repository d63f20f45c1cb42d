import { describe, expect, it } from 'vitest';
import { FftPlan } from '../../../src/core/tonemap/fft.js';
import { DctPlan } from '../../../src/core/tonemap/dct.js';
import {
  divergence,
  neumannLaplacian,
  solvePoissonNeumann,
} from '../../../src/core/tonemap/poisson.js';

function naiveDft(re: number[], im: number[]): [number[], number[]] {
  const n = re.length;
  const or: number[] = [];
  const oi: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * j * k) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    or.push(sr);
    oi.push(si);
  }
  return [or, oi];
}

describe('FftPlan', () => {
  it.each([1, 2, 3, 4, 5, 6, 8, 12, 15, 30, 49, 64, 97, 100, 101, 120, 74])(
    'matches a naive DFT for n = %i and inverts',
    (n) => {
      const re = Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) + (i % 3));
      const im = Array.from({ length: n }, (_, i) => Math.cos(i * 0.7) - 0.2 * i);
      const [er, ei] = naiveDft(re, im);
      const plan = new FftPlan(n);
      const xr = Float64Array.from(re);
      const xi = Float64Array.from(im);
      plan.forward(xr, xi);
      for (let k = 0; k < n; k++) {
        expect(xr[k]).toBeCloseTo(er[k], 8);
        expect(xi[k]).toBeCloseTo(ei[k], 8);
      }
      plan.inverse(xr, xi);
      for (let k = 0; k < n; k++) {
        expect(xr[k]).toBeCloseTo(re[k], 9);
        expect(xi[k]).toBeCloseTo(im[k], 9);
      }
    },
  );
});

describe('DctPlan', () => {
  it.each([1, 2, 5, 8, 11, 30, 67])('computes the DCT-II of two rows for n = %i', (n) => {
    const data = new Float32Array(2 * n);
    for (let i = 0; i < 2 * n; i++) data[i] = Math.sin(i * 0.9) + 0.1 * i;
    const orig = data.slice();
    const plan = new DctPlan(n);
    plan.forwardPair(data, 0, n);
    for (let r = 0; r < 2; r++) {
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let j = 0; j < n; j++)
          s += orig[r * n + j] * Math.cos((Math.PI * k * (2 * j + 1)) / (2 * n));
        expect(data[r * n + k]).toBeCloseTo(s, 3);
      }
    }
    plan.inversePair(data, 0, n);
    for (let i = 0; i < 2 * n; i++) expect(data[i]).toBeCloseTo(orig[i], 4);
  });
});

describe('solvePoissonNeumann', () => {
  it('recovers an analytic cosine solution up to a constant', () => {
    const w = 67;
    const h = 48;
    const u = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        u[y * w + x] =
          Math.cos((Math.PI * (x + 0.5)) / w) * Math.cos((Math.PI * (y + 0.5)) / h) +
          0.5 * Math.cos((3 * Math.PI * (x + 0.5)) / w) +
          3;
      }
    }
    const f = neumannLaplacian(u, w, h);
    const sol = solvePoissonNeumann(f, w, h);
    let mean = 0;
    for (let i = 0; i < w * h; i++) mean += u[i] - sol[i];
    mean /= w * h;
    expect(mean).toBeCloseTo(3, 4);
    for (let i = 0; i < w * h; i++) expect(Math.abs(sol[i] + mean - u[i])).toBeLessThan(1e-4);
  });

  it('integrates a conservative gradient field exactly (prime size, Bluestein path)', () => {
    const w = 53;
    const h = 41;
    const u = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++)
        u[y * w + x] = Math.sin(x * 0.3) * Math.cos(y * 0.21) + ((x * y) % 7) * 0.05;
    }
    const gx = new Float32Array(w * h);
    const gy = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (x < w - 1) gx[i] = u[i + 1] - u[i];
        if (y < h - 1) gy[i] = u[i + w] - u[i];
      }
    }
    const sol = solvePoissonNeumann(divergence(gx, gy, w, h), w, h);
    const off = u[0] - sol[0];
    for (let i = 0; i < w * h; i++) expect(Math.abs(sol[i] + off - u[i])).toBeLessThan(1e-4);
  });

  it('stops when aborted', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => solvePoissonNeumann(new Float32Array(16), 4, 4, { signal: ac.signal })).toThrow(
      /Cancelled/,
    );
  });
});
