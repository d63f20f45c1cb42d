import { describe, expect, it } from 'vitest';
import { mergeRobertson } from '../../../src/core/hdr/merge-robertson.js';
import { mergeDebevec } from '../../../src/core/hdr/merge-debevec.js';
import { createLdr } from '../../../src/core/image/image.js';
import { gammaResponse } from './synth.js';

/** Two flat frames with codes z1, z2 at times t1, t2, linear response f⁻¹(z) = z/255. */
function flat(z1: number, z2: number) {
  const a = createLdr(3, 2, 3, new Float32Array(18).fill(z1 / 255));
  const b = createLdr(3, 2, 3, new Float32Array(18).fill(z2 / 255));
  const lin = new Float32Array(256).map((_, z) => Math.max(z, 0.5) / 255);
  return { frames: [a, b], response: { inverse: [lin], source: 'linear' } };
}

describe('merge formulas on a two-frame case', () => {
  // Codes 60 at 1 s and 200 at 4 s: the frames disagree (60·4 ≠ 200), so the weighting shows.
  const X1 = 60 / 255;
  const X2 = 200 / 255;

  it('Robertson: E = Σ w·t·X / Σ w·t² with w(z) = (exp(−4((z−127.5)/127.5)²) − e⁻⁴)/(1 − e⁻⁴)', () => {
    const w = (z: number) => {
      const u = (z - 127.5) / 127.5;
      return (Math.exp(-4 * u * u) - Math.exp(-4)) / (1 - Math.exp(-4));
    };
    const expected = (w(60) * 1 * X1 + w(200) * 4 * X2) / (w(60) * 1 + w(200) * 16);
    const { frames, response } = flat(60, 200);
    const hdr = mergeRobertson(frames, [1, 4], response);
    for (const v of hdr.data) expect(v).toBeCloseTo(expected, 5);
  });

  it('Debevec: ln E = Σ w(ln X − ln t) / Σ w with the hat w(z) = min(z, 255 − z)', () => {
    const w1 = 60;
    const w2 = 55;
    const expected = Math.exp((w1 * Math.log(X1 / 1) + w2 * Math.log(X2 / 4)) / (w1 + w2));
    const { frames, response } = flat(60, 200);
    const hdr = mergeDebevec(frames, [1, 4], response);
    for (const v of hdr.data) expect(v / expected).toBeCloseTo(1, 5);
  });

  it('both are exact on noiseless linear data (E·t quantised to exact codes)', () => {
    // E = 50/255 per second: codes 50 at 1 s, 100 at 2 s, 200 at 4 s.
    const r = gammaResponse(1);
    const frames = [50, 100, 200].map((z) =>
      createLdr(2, 2, 3, new Float32Array(12).fill(z / 255)),
    );
    for (const merge of [mergeDebevec, mergeRobertson]) {
      const hdr = merge(frames, [1, 2, 4], r);
      for (const v of hdr.data) expect(v / (50 / 255)).toBeCloseTo(1, 5);
    }
  });
});
