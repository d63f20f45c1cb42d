/**
 * Per-channel tone tables: a scalar map of encoded values [0, 1] → [0, 1] sampled at 65536
 * points and applied with linear interpolation. The analytic baselines are such maps (one per
 * exposure offset), so a frame costs one table read per sample.
 */
import { InvalidInputError } from '../../errors.js';
import type { FloatImage } from '../../image/image.js';

/** Table size − 1: entries at k / TONE_N, k = 0…TONE_N (every 8- and 16-bit code is on one). */
export const TONE_N = 65535;

/**
 * Samples a map at k / 65535, k = 0…65535, plus one repeated entry for interpolation at 1.
 * @param map - encoded input in [0, 1] → output value
 */
export function tabulateTone(map: (v: number) => number): Float32Array {
  const lut = new Float32Array(TONE_N + 2);
  for (let k = 0; k <= TONE_N; k++) lut[k] = map(k / TONE_N);
  lut[TONE_N + 1] = lut[TONE_N];
  return lut;
}

/**
 * Applies one table per channel to an interleaved image (inputs clamped to [0, 1], NaN → 0),
 * interpolating linearly between entries.
 * @param img - source image
 * @param tables - 1 table (all channels) or one per channel, from {@link tabulateTone}
 * @returns a new interleaved buffer of the image's layout
 */
export function applyTones(img: FloatImage, tables: readonly Float32Array[]): Float32Array {
  const { channels, data } = img;
  if (tables.length !== 1 && tables.length !== channels) {
    throw new InvalidInputError(
      `applyTones: ${tables.length} tables for a ${channels}-channel image; need 1 or ${channels}`,
    );
  }
  const out = new Float32Array(data.length);
  for (let c = 0; c < channels; c++) {
    const lut = tables[tables.length === 1 ? 0 : c];
    for (let i = c; i < data.length; i += channels) {
      let v = data[i];
      if (!(v > 0)) v = 0;
      else if (v > 1) v = 1;
      const t = v * TONE_N;
      const k = t | 0;
      const a = lut[k];
      out[i] = a + (t - k) * (lut[k + 1] - a);
    }
  }
  return out;
}
