import { describe, expect, it } from 'vitest';
import { deghostWeights } from '../../../src/core/hdr/deghost.js';
import { mergeDebevec } from '../../../src/core/hdr/merge-debevec.js';
import { mergeRobertson } from '../../../src/core/hdr/merge-robertson.js';
import { createHdr } from '../../../src/core/image/image.js';
import { InvalidInputError } from '../../../src/core/errors.js';
import { expose, gammaResponse } from './synth.js';

const GAMMA = 2.2;
const TIMES = [1 / 4, 1, 4];
const W = 40;
const H = 20;
const inPatch = (x: number, y: number) => x >= 15 && x < 25 && y >= 5 && y < 15;

/**
 * Static scene E (0.1…0.5, well exposed in the 1 s reference). In the 1/4 s frame a moving
 * object 4× brighter than the background covers the patch, still well exposed there.
 */
function bracket() {
  const e = createHdr(W, H, 3);
  const moved = createHdr(W, H, 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < 3; c++) {
        const i = 3 * (y * W + x) + c;
        e.data[i] = 0.1 + (0.4 * x) / (W - 1) - 0.02 * c;
        moved.data[i] = inPatch(x, y) ? 4 * e.data[i] : e.data[i];
      }
  const frames = [
    expose(moved, TIMES[0], GAMMA),
    expose(e, TIMES[1], GAMMA),
    expose(e, TIMES[2], GAMMA),
  ];
  return { e, frames, response: gammaResponse(GAMMA) };
}

describe('deghosting', () => {
  it('gives the moved patch ~0 weight and the static scene ~1', () => {
    const { frames, response } = bracket();
    const g = deghostWeights(frames, TIMES, response);
    expect(g).toHaveLength(3);
    for (const v of g[1]) expect(v).toBe(1); // the reference (middle exposure)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        // exp(−ln(4)²/(2·0.3²)) ≈ 2e-5
        if (inPatch(x, y)) expect(g[0][y * W + x]).toBeLessThan(1e-3);
        else expect(g[0][y * W + x]).toBeGreaterThan(0.95);
      }
  });

  it.each([
    ['mergeDebevec', mergeDebevec],
    ['mergeRobertson', mergeRobertson],
  ])(
    '%s: with deghost the patch takes the reference radiance, without it does not',
    (_n, merge) => {
      const { e, frames, response } = bracket();
      const plain = merge(frames, TIMES, response);
      const clean = merge(frames, TIMES, response, { deghost: { sigma: 0.3 } });
      let worst = 0;
      let leastGhost = Infinity;
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++)
          if (inPatch(x, y))
            for (let c = 0; c < 3; c++) {
              const i = 3 * (y * W + x) + c;
              worst = Math.max(worst, Math.abs(clean.data[i] / e.data[i] - 1));
              leastGhost = Math.min(leastGhost, Math.abs(plain.data[i] / e.data[i] - 1));
            }
      expect(worst).toBeLessThan(0.02); // 8-bit quantisation of the reference frame
      expect(leastGhost).toBeGreaterThan(0.08); // Robertson (t² weights) leans less on the short frame
    },
  );

  it('validates its options', () => {
    const { frames, response } = bracket();
    expect(() => mergeDebevec(frames, TIMES, response, { deghost: { reference: 5 } })).toThrow(
      InvalidInputError,
    );
    expect(() => mergeDebevec(frames, TIMES, response, { deghost: { sigma: 0 } })).toThrow(/sigma/);
  });
});
