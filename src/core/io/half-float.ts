/**
 * IEEE 754 binary16 ("half") conversion for OpenEXR.
 *
 * float32 → half rounds to nearest, ties to even. Values whose magnitude rounds above the
 * largest finite half (65504) are clamped to ±65504 rather than becoming ±Inf (so a saturated
 * highlight stays usable downstream); NaN becomes 0.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Largest finite half value. */
export const HALF_MAX = 65504;

/**
 * Converts float32 samples to half bit patterns.
 * @param src - float samples (any range; NaN → 0, |v| > 65504 → ±65504)
 * @param dst - receives the 16-bit patterns; same length as src
 */
export function floatsToHalf(src: Float32Array, dst: Uint16Array): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const x = bits[i];
    const sign = (x >>> 16) & 0x8000;
    const a = x & 0x7fffffff;
    let h: number;
    if (a >= 0x477ff000) {
      // ≥ 65520 (rounds to Inf), Inf or NaN
      if (a > 0x7f800000) {
        dst[i] = 0;
        continue;
      }
      h = 0x7bff;
    } else if (a >= 0x38800000) {
      // normal half: rebias exponent, round to nearest even on the 13 dropped bits
      h = ((a + 0xc8000fff + ((a >>> 13) & 1)) >>> 13) & 0xffff;
    } else if (a > 0x33000000) {
      // subnormal half: float32 addition of 0.5 rounds to a multiple of 2^-24 (RNE)
      u32[0] = a;
      f32[0] = f32[0] + 0.5;
      h = u32[0] - 0x3f000000;
    } else {
      h = 0;
    }
    dst[i] = sign | h;
  }
}

/** Converts one half bit pattern (0…65535) to a number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}
