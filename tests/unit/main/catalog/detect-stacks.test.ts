/** Bracket stack detection rules, on hand-made candidates. */
import { describe, expect, it } from 'vitest';
import { detectStacks, type StackCandidate } from '../../../../src/main/catalog/detect-stacks.js';

let next = 1;
function c(over: Partial<StackCandidate>): StackCandidate {
  const id = next++;
  return {
    id,
    path: `/p/img${id}.jpg`,
    width: 600,
    height: 400,
    cameraMake: 'Cam',
    cameraModel: 'One',
    captureTimeMs: null,
    exposureTime: null,
    ev: null,
    meanLevel: null,
    ...over,
  };
}

describe('detectStacks with EXIF', () => {
  it('groups frames shot within the gap at different exposures, and splits on a repeated EV', () => {
    const t = 1_700_000_000_000;
    const a = c({ captureTimeMs: t, exposureTime: 1 / 100, ev: -2 });
    const b = c({ captureTimeMs: t + 500, exposureTime: 1 / 25, ev: 0 });
    const d = c({ captureTimeMs: t + 1000, exposureTime: 1 / 6, ev: 2 });
    // next bracket starts right away with the first exposure again
    const e = c({ captureTimeMs: t + 1500, exposureTime: 1 / 100, ev: -2 });
    const f = c({ captureTimeMs: t + 2000, exposureTime: 1 / 25, ev: 0 });
    // a single shot long after
    const g = c({ captureTimeMs: t + 60_000, exposureTime: 1 / 25, ev: 0 });
    expect(detectStacks([g, f, e, d, b, a])).toEqual([
      [a.id, b.id, d.id],
      [e.id, f.id],
    ]);
  });

  it('adds the shutter time to the allowed gap, and keeps cameras and sizes apart', () => {
    const t = 0;
    const long = c({ captureTimeMs: t, exposureTime: 8, ev: 3 });
    const after = c({ captureTimeMs: t + 9500, exposureTime: 1, ev: 0 }); // 1.5 s after it ended
    const other = c({ captureTimeMs: t + 10_000, exposureTime: 0.25, ev: -2, cameraModel: 'Two' });
    const small = c({ captureTimeMs: t + 10_100, exposureTime: 0.25, ev: -2, width: 300 });
    expect(detectStacks([long, after, other, small])).toEqual([[long.id, after.id]]);
  });

  it('does not stack frames of nearly equal exposure (a burst)', () => {
    const a = c({ captureTimeMs: 0, exposureTime: 0.01, ev: -1 });
    const b = c({ captureTimeMs: 100, exposureTime: 0.011, ev: -0.86 });
    expect(detectStacks([a, b])).toEqual([]);
  });
});

describe('detectStacks without EXIF (by brightness)', () => {
  const frame = (n: number, level: number): StackCandidate =>
    c({ path: `/m/memorial00${n}.png`, cameraMake: null, cameraModel: null, meanLevel: level });

  it('stacks consecutively numbered frames whose brightness falls monotonically, darkest first', () => {
    const levels = [
      221, 192, 154, 118, 88, 63, 45, 31, 23, 18.7, 16.2, 15.1, 14.6, 13.8, 13.3, 13.5,
    ];
    const frames = levels.map((l, i) => frame(61 + i, l));
    const stacks = detectStacks(frames);
    expect(stacks).toHaveLength(1);
    expect(stacks[0]).toEqual(frames.map((f) => f.id).reverse());
  });

  it('rejects a small brightness range, a gap in the numbering and a reversal', () => {
    expect(detectStacks([frame(1, 100), frame(2, 110), frame(3, 120)])).toEqual([]); // range 20
    expect(detectStacks([frame(1, 20), frame(3, 90), frame(4, 200)])).toEqual([]); // 1 → 3
    expect(detectStacks([frame(1, 20), frame(2, 200), frame(3, 60)])).toEqual([]); // up, down
    expect(detectStacks([frame(1, 50), frame(2, 50.5)])).toEqual([]); // flat pair
  });
});
