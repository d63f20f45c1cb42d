/** Inverse responses built from known curves: sRGB, pure gamma, or any forward function. */
import { InvalidInputError } from '../errors.js';
import { gammaDecode, srgbToLinear } from '../image/transfer.js';
import { RESPONSE_LEVELS, type InverseResponse } from './response.js';

const ZMAX = RESPONSE_LEVELS - 1;
/** Code 0 is tabulated at this fraction of a code so the table stays > 0 (log-safe). */
const CODE0 = 0.25;

function tabulate(decode: (v: number) => number, source: string): InverseResponse {
  const inv = new Float32Array(RESPONSE_LEVELS);
  for (let z = 0; z < RESPONSE_LEVELS; z++) inv[z] = decode((z === 0 ? CODE0 : z) / ZMAX);
  return { inverse: [inv], source };
}

/**
 * The sRGB curve (IEC 61966-2-1) as an inverse response: inverse[z] = srgbToLinear(z/255), with
 * code 0 at a quarter code (≈ 7.6e-5) so every entry is > 0. One channel (applies to all).
 */
export function srgbResponse(): InverseResponse {
  return tabulate(srgbToLinear, 'srgb');
}

/**
 * A pure power law as an inverse response: inverse[z] = (z/255)^γ (code 0 at a quarter code).
 * @param gamma - decoding exponent γ > 0, e.g. 2.2
 */
export function gammaResponse(gamma: number): InverseResponse {
  if (!Number.isFinite(gamma) || gamma <= 0) {
    throw new InvalidInputError(`gamma must be > 0, got ${gamma}`);
  }
  return tabulate((v) => gammaDecode(v, gamma), `gamma:${gamma}`);
}

/**
 * Tabulates the inverse of a forward response f (exposure x ≥ 0 → encoded value in [0, 1],
 * non-decreasing): inverse[z] is the smallest x with f(x) ≥ z/255 (code 0: a quarter code;
 * code 255: the exposure where f first reaches 1, or 254.75/255 if it never does), found by
 * bisection in log x over [1e-12, 1e6].
 * @param forward - the camera curve, x in relative exposure units
 * @param source - label stored in the result
 */
export function responseFromForward(
  forward: (x: number) => number,
  source: string,
): InverseResponse {
  const LO = Math.log(1e-12);
  const HI = Math.log(1e6);
  const reachesOne = forward(Math.exp(HI)) >= 1;
  const inv = new Float32Array(RESPONSE_LEVELS);
  for (let z = 0; z < RESPONSE_LEVELS; z++) {
    const target =
      z === 0 ? CODE0 / ZMAX : z === ZMAX ? (reachesOne ? 1 : (ZMAX - CODE0) / ZMAX) : z / ZMAX;
    let lo = LO;
    let hi = HI;
    if (forward(Math.exp(lo)) >= target) hi = lo;
    for (let it = 0; it < 80 && hi - lo > 1e-13; it++) {
      const m = 0.5 * (lo + hi);
      if (forward(Math.exp(m)) >= target) hi = m;
      else lo = m;
    }
    inv[z] = Math.exp(hi);
  }
  return { inverse: [inv], source };
}
