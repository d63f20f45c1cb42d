/**
 * Structural similarity (Wang, Bovik, Sheikh & Simoncelli 2004, "Image quality assessment:
 * from error visibility to structural similarity"), with the paper's reference settings:
 * 11×11 Gaussian window, σ = 1.5, K1 = 0.01, K2 = 0.03. Local statistics are taken only where
 * the whole window fits inside the image ("valid" region, as in the authors' ssim_index.m and
 * scikit-image), and the SSIM map is averaged over that region. Colour images: the mean of
 * the per-channel SSIMs (as scikit-image's channel_axis and most deep-learning code do), or
 * optionally SSIM of the Rec. 709 luminance.
 */
import { InvalidInputError } from '../errors.js';
import { luminance } from '../image/luminance.js';
import { throwIfAborted } from '../job.js';
import type { FloatImage } from '../image/image.js';
import type { JobOptions } from '../job.js';
import { assertSameShape } from './psnr.js';

/** Options of {@link ssim}. */
export interface SsimOptions extends JobOptions {
  /** Dynamic range L of the data (> 0): 1 for values in 0…1, 255 for 8-bit codes. Default 1. */
  readonly peak?: number;
  /** 'channels' (default): mean of per-channel SSIM; 'luminance': SSIM of Rec. 709 Y. */
  readonly mode?: 'channels' | 'luminance';
}

const WINDOW = 11;
const SIGMA = 1.5;
const K1 = 0.01;
const K2 = 0.03;
const ZERO_OFFS = new Int32Array(WINDOW);

function gaussianWindow(size: number): Float64Array {
  const r = (size - 1) / 2;
  const k = new Float64Array(size);
  let s = 0;
  for (let i = 0; i < size; i++) {
    k[i] = Math.exp(-((i - r) * (i - r)) / (2 * SIGMA * SIGMA));
    s += k[i];
  }
  for (let i = 0; i < size; i++) k[i] /= s;
  return k;
}

/**
 * Mean SSIM of one channel of two interleaved buffers, streaming rows through a ring buffer of
 * horizontally filtered statistics (no full-size temporaries).
 */
function ssimChannel(
  a: Float32Array,
  b: Float32Array,
  w: number,
  h: number,
  stride: number,
  ch: number,
  peak: number,
  options: JobOptions,
  progressBase: number,
  progressSpan: number,
): number {
  const m = Math.min(WINDOW, w, h);
  const win = m % 2 === 1 ? m : m - 1;
  const k = gaussianWindow(win);
  const wv = w - win + 1;
  const hv = h - win + 1;
  const c1 = (K1 * peak) ** 2;
  const c2 = (K2 * peak) ** 2;
  const half = (win - 1) >> 1;
  // The 11-tap kernel's distinct weights (centre k5), for the unrolled common case.
  const [k0, k1, k2, k3, k4, k5] = win === WINDOW ? k : [0, 0, 0, 0, 0, 0];
  // Ring of `win` rows × 5 statistics (μx, μy, E[x²], E[y²], E[xy]) filtered horizontally.
  const ring = new Float64Array(win * 5 * wv);
  // The current row's samples and products, as 5 consecutive planes of width w.
  const row = new Float64Array(5 * w);
  const offs = new Int32Array(win);
  let total = 0;
  for (let y = 0; y < h; y++) {
    if ((y & 31) === 0) {
      throwIfAborted(options.signal);
      options.onProgress?.({ fraction: progressBase + (progressSpan * y) / h, message: 'SSIM' });
    }
    for (let x = 0, i = y * w * stride + ch; x < w; x++, i += stride) {
      const vx = a[i];
      const vy = b[i];
      row[x] = vx;
      row[w + x] = vy;
      row[2 * w + x] = vx * vx;
      row[3 * w + x] = vy * vy;
      row[4 * w + x] = vx * vy;
    }
    // Horizontal pass, using the kernel's symmetry k[j] = k[win − 1 − j].
    const base = (y % win) * 5 * wv;
    for (let s = 0; s < 5; s++) {
      const src = s * w;
      const dst = base + s * wv;
      if (win === WINDOW) {
        for (let x = 0; x < wv; x++) {
          const c = src + x + 5;
          ring[dst + x] =
            k5 * row[c] +
            k4 * (row[c - 1] + row[c + 1]) +
            k3 * (row[c - 2] + row[c + 2]) +
            k2 * (row[c - 3] + row[c + 3]) +
            k1 * (row[c - 4] + row[c + 4]) +
            k0 * (row[c - 5] + row[c + 5]);
        }
      } else {
        for (let x = 0; x < wv; x++) {
          const c = src + x + half;
          let acc = k[half] * row[c];
          for (let j = 1; j <= half; j++) acc += k[half + j] * (row[c - j] + row[c + j]);
          ring[dst + x] = acc;
        }
      }
    }
    if (y < win - 1) continue;
    for (let j = 0; j < win; j++) offs[j] = ((y - win + 1 + j) % win) * 5 * wv;
    const oc = offs[half];
    const [o0, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10] = win === WINDOW ? offs : ZERO_OFFS;
    let rowSum = 0;
    for (let x = 0; x < wv; x++) {
      let mx: number, my: number, exx: number, eyy: number, exy: number;
      if (win === WINDOW) {
        mx =
          k5 * ring[o5 + x] +
          k4 * (ring[o4 + x] + ring[o6 + x]) +
          k3 * (ring[o3 + x] + ring[o7 + x]) +
          k2 * (ring[o2 + x] + ring[o8 + x]) +
          k1 * (ring[o1 + x] + ring[o9 + x]) +
          k0 * (ring[o0 + x] + ring[o10 + x]);
        let q = x + wv;
        my =
          k5 * ring[o5 + q] +
          k4 * (ring[o4 + q] + ring[o6 + q]) +
          k3 * (ring[o3 + q] + ring[o7 + q]) +
          k2 * (ring[o2 + q] + ring[o8 + q]) +
          k1 * (ring[o1 + q] + ring[o9 + q]) +
          k0 * (ring[o0 + q] + ring[o10 + q]);
        q += wv;
        exx =
          k5 * ring[o5 + q] +
          k4 * (ring[o4 + q] + ring[o6 + q]) +
          k3 * (ring[o3 + q] + ring[o7 + q]) +
          k2 * (ring[o2 + q] + ring[o8 + q]) +
          k1 * (ring[o1 + q] + ring[o9 + q]) +
          k0 * (ring[o0 + q] + ring[o10 + q]);
        q += wv;
        eyy =
          k5 * ring[o5 + q] +
          k4 * (ring[o4 + q] + ring[o6 + q]) +
          k3 * (ring[o3 + q] + ring[o7 + q]) +
          k2 * (ring[o2 + q] + ring[o8 + q]) +
          k1 * (ring[o1 + q] + ring[o9 + q]) +
          k0 * (ring[o0 + q] + ring[o10 + q]);
        q += wv;
        exy =
          k5 * ring[o5 + q] +
          k4 * (ring[o4 + q] + ring[o6 + q]) +
          k3 * (ring[o3 + q] + ring[o7 + q]) +
          k2 * (ring[o2 + q] + ring[o8 + q]) +
          k1 * (ring[o1 + q] + ring[o9 + q]) +
          k0 * (ring[o0 + q] + ring[o10 + q]);
      } else {
        const kc = k[half];
        let o = oc + x;
        mx = kc * ring[o];
        my = kc * ring[o + wv];
        exx = kc * ring[o + 2 * wv];
        eyy = kc * ring[o + 3 * wv];
        exy = kc * ring[o + 4 * wv];
        for (let j = 1; j <= half; j++) {
          const kj = k[half + j];
          o = offs[half - j] + x;
          const p = offs[half + j] + x;
          mx += kj * (ring[o] + ring[p]);
          my += kj * (ring[o + wv] + ring[p + wv]);
          exx += kj * (ring[o + 2 * wv] + ring[p + 2 * wv]);
          eyy += kj * (ring[o + 3 * wv] + ring[p + 3 * wv]);
          exy += kj * (ring[o + 4 * wv] + ring[p + 4 * wv]);
        }
      }
      const mxy = mx * my;
      const mxx = mx * mx;
      const myy = my * my;
      rowSum +=
        ((2 * mxy + c1) * (2 * (exy - mxy) + c2)) /
        ((mxx + myy + c1) * (exx - mxx + (eyy - myy) + c2));
    }
    total += rowSum;
  }
  return total / (wv * hv);
}

/**
 * Mean structural similarity of two images.
 * @param a - test image
 * @param b - reference image (same width, height, channels). Images smaller than 11 pixels
 *   in a dimension use a window shrunk to the largest odd size that fits (σ stays 1.5).
 * @param options - `peak` (dynamic range L, default 1), `mode`, `signal`, `onProgress`
 * @returns SSIM in −1…1: 1 for identical images; NaN if either image holds NaN or ±∞
 * @throws InvalidInputError on a size mismatch or a non-positive peak
 */
export function ssim(a: FloatImage, b: FloatImage, options: SsimOptions = {}): number {
  assertSameShape(a, b, 'ssim');
  const peak = options.peak ?? 1;
  if (!(peak > 0)) throw new InvalidInputError(`ssim: peak must be > 0, got ${peak}`);
  const { width: w, height: h } = a;
  if (options.mode === 'luminance' && a.channels === 3) {
    return ssimChannel(luminance(a), luminance(b), w, h, 1, 0, peak, options, 0, 1);
  }
  const c = a.channels;
  let s = 0;
  for (let ch = 0; ch < c; ch++) {
    s += ssimChannel(a.data, b.data, w, h, c, ch, peak, options, ch / c, 1 / c);
  }
  options.onProgress?.({ fraction: 1, message: 'SSIM' });
  return s / c;
}
