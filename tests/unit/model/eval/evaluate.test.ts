/** evaluateStack on a synthetic gamma-2.6 camera, with analytic and deliberately wrong predictors. */
import { describe, expect, it } from 'vitest';
import { gammaResponse } from '../../../../src/core/camera/apply-response.js';
import { InvalidInputError } from '../../../../src/core/errors.js';
import { createHdr, createLdr, type FloatImage } from '../../../../src/core/image/image.js';
import {
  evaluateStack,
  naiveSrgbPredictor,
  oracleCrfPredictor,
  scaleToReference,
  synthEvalStack,
  type EvalStack,
  type FramePredictor,
  type StackFrames,
} from '../../../../src/core/model/eval/index.js';
import { CAMERA_GAMMA, gammaStack } from './fixtures.js';

const W = 96;
const H = 64;
const synth = gammaStack(W, H);
const frameAt = (ev: number): Float32Array => synth.frames[synth.evs.indexOf(ev)];
/** The exact camera response, so the oracle's only errors are quantisation. */
const stack = synthEvalStack(synth, 'gamma', { response: gammaResponse(CAMERA_GAMMA) });

const truth: FramePredictor = async (_ref, evs) => evs.map((ev) => frameAt(ev));
const identity: FramePredictor = async (ref, evs) => evs.map(() => ref.data);
const swapped: FramePredictor = async (_ref, evs) => evs.map((ev) => frameAt(-ev));

function score(r: Awaited<ReturnType<typeof evaluateStack>>, m: string, offset: number) {
  const s = r.rows.find((row) => row.offset === offset)?.scores?.[m];
  if (!s) throw new Error(`no score for ${m} at ${offset}`);
  return s;
}

/** Copies a rectangle out of interleaved RGB (independent of the engine's crop). */
function cut(data: Float32Array, x0: number, y0: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = data[((y0 + y) * W + x0 + x) * 3 + c];
  return out;
}

describe('evaluateStack', () => {
  it('scores oracle ≫ naive, true frames perfectly and the unchanged reference low', async () => {
    const r = await evaluateStack(stack, {
      naive: naiveSrgbPredictor(),
      oracle: oracleCrfPredictor(stack.response),
      truth,
      identity,
      swapped,
    });
    expect(r.methods).toEqual(['naive', 'oracle', 'truth', 'identity', 'swapped']);
    expect(r.rows.map((row) => row.offset)).toEqual([-3, -2, -1, 1, 2, 3]);
    expect(r.missing).toEqual([]);
    for (const offset of [-3, -2, -1, 1, 2, 3]) {
      // quantisation alone: ≈ 0.4 code RMS → ≈ 56 dB
      expect(score(r, 'oracle', offset).psnr).toBeGreaterThan(45);
      expect(score(r, 'oracle', offset).ssim).toBeGreaterThan(0.99);
      expect(score(r, 'truth', offset).psnr).toBe(Infinity);
      expect(score(r, 'truth', offset).ssim).toBeCloseTo(1, 9);
    }
    for (const offset of [-1, 1]) {
      expect(score(r, 'naive', offset).psnr).toBeLessThan(score(r, 'oracle', offset).psnr - 15);
      expect(score(r, 'identity', offset).psnr).toBeLessThan(20);
      expect(score(r, 'identity', offset).ssim).toBeLessThan(0.97);
    }
    const hdr = r.hdr!;
    expect(hdr.reference).toBe('ground-truth');
    // the true frames make the virtual bracket the real one: the same merge, the same scores
    expect(hdr.methods.truth.muPsnr).toBe(hdr.realBracket!.muPsnr);
    expect(hdr.methods.truth.pu21Psnr).toBe(hdr.realBracket!.pu21Psnr);
    expect(hdr.realBracket!.muPsnr).toBeGreaterThan(55);
    expect(hdr.methods.oracle.muPsnr).toBeGreaterThan(hdr.methods.naive.muPsnr + 10);
    expect(hdr.methods.oracle.pu21Psnr).toBeGreaterThan(hdr.methods.naive.pu21Psnr + 10);
    // frames at the wrong exposures (−ev for +ev) wreck the merge
    expect(hdr.methods.swapped.muPsnr).toBeLessThan(hdr.methods.oracle.muPsnr - 20);
  });

  it('without a ground truth compares with the real bracket merged the same way', async () => {
    const { hdrTruth: _dropped, ...rest } = stack;
    const real: EvalStack = rest;
    const r = await evaluateStack(real, { truth, oracle: oracleCrfPredictor(stack.response) });
    expect(r.hdr?.reference).toBe('real-bracket');
    expect(r.hdr?.realBracket).toBeNull();
    expect(r.hdr?.methods.truth).toEqual({ muPsnr: Infinity, pu21Psnr: Infinity, scale: 1 });
    expect(r.hdr!.methods.oracle.muPsnr).toBeGreaterThan(45);
    expect(r.hdr!.methods.oracle.scale).toBeCloseTo(1, 2);
  });

  it('evaluates a region exactly as the cropped stack', async () => {
    const region = { x: 48, y: 8, width: 40, height: 50 };
    const predictors = { naive: naiveSrgbPredictor(), oracle: oracleCrfPredictor(stack.response) };
    const seen: FloatImage[] = [];
    const spy: FramePredictor = async (ref, evs) => {
      seen.push(ref);
      return identity(ref, evs);
    };
    const r = await evaluateStack(stack, { ...predictors, spy }, { region });
    expect(seen[0].width).toBe(W); // the predictor saw the whole reference
    const cropped = synthEvalStack(
      {
        ...synth,
        width: 40,
        height: 50,
        frames: synth.frames.map((f) => cut(f, 48, 8, 40, 50)),
        linear: cut(synth.linear, 48, 8, 40, 50),
      },
      'cropped',
      { response: stack.response },
    );
    const c = await evaluateStack(cropped, predictors);
    expect([r.width, r.height]).toEqual([40, 50]);
    expect(r.region).toEqual(region);
    for (const offset of [-3, -1, 2]) {
      for (const m of ['naive', 'oracle']) {
        expect(score(r, m, offset).psnr).toBeCloseTo(score(c, m, offset).psnr, 9);
        expect(score(r, m, offset).ssim).toBeCloseTo(score(c, m, offset).ssim, 9);
      }
    }
    expect(r.hdr!.methods.oracle.muPsnr).toBeCloseTo(c.hdr!.methods.oracle.muPsnr, 6);
    const only = await evaluateStack(stack, { spy }, { region, predictRegionOnly: true });
    expect(seen[1].width).toBe(40);
    expect(score(only, 'spy', 1).psnr).toBeCloseTo(score(r, 'spy', 1).psnr, 9);
    await expect(
      evaluateStack(stack, predictors, { region: { x: 60, y: 0, width: 40, height: 10 } }),
    ).rejects.toThrow(/not inside the 96×64 frame/);
  });

  it('reports missing offsets and hands over the frames', async () => {
    const partial: EvalStack = {
      ...stack,
      targets: stack.targets.filter((t) => Math.abs(t.offset) !== 3),
      missing: [-3, 3],
    };
    let frames: StackFrames | undefined;
    const r = await evaluateStack(
      partial,
      { oracle: oracleCrfPredictor(stack.response) },
      { onFrames: (f) => void (frames = f) },
    );
    expect(r.rows.map((row) => [row.offset, row.scores === null])).toEqual([
      [-3, true],
      [-2, false],
      [-1, false],
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(r.missing).toEqual([-3, 3]);
    expect(r.hdr).not.toBeNull();
    expect(frames!.offsets).toEqual([-2, -1, 1, 2]);
    expect(frames!.predicted.oracle).toHaveLength(4);
    expect(frames!.real[0].data).toBe(partial.targets[0].frame.data);
  });

  it('rejects predictors that return the wrong frames', async () => {
    const tooFew: FramePredictor = async () => [new Float32Array(W * H * 3)];
    const tooSmall: FramePredictor = async (_r, evs) => evs.map(() => new Float32Array(9));
    await expect(evaluateStack(stack, { tooFew })).rejects.toThrow(InvalidInputError);
    await expect(evaluateStack(stack, { tooSmall })).rejects.toThrow(/tooSmall.*96×64×3/);
  });

  it('clamps predictions to [0, 1] before scoring', async () => {
    const over: FramePredictor = async (_r, evs) =>
      evs.map((ev) => frameAt(ev).map((v) => (v === 1 ? 5 : v === 0 ? -2 : v)));
    const r = await evaluateStack(stack, { over }, { hdr: false });
    expect(score(r, 'over', 3).psnr).toBe(Infinity);
    expect(r.hdr).toBeNull();
  });
});

describe('scaleToReference', () => {
  it('is the median ratio over well-exposed samples', () => {
    const n = 4;
    const ref = createHdr(n, 1, 1, new Float32Array([2, 4, 6, 8]));
    const test = createHdr(n, 1, 1, new Float32Array([1, 1, 2, 1000]));
    // sample 3 is clipped in the reference frame, so its ratio 0.008 is ignored
    const frame = createLdr(n, 1, 1, new Float32Array([0.5, 0.5, 0.5, 1]));
    expect(scaleToReference(test, ref, frame)).toBe(3);
    const dark = createLdr(n, 1, 1, new Float32Array([0, 0, 0, 1]));
    expect(scaleToReference(test, ref, dark)).toBeCloseTo((3 + 2) / 2, 12); // all samples
  });
});
