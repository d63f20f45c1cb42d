/**
 * The exposure prior of exposure-prior.ts evaluated per sample in JavaScript, for engines that
 * take it as an input instead of computing it in their graph (ONNX Runtime spends about a
 * quarter of a render on the prior's two powers, logarithm and selects, one full-resolution pass
 * each). Photos decoded from 8- or 16-bit files have samples on the 16-bit grid k / 65535, so a
 * 65536-entry table per exposure ratio gives their prior with one lookup; any other sample is
 * computed directly. Values are the prior's log-odds 2P = ln(p / (1 − p)) in float64, rounded
 * to float32 when stored.
 */
import { PRIOR_EPS } from './exposure-prior.js';

/** Largest 16-bit code: grid samples are k / GRID_MAX. */
const GRID_MAX = 65535;

/** The grid's sample values as float32 (what a decoded 8- or 16-bit photo holds). */
let grid: Float32Array | null = null;
function gridValues(): Float32Array {
  grid ??= Float32Array.from({ length: GRID_MAX + 1 }, (_, k) => k / GRID_MAX);
  return grid;
}

/**
 * Twice the exposure prior of one sample: ln(p / (1 − p)) with p = clip(srgb(min(1,
 * srgb⁻¹(v)·α)), ε, 1 − ε) (IEC 61966-2-1 curves, ε = {@link PRIOR_EPS}).
 * @param v - sample, clamped to [0, 1] (NaN stays NaN)
 * @param ratio - exposure ratio α > 0
 * @returns log-odds in [−6.9, 6.9]
 */
export function priorLogOdds(v: number, ratio: number): number {
  const x = v < 0 ? 0 : v > 1 ? 1 : v;
  const lin = x <= 0.04045 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
  const l = Math.min(1, Math.max(0, lin * ratio));
  const s = l <= 0.0031308 ? l * 12.92 : 1.055 * Math.pow(Math.max(l, 0.0031308), 1 / 2.4) - 0.055;
  const p = Math.min(1 - PRIOR_EPS, Math.max(PRIOR_EPS, s));
  return Math.log(p / (1 - p));
}

/** {@link priorLogOdds} for one exposure ratio, tabulated on the 16-bit grid. */
export class PriorTable {
  private readonly table: Float32Array;
  private readonly grid = gridValues();

  /** @param ratio - exposure ratio α > 0 */
  constructor(readonly ratio: number) {
    this.table = Float32Array.from(this.grid, (v) => priorLogOdds(v, ratio));
  }

  /**
   * Writes the prior's log-odds of `count` samples of `input` (from 0) into `out`: a table
   * lookup for samples on the 16-bit grid, {@link priorLogOdds} for the others.
   */
  fill(input: Float32Array, out: Float32Array, count = input.length): void {
    for (let i = 0; i < count; i++) out[i] = this.at(input[i]);
  }

  /**
   * {@link fill} for n interleaved h × w RGB images, written in the space-to-depth layout of
   * the runtime render graphs (../../onnx/frame-layout.ts): plane (2·dy + dx)·3 + c of image b
   * holds the prior of channel c of its pixels (2y + dy, 2x + dx).
   * @param h - image height in pixels (even); @param w - image width in pixels (even)
   */
  fillSpaceToDepth(input: Float32Array, out: Float32Array, n: number, h: number, w: number): void {
    const [h2, w2] = [h >> 1, w >> 1];
    const plane = h2 * w2;
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < h; y++) {
        const row = (b * h + y) * w * 3;
        // a pixel pair (dx = 0, 1) of this row holds planes dy·6 … dy·6 + 5, in order
        const o0 = (b * 12 + (y & 1) * 6) * plane + (y >> 1) * w2;
        for (let x = 0; x < w2; x++) {
          const i = row + 6 * x;
          const o = o0 + x;
          out[o] = this.at(input[i]);
          out[o + plane] = this.at(input[i + 1]);
          out[o + 2 * plane] = this.at(input[i + 2]);
          out[o + 3 * plane] = this.at(input[i + 3]);
          out[o + 4 * plane] = this.at(input[i + 4]);
          out[o + 5 * plane] = this.at(input[i + 5]);
        }
      }
    }
  }

  /** The log-odds of one sample: the table's entry on the 16-bit grid, else computed. */
  private at(v: number): number {
    // nearest grid index (truncation toward 0 for v < 0 and NaN → 0: no match, computed)
    const k = (v * GRID_MAX + 0.5) | 0;
    return k <= GRID_MAX && this.grid[k] === v ? this.table[k] : priorLogOdds(v, this.ratio);
  }
}
