/**
 * Analytic virtual-bracket baselines the model must beat:
 * - naive sRGB scaling: decode sRGB, multiply by 2^ev, clip at 1, encode sRGB;
 * - oracle CRF: Z' = f(f⁻¹(Z)·2^ev) through a known (e.g. the stack's own calibrated) response.
 */
import { InvalidInputError } from '../../errors.js';
import { RESPONSE_LEVELS, type InverseResponse } from '../../camera/response.js';
import { linearToSrgb, srgbToLinear } from '../../image/transfer.js';
import { applyTones, tabulateTone, TONE_N } from './tone-lut.js';
import type { FramePredictor } from './types.js';

const ZMAX = RESPONSE_LEVELS - 1;

function checkEvs(evs: readonly number[], who: string): void {
  for (const ev of evs) {
    if (!Number.isFinite(ev)) throw new InvalidInputError(`${who}: exposure offset ${ev} EV`);
  }
}

/**
 * Naive exposure change in sRGB: v' = srgb(min(1, srgb⁻¹(v)·2^ev)) per sample (exact IEC
 * curves), as if the camera's response were sRGB.
 * @returns a predictor whose frames are continuous values in [0, 1] (not quantised)
 */
export function naiveSrgbPredictor(): FramePredictor {
  return async (reference, evs) => {
    checkEvs(evs, 'naive sRGB predictor');
    return evs.map((ev) => {
      const gain = 2 ** ev;
      const lut = tabulateTone((v) => linearToSrgb(Math.min(1, srgbToLinear(v) * gain)));
      return applyTones(reference, [lut]);
    });
  };
}

/** A curve made non-decreasing (running maximum; non-finite entries take the previous value). */
function monotoneCurve(src: Float32Array): Float64Array {
  const curve = new Float64Array(RESPONSE_LEVELS);
  let m = 0;
  for (let z = 0; z < RESPONSE_LEVELS; z++) {
    const v = src[z];
    if (Number.isFinite(v) && v > m) m = v;
    curve[z] = m;
  }
  return curve;
}

/**
 * Tone table of v ↦ f(f⁻¹(v)·gain)/255 for one channel: the exposure of the (fractional) code
 * v·255 by linear interpolation in the inverse table, scaled, and mapped back to a fractional
 * code by inverting the monotone table (linear between codes, clipped to codes 0 and 255).
 * Inputs grow monotonically with k, so the inversion is a single forward walk.
 */
function oracleTable(curve: Float64Array, gain: number): Float32Array {
  const lut = new Float32Array(TONE_N + 2);
  const lo = curve[0];
  const hi = curve[ZMAX];
  let z = 0;
  for (let k = 0; k <= TONE_N; k++) {
    const u = (k * ZMAX) / TONE_N;
    const i = u >= ZMAX ? ZMAX - 1 : Math.floor(u);
    const x = (curve[i] + (curve[i + 1] - curve[i]) * (u - i)) * gain;
    let code: number;
    if (!(x > lo)) code = 0;
    else if (x >= hi) code = ZMAX;
    else {
      while (z < ZMAX - 1 && curve[z + 1] <= x) z++;
      const a = curve[z];
      const b = curve[z + 1];
      const t = b > a ? (x - a) / (b - a) : 0;
      code = z + (t < 0 ? 0 : t > 1 ? 1 : t);
    }
    lut[k] = code / ZMAX;
  }
  lut[TONE_N + 1] = lut[TONE_N];
  return lut;
}

/**
 * Oracle virtual bracket through a known camera response: Z' = f(f⁻¹(Z)·2^ev) per channel,
 * with f⁻¹ the tabulated inverse response (interpolated between codes) and f its inversion
 * (linear between codes, clipped at the bottom and top codes). Exact up to quantisation when
 * the response is the camera's and the reference is not clipped.
 * @param response - inverse response: 1 curve (all channels) or one per channel, 256 codes
 * @returns a predictor whose frames are continuous values in [0, 1] (not quantised)
 * @throws InvalidInputError for a response without 1 or 3 curves of 256 entries, or (when
 *   predicting) a reference whose channel count the response does not cover
 */
export function oracleCrfPredictor(response: InverseResponse): FramePredictor {
  const n = response.inverse.length;
  if (n !== 1 && n !== 3) {
    throw new InvalidInputError(`oracle predictor: response has ${n} curves; need 1 or 3`);
  }
  const curves = response.inverse.map((c, i) => {
    if (c.length !== RESPONSE_LEVELS) {
      throw new InvalidInputError(
        `oracle predictor: response curve ${i} has ${c.length} entries; need ${RESPONSE_LEVELS}`,
      );
    }
    return monotoneCurve(c);
  });
  return async (reference, evs) => {
    checkEvs(evs, 'oracle predictor');
    if (n !== 1 && n !== reference.channels) {
      throw new InvalidInputError(
        `oracle predictor: response has ${n} curves, reference has ${reference.channels} channels`,
      );
    }
    return evs.map((ev) => {
      const gain = 2 ** ev;
      return applyTones(
        reference,
        curves.map((c) => oracleTable(c, gain)),
      );
    });
  };
}
