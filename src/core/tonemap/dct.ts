/**
 * Fast type-II DCT (and its exact inverse, a scaled DCT-III) along the rows of a float plane,
 * via one complex FFT of the same length per PAIR of rows (Makhoul 1980 reordering; the two
 * real rows travel as the real and imaginary parts of one complex sequence).
 *
 * Convention (unnormalised): X[k] = Σₙ x[n]·cos(π·k·(2n+1) / (2N)), k = 0…N−1.
 */
import { FftPlan } from './fft.js';

/** DCT-II of one length, reusable; owns its scratch (not thread-safe). */
export class DctPlan {
  readonly n: number;
  private readonly fft: FftPlan;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly c: Float64Array;
  private readonly s: Float64Array;

  /** @param n - row length, ≥ 1 */
  constructor(n: number) {
    this.n = n;
    this.fft = new FftPlan(n);
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
    this.c = new Float64Array(n);
    this.s = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const t = (Math.PI * k) / (2 * n);
      this.c[k] = Math.cos(t);
      this.s[k] = Math.sin(t);
    }
  }

  /**
   * Forward DCT-II of rows a and b (offsets into `data`, each n samples), in place.
   * Pass b = −1 to transform a single row.
   */
  forwardPair(data: Float32Array, a: number, b: number): void {
    const n = this.n;
    const re = this.re;
    const im = this.im;
    const half = (n + 1) >> 1;
    for (let j = 0; j < half; j++) {
      re[j] = data[a + 2 * j];
      im[j] = b >= 0 ? data[b + 2 * j] : 0;
    }
    for (let j = 0; 2 * j + 1 < n; j++) {
      re[n - 1 - j] = data[a + 2 * j + 1];
      im[n - 1 - j] = b >= 0 ? data[b + 2 * j + 1] : 0;
    }
    this.fft.forward(re, im);
    const c = this.c;
    const s = this.s;
    for (let k = 0; k < n; k++) {
      const q = k === 0 ? 0 : n - k;
      const zr = re[k];
      const zi = im[k];
      const wr = re[q];
      const wi = im[q];
      // A = (Z[k] + conj Z[n−k]) / 2, B = (Z[k] − conj Z[n−k]) / (2i)
      const arr = 0.5 * (zr + wr);
      const ari = 0.5 * (zi - wi);
      const brr = 0.5 * (zi + wi);
      const bri = -0.5 * (zr - wr);
      data[a + k] = c[k] * arr + s[k] * ari;
      if (b >= 0) data[b + k] = c[k] * brr + s[k] * bri;
    }
  }

  /** Inverse of {@link forwardPair} (rows a and b in place; b = −1 for a single row). */
  inversePair(data: Float32Array, a: number, b: number): void {
    const n = this.n;
    const re = this.re;
    const im = this.im;
    const c = this.c;
    const s = this.s;
    for (let k = 0; k < n; k++) {
      const xa = data[a + k];
      const xan = k === 0 ? 0 : data[a + n - k];
      const xb = b >= 0 ? data[b + k] : 0;
      const xbn = b >= 0 && k > 0 ? data[b + n - k] : 0;
      // V = e^{iθ}(X[k] − i·X[n−k])
      const var_ = c[k] * xa + s[k] * xan;
      const vai = s[k] * xa - c[k] * xan;
      const vbr = c[k] * xb + s[k] * xbn;
      const vbi = s[k] * xb - c[k] * xbn;
      re[k] = var_ - vbi;
      im[k] = vai + vbr;
    }
    this.fft.inverse(re, im);
    const half = (n + 1) >> 1;
    for (let j = 0; j < half; j++) {
      data[a + 2 * j] = re[j];
      if (b >= 0) data[b + 2 * j] = im[j];
    }
    for (let j = 0; 2 * j + 1 < n; j++) {
      data[a + 2 * j + 1] = re[n - 1 - j];
      if (b >= 0) data[b + 2 * j + 1] = im[n - 1 - j];
    }
  }
}

/**
 * DCT-II (or its inverse) of every row of a width×height plane, in place.
 * @param inverse - false: forward DCT-II; true: exact inverse
 */
export function dctRows(
  plane: Float32Array,
  width: number,
  height: number,
  inverse: boolean,
  plan: DctPlan = new DctPlan(width),
): void {
  for (let y = 0; y < height; y += 2) {
    const a = y * width;
    const b = y + 1 < height ? a + width : -1;
    if (inverse) plan.inversePair(plane, a, b);
    else plan.forwardPair(plane, a, b);
  }
}
