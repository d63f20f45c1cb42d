import { describe, expect, it } from 'vitest';
import { fuseMertens } from '../../../src/core/hdr/fuse-mertens.js';
import { createLdr, type LdrImage } from '../../../src/core/image/image.js';
import { CancelledError, InvalidInputError } from '../../../src/core/errors.js';
import { texture } from './synth.js';

function textured(w: number, h: number, seed: number): LdrImage {
  const t = [texture(w, h, seed), texture(w, h, seed + 1), texture(w, h, seed + 2)];
  const img = createLdr(w, h, 3);
  for (let p = 0; p < w * h; p++)
    for (let c = 0; c < 3; c++) img.data[3 * p + c] = 0.1 + 0.8 * t[c][p];
  return img;
}

function constant(w: number, h: number, v: number): LdrImage {
  return createLdr(w, h, 3, new Float32Array(w * h * 3).fill(v));
}

describe('fuseMertens', () => {
  it('returns the frame when all frames are identical', () => {
    const f = textured(37, 29, 3);
    const out = fuseMertens([f, f, f]);
    expect(out.kind).toBe('ldr');
    for (let i = 0; i < f.data.length; i++)
      expect(Math.abs(out.data[i] - f.data[i])).toBeLessThan(1e-5);
  });

  it('weights two flat grey frames by well-exposedness exactly', () => {
    // Grey flat frames: contrast = saturation = 0, so switch those off (exponent 0 → factor 1).
    // Weights: exp(−3(v − 0.5)²/0.08) → 1 for v = 0.5, exp(−3·0.16/0.08) = e⁻⁶ for v = 0.9.
    const a = constant(16, 12, 0.5);
    const b = constant(16, 12, 0.9);
    const out = fuseMertens([a, b], { contrast: 0, saturation: 0 });
    const wb = Math.exp(-6);
    const expected = (0.5 + 0.9 * wb) / (1 + wb);
    for (const v of out.data) expect(v).toBeCloseTo(expected, 5);
  });

  it('favours the well-exposed frame region by region', () => {
    // Left half: frame A well exposed (0.5), frame B blown (0.98); right half the reverse.
    // Wide enough that the coarsest pyramid level still separates the halves.
    const w = 256;
    const h = 32;
    const a = createLdr(w, h, 3);
    const b = createLdr(w, h, 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 3; c++) {
          const i = 3 * (y * w + x) + c;
          a.data[i] = x < w / 2 ? 0.5 : 0.02;
          b.data[i] = x < w / 2 ? 0.98 : 0.5;
        }
    const out = fuseMertens([a, b], { contrast: 0, saturation: 0 });
    const at = (x: number) => out.data[3 * (16 * w + x)];
    expect(Math.abs(at(4) - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(at(w - 5) - 0.5)).toBeLessThan(0.01);
  });

  it('clamps to [0, 1], accepts one frame and 1-channel frames, handles NaN', () => {
    const f = textured(20, 10, 9);
    f.data[7] = NaN;
    const out = fuseMertens([f, constant(20, 10, 0.3)]);
    for (const v of out.data) expect(v >= 0 && v <= 1).toBe(true);
    const g = createLdr(8, 8, 1, new Float32Array(64).fill(0.25));
    const one = fuseMertens([g]);
    for (const v of one.data) expect(v).toBeCloseTo(0.25, 5);
  });

  it('rejects bad input and honours cancellation', () => {
    expect(() => fuseMertens([])).toThrow(InvalidInputError);
    expect(() => fuseMertens([constant(4, 4, 0.5), constant(4, 5, 0.5)])).toThrow(
      /frame 1 is 4×5×3/,
    );
    expect(() => fuseMertens([constant(4, 4, 0.5)], { contrast: -1 })).toThrow(/contrast/);
    const ac = new AbortController();
    ac.abort();
    expect(() => fuseMertens([constant(4, 4, 0.5)], { signal: ac.signal })).toThrow(CancelledError);
    const fr: number[] = [];
    fuseMertens([constant(4, 4, 0.5), constant(4, 4, 0.6)], {
      onProgress: (p) => fr.push(p.fraction),
    });
    expect(fr.at(-1)).toBe(1);
  });
});
