import { describe, expect, it } from 'vitest';
import {
  detectStacks,
  frameExposureEv,
  type StackCandidate,
} from '../../../src/core/stacks/detect-stacks.js';

const T0 = Date.UTC(2026, 4, 6, 10, 0, 0);

/** A frame of camera `model` at time offset `ms` with shutter time `t` seconds. */
function frame(file: string, ms: number, t: number, model = 'X-T5'): StackCandidate {
  return {
    file,
    width: 6000,
    height: 4000,
    make: 'Fujifilm',
    model,
    lensModel: 'XF16-55',
    captureTimeMs: T0 + ms,
    exposureTime: t,
    fNumber: 8,
    iso: 125,
  };
}

describe('frameExposureEv', () => {
  it('doubles per stop of shutter, ISO and aperture', () => {
    const a = frameExposureEv({ file: 'a', width: 1, height: 1, exposureTime: 1 / 100 })!;
    const b = frameExposureEv({ file: 'b', width: 1, height: 1, exposureTime: 1 / 50 })!;
    expect(b.ev - a.ev).toBeCloseTo(1, 12);
    const iso = frameExposureEv({
      file: 'c',
      width: 1,
      height: 1,
      exposureTime: 1 / 100,
      iso: 200,
    })!;
    expect(iso.ev - a.ev).toBeCloseTo(1, 12);
    const ap = frameExposureEv({
      file: 'd',
      width: 1,
      height: 1,
      exposureTime: 1 / 100,
      fNumber: 2,
    })!;
    expect(ap.ev - a.ev).toBeCloseTo(-2, 12);
  });
  it('falls back to the exposure bias, and to null when neither is recorded', () => {
    expect(frameExposureEv({ file: 'a', width: 1, height: 1, exposureBias: -0.7 })).toEqual({
      ev: -0.7,
      basis: 'exposure-bias',
    });
    expect(frameExposureEv({ file: 'a', width: 1, height: 1 })).toBeNull();
  });
});

describe('detectStacks', () => {
  it('finds a 3-frame auto bracket, darkest first, with relative exposures', () => {
    const r = detectStacks([
      frame('b.jpg', 0, 1 / 60),
      frame('a.jpg', 150, 1 / 240),
      frame('c.jpg', 400, 1 / 15),
    ]);
    expect(r.stacks).toHaveLength(1);
    expect(r.stacks[0].frames.map((f) => f.file)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    expect(r.stacks[0].frames.map((f) => f.relativeEv)).toEqual(
      [0, 2, 4].map((v) => expect.closeTo(v, 10)),
    );
    expect(r.stacks[0].camera).toBe('Fujifilm X-T5 · XF16-55');
    expect(r.singles).toEqual([]);
    expect(r.excluded).toEqual([]);
  });

  it('separates two brackets of two cameras interleaved in time and in file order', () => {
    const input = [
      frame('1.jpg', 0, 1 / 60, 'A'),
      frame('2.jpg', 10, 1 / 60, 'B'),
      frame('3.jpg', 300, 1 / 240, 'A'),
      frame('4.jpg', 310, 1 / 240, 'B'),
      frame('5.jpg', 600, 1 / 15, 'A'),
      frame('6.jpg', 610, 1 / 15, 'B'),
    ];
    const r = detectStacks(input);
    expect(r.stacks.map((s) => s.frames.map((f) => f.file))).toEqual([
      ['3.jpg', '1.jpg', '5.jpg'],
      ['4.jpg', '2.jpg', '6.jpg'],
    ]);
  });

  it('splits back-to-back brackets of one camera where an exposure repeats', () => {
    const r = detectStacks([
      frame('a1', 0, 1 / 60),
      frame('a2', 200, 1 / 240),
      frame('a3', 400, 1 / 15),
      frame('b1', 600, 1 / 60),
      frame('b2', 800, 1 / 240),
      frame('b3', 1000, 1 / 15),
    ]);
    expect(r.stacks.map((s) => s.frames.length)).toEqual([3, 3]);
    expect(r.stacks[1].frames.map((f) => f.file).sort()).toEqual(['b1', 'b2', 'b3']);
  });

  it('cuts at time gaps longer than maxGapMs (sub-second aware)', () => {
    const frames = [frame('a', 0, 1 / 60), frame('b', 900, 1 / 240), frame('c', 1900, 1 / 15)];
    expect(detectStacks(frames, { maxGapMs: 1000 }).stacks[0].frames).toHaveLength(3);
    const r = detectStacks(frames, { maxGapMs: 950 });
    expect(r.stacks.map((s) => s.frames.map((f) => f.file))).toEqual([['b', 'a']]);
    expect(r.singles).toEqual(['c']);
  });

  it('keeps a stack with a missing frame, and leaves out another camera and other sizes', () => {
    const other = { ...frame('other.jpg', 250, 1 / 30), model: 'Z6' };
    const small = { ...frame('small.jpg', 260, 1 / 1000), width: 3000, height: 2000 };
    const r = detectStacks([frame('a', 0, 1 / 60), other, small, frame('c', 500, 1 / 15)]);
    expect(r.stacks.map((s) => s.frames.map((f) => f.file))).toEqual([['a', 'c']]);
    expect(r.stacks[0].frames[1].relativeEv).toBeCloseTo(2, 10);
    expect([...r.singles].sort()).toEqual(['other.jpg', 'small.jpg']);
  });

  it('reports frames without exposure data or capture time instead of guessing', () => {
    const noExposure: StackCandidate = { ...frame('n.jpg', 100, 1), exposureTime: undefined };
    const noTime: StackCandidate = { ...frame('t.jpg', 0, 1 / 8), captureTimeMs: undefined };
    const r = detectStacks([frame('a', 0, 1 / 60), noExposure, noTime, frame('b', 200, 1 / 15)]);
    expect(r.excluded).toEqual([
      { file: 'n.jpg', reason: expect.stringContaining('ExposureTime') },
      { file: 't.jpg', reason: expect.stringContaining('capture time') },
    ]);
    expect(r.stacks[0].frames.map((f) => f.file)).toEqual(['a', 'b']);
  });

  it('uses exposure bias when the shutter time is not recorded', () => {
    const bias = (file: string, ms: number, b: number): StackCandidate => ({
      ...frame(file, ms, 1),
      exposureTime: undefined,
      exposureBias: b,
    });
    const r = detectStacks([bias('0', 0, 0), bias('m', 100, -2), bias('p', 200, 2)]);
    expect(r.stacks[0].basis).toBe('exposure-bias');
    expect(r.stacks[0].frames.map((f) => [f.file, f.relativeExposure])).toEqual([
      ['m', 1],
      ['0', 4],
      ['p', 16],
    ]);
  });
});
