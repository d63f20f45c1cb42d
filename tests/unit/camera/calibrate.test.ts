import { describe, expect, it } from 'vitest';
import { calibrateDebevec } from '../../../src/core/camera/debevec-calibrate.js';
import { calibrateRobertson } from '../../../src/core/camera/robertson-calibrate.js';
import { responseRmsError } from '../../../src/core/camera/apply-response.js';
import {
  cameraJpegFamily,
  generalisedGammaFamily,
  logLogisticFamily,
} from '../../../src/core/camera/parametric.js';
import { InvalidInputError } from '../../../src/core/errors.js';
import { createLdr } from '../../../src/core/image/image.js';
import { renderBracket, stopTimes, syntheticRadiance } from './synthetic-bracket.js';

const W = 192;
const H = 128;
const radiance = syntheticRadiance(W, H);
const times = stopTimes(3); // 7 frames, EV −3…+3

const known = [
  generalisedGammaFamily.create({ a: 0.42, b: 0.12, c: -0.05 }),
  cameraJpegFamily.create({ headroom: 1.3, contrast: 6, pivot: 0.5 }),
  logLogisticFamily.create({ n: 0.55, k: 0.8 }),
];

function isStrictlyIncreasing(curve: Float32Array): boolean {
  for (let z = 1; z < curve.length; z++) if (!(curve[z] > curve[z - 1])) return false;
  return true;
}

describe('calibration on a synthetic bracket recovers the known response', () => {
  for (const resp of known) {
    const frames = renderBracket(radiance, W, H, times, resp.forward);

    it(`Debevec, ${resp.family}: < 2 % RMS`, () => {
      const d = calibrateDebevec(frames, times);
      const err = responseRmsError(d, resp.inverse);
      console.log(`Debevec   ${resp.inverse.source}: RMS ${(err * 100).toFixed(2)} %`);
      expect(err).toBeLessThan(0.02);
      expect(d.inverse).toHaveLength(3);
      for (const c of d.inverse) {
        expect(c[128]).toBeCloseTo(1, 6);
        expect(isStrictlyIncreasing(c)).toBe(true);
      }
      // Noise-free data: the fit residual is of the order of the quantisation step in ln X.
      expect(d.residual).toBeLessThan(0.05);
    });

    it(`Robertson, ${resp.family}: < 2 % RMS`, () => {
      const r = calibrateRobertson(frames, times);
      const err = responseRmsError(r, resp.inverse);
      console.log(`Robertson ${resp.inverse.source}: RMS ${(err * 100).toFixed(2)} %`);
      expect(err).toBeLessThan(0.02);
      for (const c of r.inverse) {
        expect(c[128]).toBeCloseTo(1, 6);
        expect(isStrictlyIncreasing(c)).toBe(true);
      }
    });
  }

  it('only exposure ratios matter (times scaled by 1000 give the same curve)', () => {
    const frames = renderBracket(radiance, W, H, times, known[0].forward);
    const a = calibrateDebevec(frames, times);
    const b = calibrateDebevec(
      frames,
      times.map((t) => t * 1000),
    );
    expect(responseRmsError(a, b)).toBeLessThan(1e-6);
  });

  it('grid sampling also recovers the response', () => {
    const frames = renderBracket(radiance, W, H, times, known[1].forward);
    const d = calibrateDebevec(frames, times, { sampling: 'grid', samples: 100 });
    expect(responseRmsError(d, known[1].inverse)).toBeLessThan(0.02);
  });

  it('single-channel frames give a single curve', () => {
    const frames = renderBracket(radiance, W, H, times, known[0].forward).map((f) => {
      const g = new Float32Array(W * H);
      for (let i = 0; i < g.length; i++) g[i] = f.data[i * 3 + 1];
      return createLdr(W, H, 1, g);
    });
    const d = calibrateDebevec(frames, times);
    const r = calibrateRobertson(frames, times);
    expect(d.inverse).toHaveLength(1);
    expect(r.inverse).toHaveLength(1);
    expect(responseRmsError(d, known[0].inverse)).toBeLessThan(0.02);
    expect(responseRmsError(r, known[0].inverse)).toBeLessThan(0.02);
  });
});

describe('calibration input checks and cancellation', () => {
  const frames = renderBracket(radiance, W, H, times, known[0].forward);

  it('rejects mismatched times, sizes and bad parameters', () => {
    expect(() => calibrateDebevec(frames, times.slice(1))).toThrow(InvalidInputError);
    expect(() => calibrateDebevec(frames.slice(0, 1), times.slice(0, 1))).toThrow(/at least 2/);
    expect(() =>
      calibrateRobertson(
        frames,
        times.map((t, i) => (i === 2 ? 0 : t)),
      ),
    ).toThrow(/frame 2/);
    const odd = [...frames.slice(0, 6), createLdr(W, H - 1, 3)];
    expect(() => calibrateDebevec(odd, times)).toThrow(/frame 6/i);
    expect(() => calibrateDebevec(frames, times, { lambda: -1 })).toThrow(InvalidInputError);
  });

  it('rejects a bracket where every pixel is clipped', () => {
    const black = times.map(() => createLdr(16, 16, 3));
    expect(() => calibrateDebevec(black, times)).toThrow(InvalidInputError);
    expect(() => calibrateRobertson(black, times)).toThrow(InvalidInputError);
  });

  it('honours an aborted signal and reports progress up to 1', () => {
    const ctl = new AbortController();
    ctl.abort();
    expect(() => calibrateDebevec(frames, times, {}, { signal: ctl.signal })).toThrow(/Cancelled/);
    expect(() => calibrateRobertson(frames, times, {}, { signal: ctl.signal })).toThrow(
      /Cancelled/,
    );
    const seen: number[] = [];
    calibrateRobertson(frames, times, { maxIter: 3 }, { onProgress: (p) => seen.push(p.fraction) });
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});
