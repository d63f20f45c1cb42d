/** The analytic baselines against closed-form answers and a known camera. */
import { describe, expect, it } from 'vitest';
import { gammaResponse, srgbResponse } from '../../../../src/core/camera/apply-response.js';
import { InvalidInputError } from '../../../../src/core/errors.js';
import { createLdr } from '../../../../src/core/image/image.js';
import { psnr } from '../../../../src/core/metrics/psnr.js';
import {
  naiveSrgbPredictor,
  oracleCrfPredictor,
} from '../../../../src/core/model/eval/baselines.js';
import { CAMERA_GAMMA, cameraFrame, radianceField } from './fixtures.js';

/** IEC 61966-2-1, written out here independently of the engine. */
const decode = (v: number): number => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const encode = (v: number): number => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

/** Every 8-bit code once, as a 256×1 grey-in-RGB image. */
function allCodes() {
  const data = new Float32Array(256 * 3);
  for (let z = 0; z < 256; z++) data.fill(z / 255, 3 * z, 3 * z + 3);
  return createLdr(256, 1, 3, data);
}

describe('naive sRGB predictor', () => {
  it('decodes, scales by 2^ev, clips at 1 and re-encodes', async () => {
    const ref = allCodes();
    const evs = [-2, -0.5, 1, 3];
    const out = await naiveSrgbPredictor()(ref, evs);
    expect(out).toHaveLength(4);
    evs.forEach((ev, k) => {
      for (let z = 0; z < 256; z++) {
        const want = encode(Math.min(1, decode(z / 255) * 2 ** ev));
        expect(Math.abs(out[k][3 * z] - want)).toBeLessThan(1e-5);
      }
    });
    // clipping: a mid grey pushed +3 EV is white; black stays black
    expect(out[3][3 * 200]).toBe(1);
    expect(out[0][0]).toBe(0);
  });

  it('matches a real sRGB camera up to 8-bit quantisation', async () => {
    const lin = radianceField(48, 32);
    const srgbFrame = (ev: number): Float32Array =>
      lin.map((x) => Math.round(255 * encode(Math.min(1, x * 2 ** ev))) / 255);
    const ref = createLdr(48, 32, 3, srgbFrame(0));
    const [down, up] = await naiveSrgbPredictor()(ref, [-1, 1]);
    expect(psnr(createLdr(48, 32, 3, down), createLdr(48, 32, 3, srgbFrame(-1)))).toBeGreaterThan(
      45,
    );
    expect(psnr(createLdr(48, 32, 3, up), createLdr(48, 32, 3, srgbFrame(1)))).toBeGreaterThan(45);
  });
});

describe('oracle CRF predictor', () => {
  it('maps code z to z·2^(ev/γ) for a pure gamma response, clipped at 0 and 255', async () => {
    const ref = allCodes();
    const evs = [-3, -1, 1, 2];
    const out = await oracleCrfPredictor(gammaResponse(CAMERA_GAMMA))(ref, evs);
    evs.forEach((ev, k) => {
      for (let z = 8; z < 256; z++) {
        const want = Math.min(255, z * 2 ** (ev / CAMERA_GAMMA));
        expect(Math.abs(out[k][3 * z] * 255 - want), `code ${z} at ${ev} EV`).toBeLessThan(0.1);
      }
      // code 0 (tabulated at a quarter code) stays within a tenth of a code of black
      if (ev < 0) expect(out[k][0]).toBe(0);
      else expect(out[k][0] * 255).toBeLessThan(0.1);
    });
    expect(out[2][3 * 255]).toBe(1); // white stays white when brightened
    expect(out[1][3 * 255] * 255).toBeCloseTo(255 * 2 ** (-1 / CAMERA_GAMMA), 1);
  });

  it('with the sRGB response it agrees with the naive predictor', async () => {
    const ref = allCodes();
    const evs = [-2, 1, 2.5];
    const a = await oracleCrfPredictor(srgbResponse())(ref, evs);
    const b = await naiveSrgbPredictor()(ref, evs);
    for (let k = 0; k < evs.length; k++) {
      for (let i = 3; i < a[k].length; i++) {
        expect(Math.abs(a[k][i] - b[k][i])).toBeLessThan(0.5 / 255);
      }
    }
  });

  it('recovers frames of a gamma-2.6 camera far better than naive scaling', async () => {
    const lin = radianceField(64, 48);
    const ref = createLdr(64, 48, 3, cameraFrame(lin, 0));
    const evs = [-1, 1];
    const oracle = await oracleCrfPredictor(gammaResponse(CAMERA_GAMMA))(ref, evs);
    const naive = await naiveSrgbPredictor()(ref, evs);
    evs.forEach((ev, k) => {
      const real = createLdr(64, 48, 3, cameraFrame(lin, ev));
      const po = psnr(createLdr(64, 48, 3, oracle[k]), real);
      const pn = psnr(createLdr(64, 48, 3, naive[k]), real);
      expect(po).toBeGreaterThan(45);
      expect(pn).toBeLessThan(po - 15);
    });
  });

  it('uses one curve per channel', async () => {
    const g = gammaResponse(2).inverse[0];
    const ident = new Float32Array(256).map((_, z) => (z === 0 ? 0.25 : z) / 255);
    const resp = { inverse: [g, ident, g], source: 'test' };
    const ref = createLdr(1, 1, 3, new Float32Array([100 / 255, 100 / 255, 100 / 255]));
    const [out] = await oracleCrfPredictor(resp)(ref, [1]);
    expect(out[0] * 255).toBeCloseTo(100 * Math.SQRT2, 0);
    expect(out[1] * 255).toBeCloseTo(200, 3);
    expect(out[2]).toBe(out[0]);
  });

  it('rejects malformed responses and offsets', async () => {
    expect(() => oracleCrfPredictor({ inverse: [], source: 'x' })).toThrow(InvalidInputError);
    expect(() => oracleCrfPredictor({ inverse: [new Float32Array(10)], source: 'x' })).toThrow(
      InvalidInputError,
    );
    await expect(naiveSrgbPredictor()(allCodes(), [NaN])).rejects.toThrow(InvalidInputError);
  });
});
