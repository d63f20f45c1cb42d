/**
 * The space-to-depth frame layout of the runtime render graphs (export.ts, `frameLayout: 's2d'`):
 * per image, 12 planes of (H/2)·(W/2) samples, plane (2·dy + dx)·3 + c holding channel c of the
 * pixels (2y + dy, 2x + dx). Converted here to and from the tiles' interleaved NHWC layout.
 */

/**
 * Writes NHWC frames from their space-to-depth planes.
 * @param src - n·12·(h/2)·(w/2) samples
 * @param out - receives n·h·w·3 samples (must not overlap `src`)
 * @param h - frame height in pixels (even)
 * @param w - frame width in pixels (even)
 */
export function depthToSpaceNhwc(
  src: Float32Array,
  out: Float32Array,
  n: number,
  h: number,
  w: number,
): void {
  const [h2, w2] = [h >> 1, w >> 1];
  const plane = h2 * w2;
  for (let b = 0; b < n; b++) {
    const base = b * 12 * plane;
    for (let y = 0; y < h2; y++) {
      for (let dy = 0; dy < 2; dy++) {
        // planes dy·6 … dy·6 + 5 hold (dx, c) of output row 2y + dy, in output order
        const s0 = base + dy * 6 * plane + y * w2;
        let o = (b * h + 2 * y + dy) * w * 3;
        for (let x = 0; x < w2; x++) {
          const s = s0 + x;
          out[o] = src[s];
          out[o + 1] = src[s + plane];
          out[o + 2] = src[s + 2 * plane];
          out[o + 3] = src[s + 3 * plane];
          out[o + 4] = src[s + 4 * plane];
          out[o + 5] = src[s + 5 * plane];
          o += 6;
        }
      }
    }
  }
}

/**
 * Writes the space-to-depth planes of a per-code table's values over n tiles of codes: plane
 * (2·dy + dx)·3 + c of tile b holds table[code] of channel c of its pixels (2y + dy, 2x + dx).
 * Used by the worker threads to turn a render's photo tile, sent as codes, into the render
 * graphs' prior input (prior-table.ts gives the table).
 * @param codes - n·h·w·3 interleaved codes (n RGB tiles of h × w)
 * @param table - a value per code (256 or 65536 entries)
 * @param out - receives n·12·(h/2)·(w/2) samples (must not overlap `codes`)
 * @param h - tile height in pixels (even)
 * @param w - tile width in pixels (even)
 */
export function codesToPlanes(
  codes: Uint8Array | Uint16Array,
  table: Float32Array,
  out: Float32Array,
  n: number,
  h: number,
  w: number,
): void {
  const [h2, w2] = [h >> 1, w >> 1];
  const plane = h2 * w2;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      let s = (b * h + y) * w * 3;
      // a pixel pair (dx = 0, 1) of this row holds planes dy·6 … dy·6 + 5, in order
      const o0 = (b * 12 + (y & 1) * 6) * plane + (y >> 1) * w2;
      const o1 = o0 + w2;
      for (let o = o0; o < o1; o++) {
        out[o] = table[codes[s]];
        out[o + plane] = table[codes[s + 1]];
        out[o + 2 * plane] = table[codes[s + 2]];
        out[o + 3 * plane] = table[codes[s + 3]];
        out[o + 4 * plane] = table[codes[s + 4]];
        out[o + 5 * plane] = table[codes[s + 5]];
        s += 6;
      }
    }
  }
}
