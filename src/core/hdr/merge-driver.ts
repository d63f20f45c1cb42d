/**
 * Shared block-wise driver for per-pixel radiance merges (Debevec, Robertson). Frames are
 * quantised to 8-bit codes and looked up in per-frame tables, so the inner loop is two table
 * reads and two adds per sample. Work proceeds in row blocks (≈1 MB of samples) and, inside a
 * block, frame by frame, which keeps the accumulators in cache and the memory at one output image.
 */
import { throwIfAborted, type JobOptions } from '../job.js';
import { createHdr, type HdrImage, type LdrImage } from '../image/image.js';
import { RESPONSE_LEVELS } from '../camera/response.js';
import { toCode } from '../camera/response.js';
import { deghostBlock, resolveDeghost, type DeghostOptions } from './deghost.js';

/** Options of mergeDebevec / mergeRobertson. */
export interface MergeOptions extends JobOptions {
  /**
   * Reference-based deghosting (see deghost.ts): `true` for defaults (middle exposure as the
   * reference, σ = 0.3 ln units) or explicit settings. Off by default.
   */
  readonly deghost?: boolean | DeghostOptions;
}

/** Per-frame tables of a merge: accumulate num += numLut[c·256+z]·g, den += denLut[z]·g. */
export interface MergeTables {
  readonly numLut: readonly Float32Array[];
  readonly denLut: readonly Float32Array[];
  /** true: result = exp(num/den) (log-domain average); false: result = num/den. */
  readonly logDomain: boolean;
  /** f⁻¹ per channel·256 + code (floored > 0), for pixels no frame exposes well. */
  readonly linear: Float32Array;
  readonly label: string;
}

const BLOCK_SAMPLES = 1 << 18;

/**
 * Runs a table-driven merge. Frames, times and response must already be validated.
 * Pixels where every frame has zero weight (all clipped) take the shortest exposure's value if
 * that frame's code is ≥ 128 (saturated everywhere: highlights stay as bright as can be known),
 * else the longest exposure's (black everywhere).
 */
export function runMerge(
  frames: readonly LdrImage[],
  times: readonly number[],
  tables: MergeTables,
  options: MergeOptions,
): HdrImage {
  const { width, height, channels } = frames[0];
  const total = width * height * channels;
  const out = new Float32Array(total);
  const rowsPerBlock = Math.max(1, Math.floor(BLOCK_SAMPLES / (width * channels)));
  const den = new Float32Array(Math.min(total, rowsPerBlock * width * channels));
  const dg = resolveDeghost(options.deghost, times);
  const g = dg ? new Float32Array(rowsPerBlock * width) : undefined;
  const lnX = dg ? logOf(tables.linear) : undefined;
  const cEnd = channels * RESPONSE_LEVELS;
  let shortest = 0;
  let longest = 0;
  for (let i = 1; i < times.length; i++) {
    if (times[i] < times[shortest]) shortest = i;
    if (times[i] > times[longest]) longest = i;
  }
  const lin = tables.linear;
  for (let y0 = 0; y0 < height; y0 += rowsPerBlock) {
    throwIfAborted(options.signal);
    const rows = Math.min(rowsPerBlock, height - y0);
    const s0 = y0 * width * channels;
    const n = rows * width * channels;
    const num = out.subarray(s0, s0 + n);
    den.fill(0, 0, n);
    for (let i = 0; i < frames.length; i++) {
      const src = frames[i].data;
      const nl = tables.numLut[i];
      const dl = tables.denLut[i];
      if (g && dg && i !== dg.reference) {
        const lnRatio = Math.log(times[i] / times[dg.reference]);
        const ref = frames[dg.reference].data;
        deghostBlock(src, ref, channels, y0 * width, rows * width, lnX!, lnRatio, dg.inv2s2, g);
        let c = 0;
        let p = 0;
        for (let k = 0; k < n; k++) {
          const z = toCode(src[s0 + k]);
          const gp = g[p];
          num[k] += nl[c + z] * gp;
          den[k] += dl[z] * gp;
          c += RESPONSE_LEVELS;
          if (c === cEnd) {
            c = 0;
            p++;
          }
        }
      } else if (channels === 3) {
        accumulate3(src, s0, n, num, den, nl, dl);
      } else {
        for (let k = 0; k < n; k++) {
          const z = toCode(src[s0 + k]);
          num[k] += nl[z];
          den[k] += dl[z];
        }
      }
    }
    const short = frames[shortest].data;
    const long = frames[longest].data;
    const ts = times[shortest];
    const tl = times[longest];
    let c = 0;
    for (let k = 0; k < n; k++) {
      const d = den[k];
      if (d > 0) {
        num[k] = tables.logDomain ? fastExp(num[k] / d) : num[k] / d;
      } else {
        const zs = toCode(short[s0 + k]);
        num[k] = zs >= 128 ? lin[c + zs] / ts : lin[c + toCode(long[s0 + k])] / tl;
      }
      c += RESPONSE_LEVELS;
      if (c === cEnd) c = 0;
    }
    options.onProgress?.({ fraction: (y0 + rows) / height, message: tables.label });
  }
  return createHdr(width, height, channels, out);
}

function logOf(lut: Float32Array): Float32Array {
  const out = new Float32Array(lut.length);
  for (let i = 0; i < lut.length; i++) out[i] = Math.log(lut[i]);
  return out;
}

/** Inner loop for 3 channels: quantise, look up, accumulate (no allocation, no branches per channel). */
function accumulate3(
  src: Float32Array,
  s0: number,
  n: number,
  num: Float32Array,
  den: Float32Array,
  nl: Float32Array,
  dl: Float32Array,
): void {
  for (let k = 0; k < n; k += 3) {
    let s = src[s0 + k] * 255 + 0.5;
    let z = s >= 255 ? 255 : s > 0 ? s | 0 : 0;
    num[k] += nl[z];
    den[k] += dl[z];
    s = src[s0 + k + 1] * 255 + 0.5;
    z = s >= 255 ? 255 : s > 0 ? s | 0 : 0;
    num[k + 1] += nl[256 + z];
    den[k + 1] += dl[z];
    s = src[s0 + k + 2] * 255 + 0.5;
    z = s >= 255 ? 255 : s > 0 ? s | 0 : 0;
    num[k + 2] += nl[512 + z];
    den[k + 2] += dl[z];
  }
}

const POW2_INT = new Float64Array(2048);
for (let i = 0; i < 2048; i++) POW2_INT[i] = Math.pow(2, i - 1024);
const POW2_FRAC = new Float64Array(256);
for (let i = 0; i < 256; i++) POW2_FRAC[i] = Math.pow(2, i / 256);

/**
 * e^x for |x| < 700 via tables of 2^n and 2^(j/256) and a quadratic for the remainder
 * (relative error < 4e-9; about 3× faster than Math.exp in V8's loops). Internal.
 */
export function fastExp(x: number): number {
  const y = x * 369.3299304675746 + 262144; // x·256/ln2, offset by 1024·256 (always > 0)
  const yi = y | 0;
  const f = (y - yi) * 0.0027076061740622863; // remainder back in natural-log units
  return POW2_INT[yi >> 8] * POW2_FRAC[yi & 255] * (1 + f * (1 + f * 0.5));
}
