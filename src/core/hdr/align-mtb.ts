/**
 * Translation-only alignment of bracket frames with Ward's (2003) median threshold bitmaps:
 * each frame's grey image is thresholded at its median (so the bitmap hardly depends on
 * exposure), pixels within ±excludeRange of the median are ignored (noise), and the shift that
 * minimises the count of disagreeing bits is found coarse to fine: ±1 pixel around twice the
 * previous level's shift, over `maxBits` pyramid levels (range ±(2^maxBits − 1) pixels).
 */
import { throwIfAborted, type JobOptions } from '../job.js';
import { InvalidInputError } from '../errors.js';
import { createLdr, type LdrImage } from '../image/image.js';
import { validateFrames } from './bracket.js';

/** Options of {@link alignMtb}. */
export interface AlignMtbOptions extends JobOptions {
  /** Pyramid levels searched (1…10, default 6): the largest shift found is 2^maxBits − 1 px. */
  readonly maxBits?: number;
  /** Grey codes within ±excludeRange of the median are ignored (0…127, default 4). */
  readonly excludeRange?: number;
  /** Index of the frame the others are aligned to (default: the middle one, ⌊n/2⌋). */
  readonly reference?: number;
}

/** Result of {@link alignMtb}. */
export interface AlignMtbResult {
  /**
   * Per frame, the translation [dx, dy] in pixels applied to it: aligned(x, y) =
   * frame(x − dx, y − dy). [0, 0] for the reference.
   */
  readonly shifts: [number, number][];
  /** The aligned frames; borders uncovered by the shift repeat the edge pixels. Frames with a
   * zero shift are returned as they are (same object). */
  readonly frames: LdrImage[];
}

interface Grey {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** 8-bit grey (54 R + 183 G + 19 B) / 256 of the frame's 8-bit codes, as in Ward's paper. */
export function mtbGrey(frame: LdrImage): Grey {
  const { width, height, channels, data } = frame;
  const n = width * height;
  const out = new Uint8Array(n);
  if (channels === 3) {
    for (let p = 0, s = 0; p < n; p++, s += 3) {
      out[p] = (54 * code(data[s]) + 183 * code(data[s + 1]) + 19 * code(data[s + 2])) >> 8;
    }
  } else {
    for (let p = 0; p < n; p++) out[p] = code(data[p]);
  }
  return { data: out, width, height };
}

function code(v: number): number {
  const s = v * 255 + 0.5;
  return s >= 255 ? 255 : s > 0 ? s | 0 : 0;
}

function halve(g: Grey): Grey {
  const w = g.width >> 1;
  const h = g.height >> 1;
  const out = new Uint8Array(w * h);
  const s = g.data;
  const sw = g.width;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * sw;
    const r1 = r0 + sw;
    for (let x = 0; x < w; x++) {
      const c = 2 * x;
      out[y * w + x] = (s[r0 + c] + s[r0 + c + 1] + s[r1 + c] + s[r1 + c + 1] + 2) >> 2;
    }
  }
  return { data: out, width: w, height: h };
}

/** Packed median-threshold and exclusion bitmaps: bit x & 31 of word x >> 5, row by row. */
interface Bits {
  readonly above: Uint32Array;
  readonly keep: Uint32Array;
  readonly width: number;
  readonly height: number;
  readonly rowWords: number;
}

function medianOf(d: Uint8Array): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < d.length; i++) hist[d[i]]++;
  let median = 0;
  for (let acc = 0, half = d.length / 2; median < 255; median++) {
    acc += hist[median];
    if (acc >= half) break;
  }
  return median;
}

/** Threshold bitmap (grey > median) and exclusion bitmap (|grey − median| > exclude), packed. */
function packBits(g: Grey, exclude: number): Bits {
  const { width: w, height: h, data: d } = g;
  const median = medianOf(d);
  const rowWords = (w + 31) >> 5;
  const above = new Uint32Array(rowWords * h);
  const keep = new Uint32Array(rowWords * h);
  const lo = median - exclude;
  const hi = median + exclude;
  for (let y = 0; y < h; y++) {
    const o = y * w;
    const r = y * rowWords;
    for (let k = 0; k < rowWords; k++) {
      let a = 0;
      let kp = 0;
      const x0 = o + 32 * k;
      const nb = Math.min(32, w - 32 * k);
      for (let b = 0; b < nb; b++) {
        const v = d[x0 + b];
        a |= (v > median ? 1 : 0) << b;
        kp |= (v > hi || v < lo ? 1 : 0) << b;
      }
      above[r + k] = a;
      keep[r + k] = kp;
    }
  }
  return { above, keep, width: w, height: h, rowWords };
}

/** out bit x = src bit (x − dx) within each row, 0 where x − dx falls outside the row. */
function shiftRows(
  src: Uint32Array,
  out: Uint32Array,
  rowWords: number,
  h: number,
  dx: number,
): void {
  const q = Math.floor(dx / 32);
  const r = dx - 32 * q;
  for (let y = 0; y < h; y++) {
    const o = y * rowWords;
    for (let k = 0; k < rowWords; k++) {
      const j = k - q;
      const cur = j >= 0 && j < rowWords ? src[o + j] : 0;
      if (r === 0) out[o + k] = cur;
      else {
        const prev = j - 1 >= 0 && j - 1 < rowWords ? src[o + j - 1] : 0;
        out[o + k] = (cur << r) | (prev >>> (32 - r));
      }
    }
  }
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Disagreeing kept pixels between ref(x, y) and the x-shifted bitmaps at row y − dy. */
function mismatch(ref: Bits, sa: Uint32Array, sk: Uint32Array, dy: number): number {
  const { rowWords: rw, height: h } = ref;
  const ra = ref.above;
  const rk = ref.keep;
  let err = 0;
  for (let y = Math.max(0, dy), y1 = Math.min(h, h + dy); y < y1; y++) {
    const r = y * rw;
    const s = (y - dy) * rw;
    for (let k = 0; k < rw; k++) err += popcount((ra[r + k] ^ sa[s + k]) & rk[r + k] & sk[s + k]);
  }
  return err;
}

function findShift(refPyr: Bits[], pyr: Bits[]): [number, number] {
  let dx = 0;
  let dy = 0;
  for (let level = refPyr.length - 1; level >= 0; level--) {
    const img = pyr[level];
    const sa = new Uint32Array(img.above.length);
    const sk = new Uint32Array(img.keep.length);
    dx *= 2;
    dy *= 2;
    let best = Infinity;
    let bx = dx;
    let by = dy;
    // Centre column first so ties keep the smaller move.
    for (const i of [0, -1, 1]) {
      shiftRows(img.above, sa, img.rowWords, img.height, dx + i);
      shiftRows(img.keep, sk, img.rowWords, img.height, dx + i);
      for (const j of [0, -1, 1]) {
        const e = mismatch(refPyr[level], sa, sk, dy + j);
        if (e < best) {
          best = e;
          bx = dx + i;
          by = dy + j;
        }
      }
    }
    dx = bx;
    dy = by;
  }
  return [dx, dy];
}

/** Translates a frame: out(x, y) = frame(clamp(x − dx), clamp(y − dy)) (edges replicated). */
export function shiftFrame(frame: LdrImage, dx: number, dy: number): LdrImage {
  const { width: w, height: h, channels: ch, data } = frame;
  const out = new Float32Array(data.length);
  const row = w * ch;
  for (let y = 0; y < h; y++) {
    const sy = Math.min(h - 1, Math.max(0, y - dy));
    const o = y * row;
    const so = sy * row;
    const xa = Math.min(w, Math.max(0, dx)); // columns [0, xa) repeat source column 0
    const xb = Math.max(xa, Math.min(w, w + dx)); // columns [xb, w) repeat column w − 1
    for (let x = 0; x < xa; x++) for (let c = 0; c < ch; c++) out[o + x * ch + c] = data[so + c];
    out.set(data.subarray(so + (xa - dx) * ch, so + (xb - dx) * ch), o + xa * ch);
    for (let x = xb; x < w; x++)
      for (let c = 0; c < ch; c++) out[o + x * ch + c] = data[so + (w - 1) * ch + c];
  }
  return createLdr(w, h, ch, out, frame.bitDepth);
}

function pyramid(g: Grey, levels: number, exclude: number): Bits[] {
  const out: Bits[] = [];
  let cur = g;
  for (let l = 0; l < levels; l++) {
    out.push(packBits(cur, exclude));
    if (l + 1 < levels) cur = halve(cur);
  }
  return out;
}

/**
 * Aligns frames to a reference by integer translation (Ward's MTB).
 * @param frames - ≥ 1 LDR frames of equal size, values in [0, 1]
 * @param options - maxBits (1…10, default 6), excludeRange (0…127 grey codes, default 4),
 *   reference index (default ⌊n/2⌋), signal, onProgress
 * @returns per-frame shifts in pixels and the shifted frames
 * @throws InvalidInputError for mismatched sizes or bad options; CancelledError
 */
export function alignMtb(
  frames: readonly LdrImage[],
  options: AlignMtbOptions = {},
): AlignMtbResult {
  validateFrames(frames, 1);
  const maxBits = options.maxBits ?? 6;
  const exclude = options.excludeRange ?? 4;
  const reference = options.reference ?? frames.length >> 1;
  if (!Number.isInteger(maxBits) || maxBits < 1 || maxBits > 10) {
    throw new InvalidInputError(`MTB maxBits ${maxBits} must be an integer in 1…10`);
  }
  if (!Number.isInteger(exclude) || exclude < 0 || exclude > 127) {
    throw new InvalidInputError(`MTB excludeRange ${exclude} must be an integer in 0…127`);
  }
  if (!Number.isInteger(reference) || reference < 0 || reference >= frames.length) {
    throw new InvalidInputError(
      `MTB reference ${reference} is not a frame index (0…${frames.length - 1})`,
    );
  }
  const { width, height } = frames[0];
  // Keep the coarsest level at least 4 pixels on its short side.
  const levels = Math.max(
    1,
    Math.min(maxBits, Math.floor(Math.log2(Math.min(width, height) / 4)) + 1),
  );
  throwIfAborted(options.signal);
  const refPyr = pyramid(mtbGrey(frames[reference]), levels, exclude);
  const shifts: [number, number][] = [];
  const out: LdrImage[] = [];
  for (let i = 0; i < frames.length; i++) {
    throwIfAborted(options.signal);
    const shift: [number, number] =
      i === reference ? [0, 0] : findShift(refPyr, pyramid(mtbGrey(frames[i]), levels, exclude));
    shifts.push(shift);
    out.push(
      shift[0] === 0 && shift[1] === 0 ? frames[i] : shiftFrame(frames[i], shift[0], shift[1]),
    );
    options.onProgress?.({ fraction: (i + 1) / frames.length, message: 'Aligning' });
  }
  return { shifts, frames: out };
}
