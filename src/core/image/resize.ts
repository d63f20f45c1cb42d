/**
 * Resampling: exact area averaging for downscaling, bilinear interpolation with pixel-centre
 * alignment (as OpenCV's INTER_LINEAR), and a 2×2 mean for pyramids. Both methods are run as
 * a separable pair of weight tables, so each axis picks its own filter.
 */
import { throwIfAborted } from '../job.js';
import type { JobOptions } from '../job.js';
import type { FloatImage } from './image.js';

/** Resampling filter. */
export type ResizeMethod = 'area' | 'bilinear';

/** Per-output-sample taps along one axis: first source index, tap count, weights. */
interface AxisWeights {
  readonly start: Int32Array;
  readonly count: Int32Array;
  /** Offset of each output's first weight in `weights`. */
  readonly offset: Int32Array;
  readonly weights: Float32Array;
}

/** Box filter with fractional coverage: output o averages source [o·s, (o+1)·s), s = src/dst. */
function areaWeights(src: number, dst: number): AxisWeights {
  const start = new Int32Array(dst);
  const count = new Int32Array(dst);
  const offset = new Int32Array(dst);
  const list: number[] = [];
  for (let o = 0; o < dst; o++) {
    // Integer products first, so interval ends that fall on pixel edges are exact.
    const a = (o * src) / dst;
    const b = Math.min(src, ((o + 1) * src) / dst);
    const i0 = Math.floor(a);
    const i1 = Math.min(src, Math.ceil(b - 1e-9));
    start[o] = i0;
    offset[o] = list.length;
    let total = 0;
    const first = list.length;
    for (let i = i0; i < i1; i++) {
      const cover = Math.min(b, i + 1) - Math.max(a, i);
      list.push(cover);
      total += cover;
    }
    for (let j = first; j < list.length; j++) list[j] /= total;
    count[o] = list.length - first;
  }
  return { start, count, offset, weights: Float32Array.from(list) };
}

/** Linear interpolation at source position (o + 0.5)·s − 0.5, clamped at the edges. */
function bilinearWeights(src: number, dst: number): AxisWeights {
  const s = src / dst;
  const start = new Int32Array(dst);
  const count = new Int32Array(dst).fill(2);
  const offset = new Int32Array(dst);
  const weights = new Float32Array(2 * dst);
  for (let o = 0; o < dst; o++) {
    let p = (o + 0.5) * s - 0.5;
    if (p < 0) p = 0;
    let i = Math.floor(p);
    let f = p - i;
    if (i >= src - 1) {
      i = src - 1;
      f = 0;
    }
    start[o] = i;
    offset[o] = 2 * o;
    weights[2 * o] = 1 - f;
    weights[2 * o + 1] = f;
    if (f === 0) count[o] = 1;
  }
  return { start, count, offset, weights };
}

function axisWeights(src: number, dst: number, method: ResizeMethod): AxisWeights {
  return method === 'area' && dst < src ? areaWeights(src, dst) : bilinearWeights(src, dst);
}

/**
 * Resizes an image, keeping its kind (and bit depth for LDR).
 * @param img - source image (linear data gives physically correct averages)
 * @param width - output width in pixels (integer ≥ 1)
 * @param height - output height in pixels (integer ≥ 1)
 * @param method - 'area' (default): exact box-filter average with fractional pixel coverage
 *   when shrinking an axis (the mean of the image is preserved); an axis that grows falls back
 *   to bilinear. 'bilinear': linear interpolation with pixel-centre alignment, edges clamped.
 * @param options - `signal` / `onProgress`
 * @returns a new image of the same kind; the same pixels copied when the size is unchanged
 * @throws RangeError for a non-integer or < 1 size
 */
export function resize<T extends FloatImage>(
  img: T,
  width: number,
  height: number,
  method: ResizeMethod = 'area',
  options: JobOptions = {},
): T {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`resize: invalid target size ${width}×${height}`);
  }
  const c = img.channels;
  const sw = img.width;
  const sh = img.height;
  if (sw === width && sh === height) return { ...img, data: img.data.slice() };
  const wx = axisWeights(sw, width, method);
  const wy = axisWeights(sh, height, method);
  // Horizontal pass over every source row: sh × width × c.
  const mid = new Float32Array(sh * width * c);
  const src = img.data;
  const { start: xs, count: xn, offset: xo, weights: xw } = wx;
  for (let y = 0; y < sh; y++) {
    if ((y & 63) === 0) {
      throwIfAborted(options.signal);
      options.onProgress?.({ fraction: (0.5 * y) / sh, message: 'Resizing' });
    }
    const rowIn = y * sw * c;
    const rowOut = y * width * c;
    if (c === 3) {
      for (let x = 0; x < width; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        let p = rowIn + xs[x] * 3;
        const o = xo[x];
        const n = xn[x];
        for (let t = 0; t < n; t++, p += 3) {
          const k = xw[o + t];
          r += k * src[p];
          g += k * src[p + 1];
          b += k * src[p + 2];
        }
        const q = rowOut + x * 3;
        mid[q] = r;
        mid[q + 1] = g;
        mid[q + 2] = b;
      }
    } else {
      for (let x = 0; x < width; x++) {
        let v = 0;
        const p = rowIn + xs[x];
        const o = xo[x];
        const n = xn[x];
        for (let t = 0; t < n; t++) v += xw[o + t] * src[p + t];
        mid[rowOut + x] = v;
      }
    }
  }
  // Vertical pass: each output row is a weighted sum of whole mid rows.
  const rowLen = width * c;
  const out = new Float32Array(height * rowLen);
  const { start: ys, count: yn, offset: yo, weights: yw } = wy;
  for (let y = 0; y < height; y++) {
    if ((y & 63) === 0) {
      throwIfAborted(options.signal);
      options.onProgress?.({ fraction: 0.5 + (0.5 * y) / height, message: 'Resizing' });
    }
    const q = y * rowLen;
    const n = yn[y];
    for (let t = 0; t < n; t++) {
      const k = yw[yo[y] + t];
      const p = (ys[y] + t) * rowLen;
      if (t === 0) for (let i = 0; i < rowLen; i++) out[q + i] = k * mid[p + i];
      else for (let i = 0; i < rowLen; i++) out[q + i] += k * mid[p + i];
    }
  }
  options.onProgress?.({ fraction: 1, message: 'Resizing' });
  return { ...img, width, height, data: out };
}

/**
 * Halves an image by averaging 2×2 blocks (one pyramid level). Odd sizes round up: the last
 * column/row averages the edge pixels with themselves.
 * @param img - source image
 * @returns a new image of ⌈width/2⌉ × ⌈height/2⌉, same kind
 */
export function downsample2x<T extends FloatImage>(img: T): T {
  const c = img.channels;
  const sw = img.width;
  const sh = img.height;
  const w = (sw + 1) >> 1;
  const h = (sh + 1) >> 1;
  const src = img.data;
  const out = new Float32Array(w * h * c);
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * sw * c;
    const r1 = Math.min(2 * y + 1, sh - 1) * sw * c;
    const q = y * w * c;
    for (let x = 0; x < w; x++) {
      const a = 2 * x * c;
      const b = Math.min(2 * x + 1, sw - 1) * c;
      for (let k = 0; k < c; k++) {
        out[q + x * c + k] =
          0.25 * (src[r0 + a + k] + src[r0 + b + k] + src[r1 + a + k] + src[r1 + b + k]);
      }
    }
  }
  return { ...img, width: w, height: h, data: out };
}
