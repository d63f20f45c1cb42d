/**
 * Applying camera responses to images: linearise an LDR frame with an inverse response, or render
 * linear exposure through the forward response that the tabulated inverse implies.
 */
import { InvalidInputError } from '../errors.js';
import { createHdr, createLdr } from '../image/image.js';
import type { FloatImage, HdrImage, LdrImage } from '../image/image.js';
import { RESPONSE_LEVELS, type InverseResponse } from './response.js';

export { gammaResponse, responseFromForward, srgbResponse } from './response-builders.js';
export { responseRmsError } from './response-compare.js';

const ZMAX = RESPONSE_LEVELS - 1;
const FINE = 65535;

function curveFor(resp: InverseResponse, img: FloatImage, c: number): Float32Array {
  const n = resp.inverse.length;
  if (n !== 1 && n !== img.channels) {
    throw new InvalidInputError(
      `Response has ${n} channels, image has ${img.channels}; expected 1 or ${img.channels}`,
    );
  }
  const curve = resp.inverse[n === 1 ? 0 : c];
  if (!curve || curve.length !== RESPONSE_LEVELS) {
    throw new InvalidInputError(`Response curve ${c} must have ${RESPONSE_LEVELS} entries`);
  }
  return curve;
}

/**
 * Linearises an encoded frame: X = f⁻¹(v), interpolating the 256-entry table linearly at
 * v·255 (exact table values for 8-bit data, smooth for 16-bit), through a 65536-entry LUT.
 * @param frame - encoded values in [0, 1] (clamped; NaN reads as 0)
 * @param resp - inverse response with 1 channel (used for all) or the frame's channel count
 * @returns relative linear exposure (same scale as the table, not divided by exposure time)
 */
export function applyInverseResponse(frame: LdrImage, resp: InverseResponse): HdrImage {
  const { width, height, channels, data } = frame;
  const out = new Float32Array(data.length);
  const lut = new Float32Array(FINE + 1);
  for (let c = 0; c < channels; c++) {
    const curve = curveFor(resp, frame, c);
    if (c === 0 || resp.inverse.length > 1) {
      for (let k = 0; k <= FINE; k++) {
        const u = (k * ZMAX) / FINE;
        const z = Math.min(ZMAX - 1, Math.floor(u));
        const t = u - z;
        lut[k] = curve[z] + (curve[z + 1] - curve[z]) * t;
      }
    }
    for (let p = c; p < data.length; p += channels) {
      const v = data[p];
      const k = v > 0 ? (v < 1 ? Math.round(v * FINE) : FINE) : 0;
      out[p] = lut[k];
    }
  }
  return createHdr(width, height, channels, out);
}

/** A forward camera response: linear exposure → encoded value. */
export interface ForwardResponse {
  /** Channels of the underlying inverse response (1 = same curve for every channel). */
  readonly channels: number;
  /**
   * Encoded value of one exposure in channel c: the fractional code where the tabulated inverse
   * reaches x (linear interpolation between codes), divided by 255; 0 below inverse[0], 1 above
   * inverse[255], NaN → 0.
   */
  value(x: number, c?: number): number;
  /**
   * Renders a linear image through the response.
   * @param img - relative linear exposure in the table's units
   * @param bitDepth - recorded on the output; with `quantize` values are rounded to it
   * @param quantize - round to 8/16-bit code values (default false: continuous values)
   */
  apply(img: HdrImage, bitDepth?: 8 | 16, quantize?: boolean): LdrImage;
}

const BINS = 4096;
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

interface Inverter {
  curve: Float64Array;
  lo: number;
  scale: number;
  start: Int32Array;
}

function makeInverter(src: Float32Array): Inverter {
  const curve = new Float64Array(RESPONSE_LEVELS);
  // Running maximum: the inverse is non-decreasing by contract; guard against bad tables.
  let m = 0;
  for (let z = 0; z < RESPONSE_LEVELS; z++) {
    const v = src[z];
    m = Number.isFinite(v) && v > m ? v : m;
    curve[z] = m;
  }
  const floor = curve[ZMAX] > 0 ? curve[ZMAX] * 1e-12 : 1e-30;
  const lo = Math.log2(Math.max(curve[0], floor));
  const hi = Math.log2(Math.max(curve[ZMAX], floor * 2));
  const scale = hi > lo ? BINS / (hi - lo) : 0;
  const start = new Int32Array(BINS + 1);
  let z = 0;
  for (let k = 0; k <= BINS; k++) {
    const x = 2 ** (lo + k / (scale || 1));
    while (z < ZMAX && curve[z + 1] <= x) z++;
    start[k] = z;
  }
  return { curve, lo, scale, start };
}

function invert(inv: Inverter, x: number): number {
  const { curve } = inv;
  if (!(x > curve[0])) return 0;
  if (x >= curve[ZMAX]) return 1;
  let k = Math.floor((Math.log2(x) - inv.lo) * inv.scale);
  k = k < 0 ? 0 : k > BINS ? BINS : k;
  let z = inv.start[k];
  while (z < ZMAX - 1 && curve[z + 1] <= x) z++;
  while (z > 0 && curve[z] > x) z--;
  const a = curve[z];
  const b = curve[z + 1];
  const t = b > a ? (x - a) / (b - a) : 0;
  return (z + (t < 0 ? 0 : t > 1 ? 1 : t)) / ZMAX;
}

/**
 * The forward response implied by a tabulated inverse (inverted by interpolation: inverse[z] ↦
 * z/255 exactly, linear in exposure between codes), so that applying it and then
 * {@link applyInverseResponse} returns the exposure within one quantisation step.
 * @param resp - inverse response (1 or 3 channels), non-decreasing
 */
export function forwardResponse(resp: InverseResponse): ForwardResponse {
  if (resp.inverse.length !== 1 && resp.inverse.length !== 3) {
    throw new InvalidInputError(`Response must have 1 or 3 channels, got ${resp.inverse.length}`);
  }
  const inverters = resp.inverse.map(makeInverter);
  return {
    channels: inverters.length,
    value(x: number, c = 0): number {
      return invert(inverters[inverters.length === 1 ? 0 : c], x);
    },
    apply(img: HdrImage, bitDepth: 8 | 16 = 8, quantize = false): LdrImage {
      const { width, height, channels, data } = img;
      if (inverters.length !== 1 && inverters.length !== channels) {
        throw new InvalidInputError(
          `Response has ${inverters.length} channels, image has ${channels}`,
        );
      }
      const out = new Float32Array(data.length);
      const q = bitDepth === 16 ? 65535 : 255;
      for (let c = 0; c < channels; c++) {
        const inv = inverters[inverters.length === 1 ? 0 : c];
        // Table of the exact inversion indexed by the float32 bit pattern of x (exponent and
        // top mantissa bits: 2^(23−shift) bins per octave, piecewise linear in x inside a bin,
        // like the curve between codes), so no logarithm per sample.
        const x0 = inv.curve[0];
        const x1 = inv.curve[ZMAX];
        f32[0] = x0;
        const b0 = i32[0];
        f32[0] = x1;
        const octaves = (i32[0] - b0) / 2 ** 23;
        let shift = 11;
        while (octaves * 2 ** (23 - shift) > 1 << 20) shift++;
        const mask = (1 << shift) - 1;
        const step = 1 / (1 << shift);
        const nBins = ((i32[0] - b0) >> shift) + 2;
        const table = new Float64Array(nBins + 1);
        for (let k = 0; k <= nBins; k++) {
          i32[0] = b0 + k * (1 << shift);
          table[k] = invert(inv, f32[0]);
        }
        for (let p = c; p < data.length; p += channels) {
          const x = data[p];
          let v: number;
          if (!(x > x0)) v = 0;
          else if (x >= x1) v = 1;
          else {
            f32[0] = x;
            const d = i32[0] - b0;
            const k = d >> shift;
            v = table[k] + (table[k + 1] - table[k]) * ((d & mask) * step);
          }
          out[p] = quantize ? Math.round(v * q) / q : v;
        }
      }
      return createLdr(width, height, channels, out, bitDepth);
    },
  };
}
