/**
 * Exposure fusion (Mertens, Kautz & Van Reeth 2007), like OpenCV's MergeMertens: per-frame
 * quality weights (see mertens-weights.ts) normalised across frames, then a multiresolution
 * blend: Σ_i GaussianPyramid(Ŵ_i) · LaplacianPyramid(I_i), collapsed.
 *
 * Memory: frames are processed one at a time, channel by channel; only the blended Laplacian
 * pyramid (3 × 4/3 planes), the weight sum, one frame's channel planes and its weight pyramid
 * are held (≈ 11 float planes: ~550 MB at 12 MP). Weight maps are kept between the two passes
 * only while they fit in {@link WEIGHT_CACHE_BYTES}; beyond that they are recomputed.
 */
import { throwIfAborted, type JobOptions } from '../job.js';
import { InvalidInputError } from '../errors.js';
import { createLdr, type LdrImage } from '../image/image.js';
import { validateFrames } from './bracket.js';
import { mertensWeights, wellExposedLut, type MertensExponents } from './mertens-weights.js';
import { collapse, defaultLevels, pyrDown, pyrUpBlend, type Plane } from './pyramid.js';

export type { MertensExponents } from './mertens-weights.js';

/** Options of {@link fuseMertens}. */
export interface FuseMertensOptions extends JobOptions, MertensExponents {}

/** Weight maps up to this size are cached between the two passes instead of recomputed. */
export const WEIGHT_CACHE_BYTES = 256 * 1024 * 1024;

function exponent(name: string, v: number | undefined): number {
  const e = v ?? 1;
  if (!Number.isFinite(e) || e < 0) {
    throw new InvalidInputError(`Mertens ${name} exponent ${e} must be finite and ≥ 0`);
  }
  return e;
}

/**
 * Fuses differently exposed frames directly into a display image (no radiance, no response).
 * Exposure times are not needed.
 * @param frames - ≥ 1 LDR frames of equal size (1 or 3 channels), values in [0, 1]
 * @param options - exponents contrast / saturation / exposure (≥ 0, default 1), signal, onProgress
 * @returns display-referred image, values clamped to [0, 1], bit depth the highest of the inputs
 * @throws InvalidInputError for mismatched sizes or bad exponents; CancelledError
 */
export function fuseMertens(
  frames: readonly LdrImage[],
  options: FuseMertensOptions = {},
): LdrImage {
  validateFrames(frames, 1);
  const exp = {
    contrast: exponent('contrast', options.contrast),
    saturation: exponent('saturation', options.saturation),
    exposure: exponent('exposure', options.exposure),
  };
  const { width: w, height: h, channels: ch } = frames[0];
  const n = w * h;
  const levels = defaultLevels(w, h);
  const steps = 2 * frames.length + 1;
  const report = (k: number, message: string): void =>
    options.onProgress?.({ fraction: k / steps, message });
  const lut = wellExposedLut(exp.exposure);
  const grey = new Float32Array(n);
  const cache: (Float32Array | undefined)[] | undefined =
    n * 4 * frames.length <= WEIGHT_CACHE_BYTES ? [] : undefined;

  // Pass 1: the weight sum.
  const sum = new Float32Array(n);
  for (let i = 0; i < frames.length; i++) {
    throwIfAborted(options.signal);
    const wi = new Float32Array(n);
    mertensWeights(frames[i], exp, lut, grey, wi);
    addInto(sum, wi);
    cache?.push(wi);
    report(i + 1, 'Fusion weights');
  }
  invertInPlace(sum);

  // Pass 2: blend pyramids, one frame and one channel at a time.
  const planes = [grey, ...Array.from({ length: ch - 1 }, () => new Float32Array(n))];
  const acc: Plane[][] = [];
  for (let i = 0; i < frames.length; i++) {
    throwIfAborted(options.signal);
    let wi = cache?.[i];
    if (!wi) {
      wi = new Float32Array(n);
      mertensWeights(frames[i], exp, lut, grey, wi);
    } else cache![i] = undefined; // free it as soon as it is used
    mulInto(wi, sum); // normalised weights: level 0 of their Gaussian pyramid, in place
    const wPyr: Plane[] = [{ data: wi, width: w, height: h }];
    for (let k = 1; k < levels; k++) wPyr.push(pyrDown(wPyr[k - 1]));
    if (i === 0) for (let c = 0; c < ch; c++) acc.push(emptyPyramid(wPyr));
    if (ch === 3) deinterleave3(frames[i].data, planes[0], planes[1], planes[2]);
    else planes[0].set(frames[i].data);
    for (let c = 0; c < ch; c++) {
      throwIfAborted(options.signal);
      blendLaplacian({ data: planes[c], width: w, height: h }, wPyr, acc[c]);
    }
    report(frames.length + i + 1, 'Fusing');
  }

  const out = new Float32Array(n * ch);
  for (let c = 0; c < ch; c++) interleaveClamped(collapse(acc[c]).data, c, ch, out);
  report(steps, 'Fused');
  const bitDepth = frames.some((f) => f.bitDepth === 16) ? 16 : 8;
  return createLdr(w, h, ch, out, bitDepth);
}

function emptyPyramid(like: Plane[]): Plane[] {
  return like.map((p) => ({
    data: new Float32Array(p.data.length),
    width: p.width,
    height: p.height,
  }));
}

/**
 * acc[k] += LaplacianLevel_k(base) · weight[k] for every level, building the Laplacian level by
 * level so only two Gaussian levels exist at a time. `base` is overwritten.
 */
function blendLaplacian(base: Plane, wPyr: Plane[], acc: Plane[]): void {
  let cur = base;
  const last = acc.length - 1;
  for (let k = 0; k < last; k++) {
    const next = pyrDown(cur);
    pyrUpBlend(next, cur, wPyr[k].data, acc[k].data);
    cur = next;
  }
  const a = acc[last].data;
  const l = cur.data;
  const wk = wPyr[last].data;
  for (let p = 0; p < a.length; p++) a[p] += l[p] * wk[p];
}

function addInto(sum: Float32Array, w: Float32Array): void {
  for (let p = 0; p < sum.length; p++) sum[p] += w[p];
}

function invertInPlace(a: Float32Array): void {
  for (let p = 0; p < a.length; p++) a[p] = 1 / a[p];
}

function mulInto(a: Float32Array, b: Float32Array): void {
  for (let p = 0; p < a.length; p++) a[p] *= b[p];
}

function deinterleave3(src: Float32Array, a: Float32Array, b: Float32Array, c: Float32Array): void {
  for (let p = 0, s = 0; p < a.length; p++, s += 3) {
    a[p] = src[s];
    b[p] = src[s + 1];
    c[p] = src[s + 2];
  }
}

function interleaveClamped(base: Float32Array, c: number, ch: number, out: Float32Array): void {
  for (let p = 0, s = c; p < base.length; p++, s += ch) {
    const v = base[p];
    out[s] = v > 0 ? (v < 1 ? v : 1) : 0;
  }
}
