/**
 * The 8 flips/rotations of a square crop (the dihedral group), applied the same way to both
 * frames of a pair so they stay aligned.
 */

/** Number of transforms: bit 0 flips x, bit 1 flips y, bit 2 swaps x and y (transpose). */
export const TRANSFORM_COUNT = 8;

/**
 * Copies the c×c crop at (x0, y0) of an interleaved RGB frame into `out` at `offset`, under
 * transform `t`: out(y, x) = frame(x0 + sx, y0 + sy) with (sx, sy) = (x, y) flipped in x
 * (t & 1), in y (t & 2), then swapped (t & 4). t = 0 is a plain copy; t = 5 (flip x, swap) is a
 * 90° clockwise rotation.
 * @param data - frame samples, width·height·3
 * @param width - frame width in pixels
 * @param c - crop side in pixels
 * @param t - transform 0…7
 */
export function extractCrop(
  data: Float32Array,
  width: number,
  x0: number,
  y0: number,
  c: number,
  t: number,
  out: Float32Array,
  offset: number,
): void {
  const fx = (t & 1) !== 0;
  const fy = (t & 2) !== 0;
  const sw = (t & 4) !== 0;
  if (t === 0) {
    for (let y = 0; y < c; y++) {
      const s = ((y0 + y) * width + x0) * 3;
      out.set(data.subarray(s, s + 3 * c), offset + y * c * 3);
    }
    return;
  }
  let o = offset;
  for (let y = 0; y < c; y++) {
    for (let x = 0; x < c; x++, o += 3) {
      let sx = fx ? c - 1 - x : x;
      let sy = fy ? c - 1 - y : y;
      if (sw) {
        const tmp = sx;
        sx = sy;
        sy = tmp;
      }
      const s = ((y0 + sy) * width + x0 + sx) * 3;
      out[o] = data[s];
      out[o + 1] = data[s + 1];
      out[o + 2] = data[s + 2];
    }
  }
}
