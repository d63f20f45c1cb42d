import { describe, expect, it } from 'vitest';
import { mergeDebevec } from '../../../src/core/hdr/merge-debevec.js';
import { mergeRobertson } from '../../../src/core/hdr/merge-robertson.js';
import { createLdr } from '../../../src/core/image/image.js';
import { CancelledError, InvalidInputError } from '../../../src/core/errors.js';
import { expose, gammaResponse, radianceRamp } from './synth.js';

const GAMMA = 2.2;
const TIMES = [1 / 16, 1 / 4, 1, 4, 16];

function setup(width = 96, height = 24, stops = 12) {
  const e = radianceRamp(width, height, stops);
  const frames = TIMES.map((t) => expose(e, t, GAMMA));
  return { e, frames, response: gammaResponse(GAMMA) };
}

/** Relative errors over samples that are not clipped (code 0 or 255) in every frame. */
function relErrors(
  truth: Float32Array,
  got: Float32Array,
  frames: { data: Float32Array }[],
): number[] {
  const errs: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    const ok = frames.some((f) => f.data[i] > 0 && f.data[i] < 1);
    if (ok) errs.push(Math.abs(got[i] - truth[i]) / truth[i]);
  }
  return errs;
}

describe.each([
  ['mergeDebevec', mergeDebevec],
  ['mergeRobertson', mergeRobertson],
])('%s', (_name, merge) => {
  it('recovers a known radiance from a synthetic bracket', () => {
    const { e, frames, response } = setup();
    const hdr = merge(frames, TIMES, response);
    expect(hdr.kind).toBe('hdr');
    expect(hdr.width).toBe(e.width);
    const errs = relErrors(e.data, hdr.data, frames).sort((a, b) => a - b);
    expect(errs.length).toBeGreaterThan(e.data.length * 0.75);
    // 8-bit quantisation through γ = 2.2 bounds the error of a single well-exposed code (~1 %).
    expect(errs[Math.floor(errs.length / 2)]).toBeLessThan(0.01);
    expect(errs[Math.floor(errs.length * 0.99)]).toBeLessThan(0.03);
    for (const v of hdr.data) expect(Number.isFinite(v) && v > 0).toBe(true);
  });

  it('keeps pixels clipped in every frame finite: bright where saturated, dark where black', () => {
    const { frames, response } = setup(8, 2);
    const white = frames.map(() => createLdr(8, 2, 3, new Float32Array(48).fill(1)));
    const black = frames.map(() => createLdr(8, 2, 3, new Float32Array(48)));
    const hi = merge(white, TIMES, response);
    const lo = merge(black, TIMES, response);
    // Saturated everywhere: value of the shortest exposure, f⁻¹(255)/t_min = 1/(1/16).
    for (const v of hi.data) expect(v).toBeCloseTo(16, 3);
    for (const v of lo.data) expect(v).toBeGreaterThan(0);
    for (const v of lo.data) expect(v).toBeLessThan(1e-4);
  });

  it('accepts a 1-curve response, is independent of frame order and NaN-safe', () => {
    const { e, frames, response } = setup(32, 4);
    const one = { inverse: [response.inverse[0]], source: 'shared' };
    const a = merge(frames, TIMES, one);
    const b = merge([...frames].reverse(), [...TIMES].reverse(), response);
    for (let i = 0; i < a.data.length; i++) expect(a.data[i]).toBeCloseTo(b.data[i], 4);
    const bad = frames.map((f) => createLdr(f.width, f.height, 3, f.data.slice()));
    bad[2].data[5] = NaN;
    const c = merge(bad, TIMES, response);
    expect(Number.isFinite(c.data[5])).toBe(true);
    expect(c.data.length).toBe(e.data.length);
  });

  it('rejects bad input with a clear error', () => {
    const { frames, response } = setup(8, 2);
    const small = createLdr(4, 2, 3);
    expect(() => merge([frames[0], small], [1, 2], response)).toThrow(InvalidInputError);
    expect(() => merge([frames[0], small], [1, 2], response)).toThrow(/frame 1 is 4×2×3.*8×2×3/);
    expect(() => merge([frames[0]], [1], response)).toThrow(/at least 2/);
    expect(() => merge(frames.slice(0, 2), [1], response)).toThrow(/one exposure time per frame/);
    expect(() => merge(frames.slice(0, 2), [1, -1], response)).toThrow(/frame 1.*positive/);
    expect(() => merge(frames.slice(0, 2), [1, NaN], response)).toThrow(/positive and finite/);
    expect(() => merge(frames.slice(0, 2), [2, 2], response)).toThrow(/same exposure time/);
    const short = { inverse: [new Float32Array(10)], source: 'x' };
    expect(() => merge(frames.slice(0, 2), [1, 2], short)).toThrow(/256/);
    const zero = { inverse: [new Float32Array(256)], source: 'x' };
    expect(() => merge(frames.slice(0, 2), [1, 2], zero)).toThrow(/all zero/);
  });

  it('throws CancelledError when aborted, and reports progress up to 1', () => {
    const { frames, response } = setup(16, 4);
    const ac = new AbortController();
    ac.abort();
    expect(() => merge(frames, TIMES, response, { signal: ac.signal })).toThrow(CancelledError);
    const fractions: number[] = [];
    merge(frames, TIMES, response, { onProgress: (p) => fractions.push(p.fraction) });
    expect(fractions.at(-1)).toBe(1);
  });
});
