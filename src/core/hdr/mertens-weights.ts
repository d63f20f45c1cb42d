/**
 * Per-pixel quality weights of Mertens, Kautz & Van Reeth (2007) exposure fusion, computed as
 * OpenCV's MergeMertens does:
 *   contrast C = |Laplacian of grey| (4-neighbour kernel, mirrored borders),
 *     grey = 0.299 R + 0.587 G + 0.114 B;
 *   saturation S = standard deviation of R, G, B;
 *   well-exposedness E = Π_c exp(−(v_c − 0.5)² / (2·0.2²));
 *   W = C^wc · S^ws · E^we + 1e-12.
 */
import type { LdrImage } from '../image/image.js';

/** Exponents of the three quality measures (each ≥ 0; 0 switches a measure off). */
export interface MertensExponents {
  /** Contrast exponent wc, default 1. */
  readonly contrast?: number;
  /** Saturation exponent ws, default 1. */
  readonly saturation?: number;
  /** Well-exposedness exponent we, default 1. */
  readonly exposure?: number;
}

const LUT_SIZE = 65536;

/** Table of exp(−we·(v − 0.5)²/0.08) for v = i/65535 (exact at 8- and 16-bit codes). */
export function wellExposedLut(we: number): Float32Array {
  const lut = new Float32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) {
    const d = i / (LUT_SIZE - 1) - 0.5;
    lut[i] = Math.exp((-we * d * d) / 0.08);
  }
  return lut;
}

function lutIndex(v: number): number {
  const s = v * (LUT_SIZE - 1) + 0.5;
  return s >= LUT_SIZE - 1 ? LUT_SIZE - 1 : s > 0 ? s | 0 : 0;
}

/**
 * Mertens weight map of one frame (unnormalised).
 * @param frame - 1- or 3-channel LDR frame, values in [0, 1] (others are clamped for the LUT)
 * @param exp - measure exponents
 * @param wellLut - from {@link wellExposedLut}(exp.exposure)
 * @param grey - scratch of width·height samples (overwritten)
 * @param out - receives width·height weights (> 0)
 */
export function mertensWeights(
  frame: LdrImage,
  exp: Required<MertensExponents>,
  wellLut: Float32Array,
  grey: Float32Array,
  out: Float32Array,
): void {
  const { width: w, height: h, channels: ch, data } = frame;
  const n = w * h;
  if (ch === 3) {
    for (let p = 0, s = 0; p < n; p++, s += 3) {
      grey[p] = 0.299 * data[s] + 0.587 * data[s + 1] + 0.114 * data[s + 2];
    }
  } else {
    for (let p = 0; p < n; p++) grey[p] = data[p];
  }
  const { contrast: wc, saturation: ws } = exp;
  for (let y = 0; y < h; y++) {
    const o = y * w;
    const up = (y > 0 ? y - 1 : Math.min(1, h - 1)) * w;
    const dn = (y < h - 1 ? y + 1 : Math.max(0, h - 2)) * w;
    // Contrast |∇²grey| into out, interior columns branch-free, mirrored edges.
    for (let x = 1; x < w - 1; x++) {
      const i = o + x;
      out[i] = Math.abs(grey[i - 1] + grey[i + 1] + grey[up + x] + grey[dn + x] - 4 * grey[i]);
    }
    out[o] = edgeContrast(grey, o, up, dn, 0, w);
    if (w > 1) out[o + w - 1] = edgeContrast(grey, o, up, dn, w - 1, w);
    if (ch === 3) {
      for (let x = 0, s = 3 * o; x < w; x++, s += 3) {
        const R = data[s];
        const G = data[s + 1];
        const B = data[s + 2];
        const m = (R + G + B) * (1 / 3);
        const dr = R - m;
        const dg = G - m;
        const db = B - m;
        let sat = Math.sqrt((dr * dr + dg * dg + db * db) * (1 / 3));
        if (ws !== 1) sat = Math.pow(sat, ws);
        let c = out[o + x];
        if (wc !== 1) c = Math.pow(c, wc);
        const wgt = c * sat * wellLut[lutIndex(R)] * wellLut[lutIndex(G)] * wellLut[lutIndex(B)];
        // NaN input must not poison the normalisation.
        out[o + x] = wgt >= 0 && wgt < Infinity ? wgt + 1e-12 : 1e-12;
      }
    } else {
      for (let x = 0; x < w; x++) {
        let c = out[o + x];
        if (wc !== 1) c = Math.pow(c, wc);
        const wgt = c * wellLut[lutIndex(data[o + x])];
        out[o + x] = wgt >= 0 && wgt < Infinity ? wgt + 1e-12 : 1e-12;
      }
    }
  }
}

function edgeContrast(
  grey: Float32Array,
  o: number,
  up: number,
  dn: number,
  x: number,
  w: number,
): number {
  const l = x > 0 ? x - 1 : Math.min(1, w - 1);
  const r = x < w - 1 ? x + 1 : Math.max(0, w - 2);
  return Math.abs(grey[o + l] + grey[o + r] + grey[up + x] + grey[dn + x] - 4 * grey[o + x]);
}
