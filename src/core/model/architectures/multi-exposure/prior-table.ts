/**
 * The exposure prior of exposure-prior.ts evaluated per sample in JavaScript, for engines that
 * take it as an input instead of computing it in their graph (ONNX Runtime spends about a
 * quarter of a render on the prior's two powers, logarithm and selects, one full-resolution pass
 * each). Photos decoded from 8- or 16-bit files have samples on the 16-bit grid k / 65535, so a
 * 65536-entry table per exposure ratio gives their prior with one lookup; any other sample is
 * computed directly; a photo kept as its codes (LdrCodes) gets it from a table per code. Values
 * are the prior's log-odds 2P = ln(p / (1 − p)) in float64, rounded to float32 when stored.
 */
import { codeToUnit, type LdrCodes } from '../../../image/image.js';
import { reflectIndex } from '../../inference/pad.js';
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
  private readonly byCode = new Map<8 | 16, Float32Array>();

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

  /**
   * {@link fillSpaceToDepth} of the tile (x, y, w, h) of a photo kept as codes, reflected beyond
   * its edges (as readReflectedCodes reads it), into `out` at `offset`: one lookup per sample in
   * a table per code, the same values as from the codes' float values.
   * @param w - tile width (even); @param h - tile height (even)
   */
  fillSpaceToDepthFromCodes(
    photo: LdrCodes,
    x: number,
    y: number,
    w: number,
    h: number,
    out: Float32Array,
    offset = 0,
  ): void {
    const { codes, width, height } = photo;
    const table = this.codeTable(photo.bitDepth);
    const [h2, w2] = [h >> 1, w >> 1];
    const plane = h2 * w2;
    // source column of every tile column (reflected past the edges), in samples
    const cols = new Int32Array(w);
    for (let i = 0; i < w; i++) cols[i] = 3 * reflectIndex(x + i, width);
    for (let r = 0; r < h; r++) {
      const row = reflectIndex(y + r, height) * width * 3;
      const o0 = offset + (r & 1) * 6 * plane + (r >> 1) * w2;
      for (let i = 0; i < w2; i++) {
        const s0 = row + cols[2 * i];
        const s1 = row + cols[2 * i + 1];
        const o = o0 + i;
        out[o] = table[codes[s0]];
        out[o + plane] = table[codes[s0 + 1]];
        out[o + 2 * plane] = table[codes[s0 + 2]];
        out[o + 3 * plane] = table[codes[s1]];
        out[o + 4 * plane] = table[codes[s1 + 1]];
        out[o + 5 * plane] = table[codes[s1 + 2]];
      }
    }
  }

  /**
   * The log-odds of every code of a bit depth, of its float value (codeToUnit): 256 or 65536
   * entries; cached (the caller must not modify it).
   */
  codeTable(bitDepth: 8 | 16): Float32Array {
    let table = this.byCode.get(bitDepth);
    if (!table) {
      const unit = codeToUnit(bitDepth);
      table = Float32Array.from(unit, (v) => this.at(v));
      this.byCode.set(bitDepth, table);
    }
    return table;
  }

  /** The log-odds of one sample: the table's entry on the 16-bit grid, else computed. */
  private at(v: number): number {
    // nearest grid index (truncation toward 0 for v < 0 and NaN → 0: no match, computed)
    const k = (v * GRID_MAX + 0.5) | 0;
    return k <= GRID_MAX && this.grid[k] === v ? this.table[k] : priorLogOdds(v, this.ratio);
  }
}
