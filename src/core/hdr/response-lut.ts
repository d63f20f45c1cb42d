/** Tabulated inverse responses for the merges: per channel·256 + code, finite and > 0. */
import { RESPONSE_LEVELS, type InverseResponse } from '../camera/response.js';

/**
 * Inverse response per channel and code, channels·256 entries, with codes whose exposure is 0
 * raised to half the smallest positive value so logs and fallbacks stay finite and > 0.
 */
export function linearResponseLut(response: InverseResponse, channels: number): Float32Array {
  const lut = new Float32Array(channels * RESPONSE_LEVELS);
  for (let c = 0; c < channels; c++) {
    const curve = response.inverse[response.inverse.length === 1 ? 0 : c];
    let minPos = Infinity;
    for (let z = 0; z < RESPONSE_LEVELS; z++)
      if (curve[z] > 0 && curve[z] < minPos) minPos = curve[z];
    for (let z = 0; z < RESPONSE_LEVELS; z++) {
      lut[c * RESPONSE_LEVELS + z] = curve[z] > 0 ? curve[z] : minPos * 0.5;
    }
  }
  return lut;
}

/** ln of {@link linearResponseLut}: ln f⁻¹(z) per channel and code (finite). */
export function logResponseLut(response: InverseResponse, channels: number): Float32Array {
  const lut = linearResponseLut(response, channels);
  for (let i = 0; i < lut.length; i++) lut[i] = Math.log(lut[i]);
  return lut;
}
