import { describe, expect, it } from 'vitest';
import { extractCrop } from '../../../../src/core/model/finetune/augment.js';
import {
  PairSampler,
  type SamplerStack,
} from '../../../../src/core/model/finetune/pair-sampler.js';

const W = 40;
const H = 24;
const TRAIN = 20;

/**
 * A stack whose training columns hold values < 0.5 and whose held-out columns hold exactly 1
 * (a sentinel no crop may show); frame f is frame 0 times 2^-f (so every pair is a known
 * per-pixel multiple of the other).
 */
function sentinelStack(times: number[]): SamplerStack {
  const base = new Float32Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < 3; c++) {
        base[3 * (y * W + x) + c] = x < TRAIN ? 0.01 + (0.4 * (y * TRAIN + x)) / (H * TRAIN) : 1;
      }
    }
  }
  const frames = times.map((_, f) => ({ data: base.map((v) => (v === 1 ? 1 : v / 2 ** f)) }));
  return { name: 'sentinel', width: W, height: H, trainWidth: TRAIN, frames, times };
}

const opts = { cropSize: 8, stride: 4, seed: 7, maxPairEv: 2, maxGhostFraction: 0.05 };

describe('PairSampler', () => {
  it('never reads the held-out columns and keeps crops stride-aligned', () => {
    const sampler = new PairSampler([sentinelStack([1, 2, 4, 8])], opts);
    for (let k = 0; k < 500; k++) {
      const s = sampler.sample(k);
      expect(s.x % 4).toBe(0);
      expect(s.y % 4).toBe(0);
      expect(s.x + 8).toBeLessThanOrEqual(TRAIN);
      expect(s.y + 8).toBeLessThanOrEqual(H);
    }
    const batch = sampler.batch(0, 200);
    expect(batch.a.every((v) => v < 0.5)).toBe(true);
    expect(batch.b.every((v) => v < 0.5)).toBe(true);
    // every allowed corner: x ∈ {0, 4, 8, 12}, y ∈ {0, 4, …, 16}
    expect(sampler.coverage[0].positions).toBe(4 * 5);
  });

  it('takes ratios from the exposure times, with i ≠ j and |EV| ≤ maxPairEv', () => {
    const times = [1 / 8, 1 / 4, 1 / 2, 1, 2];
    const sampler = new PairSampler([sentinelStack(times)], opts);
    const seen = new Set<string>();
    const batch = sampler.batch(0, 300);
    batch.samples.forEach((s, k) => {
      expect(s.i).not.toBe(s.j);
      expect(s.ratio).toBe(times[s.j] / times[s.i]);
      expect(batch.ratio[k]).toBeCloseTo(times[s.j] / times[s.i], 6);
      expect(Math.abs(Math.log2(s.ratio))).toBeLessThanOrEqual(2);
      seen.add(`${s.i},${s.j}`);
    });
    // pairs within 2 EV of 5 frames one stop apart: 2·(4 + 3) = 14
    expect(seen.size).toBe(14);
    expect(sampler.coverage[0].pairs).toBe(14);
  });

  it('uses only frames within maxFrameEv of the reference', () => {
    const times = [1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 4];
    const st = { ...sentinelStack(times), referenceIndex: 3 };
    const sampler = new PairSampler([st], { ...opts, maxPairEv: 4, maxFrameEv: 1 });
    // frames 2, 3, 4 (±1 EV of frame 3): 6 ordered pairs
    expect(sampler.coverage[0].pairs).toBe(6);
    for (let k = 0; k < 200; k++) {
      const s = sampler.sample(k);
      expect([2, 3, 4]).toContain(s.i);
      expect([2, 3, 4]).toContain(s.j);
    }
  });

  it('applies the same flip/rotation to both frames of a pair', () => {
    const sampler = new PairSampler([sentinelStack([1, 2, 4])], { ...opts, maxPairEv: 3 });
    const batch = sampler.batch(0, 64);
    const per = 8 * 8 * 3;
    const transforms = new Set(batch.samples.map((s) => s.transform));
    expect(transforms.size).toBe(8);
    batch.samples.forEach((s, k) => {
      // frame j = frame i · 2^(i − j) at every pixel, so aligned crops keep that ratio exactly
      const f = 2 ** (s.i - s.j);
      for (let p = 0; p < per; p++) {
        expect(batch.b[k * per + p]).toBeCloseTo(batch.a[k * per + p] * f, 6);
      }
    });
  });

  it('is deterministic by seed and independent of call order', () => {
    const st = sentinelStack([1, 2, 4, 8]);
    const a = new PairSampler([st], opts).batch(10, 6);
    const b = new PairSampler([st], opts).batch(10, 6);
    expect(Array.from(b.a)).toEqual(Array.from(a.a));
    expect(b.samples).toEqual(a.samples);
    const later = new PairSampler([st], opts);
    later.batch(0, 50);
    expect(later.sample(12)).toEqual(a.samples[2]);
    const other = new PairSampler([st], { ...opts, seed: 8 }).batch(10, 6);
    expect(other.samples).not.toEqual(a.samples);
  });

  it('drops crops over ghost pixels and refuses a crop that does not fit', () => {
    const st = sentinelStack([1, 2]);
    const ghost = new Uint8Array(W * H);
    ghost[10 * W + 2] = 1; // one ghost pixel at (2, 10)
    const sampler = new PairSampler([{ ...st, ghost }], { ...opts, maxGhostFraction: 0 });
    // corners whose 8×8 crop covers (2, 10): x = 0, y ∈ {4, 8} → 2 of 20 dropped
    expect(sampler.coverage[0].ghostExcluded).toBe(2);
    for (let k = 0; k < 300; k++) {
      const s = sampler.sample(k);
      const covers = s.x <= 2 && 2 < s.x + 8 && s.y <= 10 && 10 < s.y + 8;
      expect(covers).toBe(false);
    }
    expect(() => new PairSampler([st], { ...opts, cropSize: 24 })).toThrow(
      /24-pixel crop does not fit its 20×24 training area/,
    );
  });
});

describe('extractCrop', () => {
  // 2×2 crop of a 3-wide frame at (1, 0): pixels a b / c d with values 1 2 / 3 4
  const frame = new Float32Array(3 * 2 * 3);
  [
    [1, 0, 1],
    [2, 0, 2],
    [1, 1, 3],
    [2, 1, 4],
  ].forEach(([x, y, v]) => frame.fill(v, 3 * (y * 3 + x), 3 * (y * 3 + x) + 3));
  const crop = (t: number) => {
    const out = new Float32Array(12);
    extractCrop(frame, 3, 1, 0, 2, t, out, 0);
    return [out[0], out[3], out[6], out[9]];
  };

  it('gives the 8 flips and rotations of the square', () => {
    expect(crop(0)).toEqual([1, 2, 3, 4]);
    expect(crop(1)).toEqual([2, 1, 4, 3]); // mirror x
    expect(crop(2)).toEqual([3, 4, 1, 2]); // mirror y
    expect(crop(3)).toEqual([4, 3, 2, 1]); // 180°
    expect(crop(4)).toEqual([1, 3, 2, 4]); // transpose
    expect(crop(5)).toEqual([3, 1, 4, 2]); // 90° clockwise
    expect(crop(6)).toEqual([2, 4, 1, 3]); // 90° counter-clockwise
    expect(crop(7)).toEqual([4, 2, 3, 1]); // anti-transpose
  });
});
