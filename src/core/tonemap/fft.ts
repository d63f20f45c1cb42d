/**
 * Complex FFT of any length, in double precision, for the DCT-based Poisson solver.
 *
 * Lengths whose prime factors are all ≤ 31 use a mixed-radix Stockham autosort FFT (special
 * butterflies for radix 2 and 4, a generic DFT butterfly for 3, 5, 7 … 31). Lengths with a
 * larger prime factor use Bluestein's chirp-z algorithm on a power-of-two FFT. Both are
 * O(n log n). Plans precompute twiddles and scratch, so transforms allocate nothing.
 */

const MAX_DIRECT_RADIX = 31;

function factorize(n: number): number[] | null {
  const f: number[] = [];
  let m = n;
  while (m % 4 === 0) {
    f.push(4);
    m /= 4;
  }
  if (m % 2 === 0) {
    f.push(2);
    m /= 2;
  }
  for (let p = 3; p <= MAX_DIRECT_RADIX && m > 1; p += 2) {
    while (m % p === 0) {
      f.push(p);
      m /= p;
    }
  }
  return m === 1 ? f : null;
}

interface Stage {
  readonly p: number;
  readonly ns: number;
  /** cos/sin of −2π·r·k/(ns·p), index k·p + r. */
  readonly twRe: Float64Array;
  readonly twIm: Float64Array;
  /** cos/sin of −2π·q/p, q = 0…p−1 (the p-point DFT's roots). */
  readonly rootRe: Float64Array;
  readonly rootIm: Float64Array;
}

/** A reusable FFT of one length. Not thread-safe (owns scratch buffers). */
export class FftPlan {
  readonly n: number;
  private readonly stages: Stage[] = [];
  private readonly sRe: Float64Array;
  private readonly sIm: Float64Array;
  private readonly vRe: Float64Array;
  private readonly vIm: Float64Array;
  // Bluestein
  private readonly blue: FftPlan | null = null;
  private readonly chirpRe: Float64Array | null = null;
  private readonly chirpIm: Float64Array | null = null;
  private readonly kernRe: Float64Array | null = null;
  private readonly kernIm: Float64Array | null = null;

  /** @param n - transform length, integer ≥ 1 */
  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT length must be ≥ 1, got ${n}`);
    this.n = n;
    const factors = factorize(n);
    const maxP = factors ? Math.max(1, ...factors) : 1;
    this.vRe = new Float64Array(maxP);
    this.vIm = new Float64Array(maxP);
    if (factors) {
      this.sRe = new Float64Array(n);
      this.sIm = new Float64Array(n);
      let ns = 1;
      for (const p of factors) {
        const twRe = new Float64Array(ns * p);
        const twIm = new Float64Array(ns * p);
        for (let k = 0; k < ns; k++) {
          for (let r = 0; r < p; r++) {
            const a = (-2 * Math.PI * r * k) / (ns * p);
            twRe[k * p + r] = Math.cos(a);
            twIm[k * p + r] = Math.sin(a);
          }
        }
        const rootRe = new Float64Array(p);
        const rootIm = new Float64Array(p);
        for (let q = 0; q < p; q++) {
          rootRe[q] = Math.cos((-2 * Math.PI * q) / p);
          rootIm[q] = Math.sin((-2 * Math.PI * q) / p);
        }
        this.stages.push({ p, ns, twRe, twIm, rootRe, rootIm });
        ns *= p;
      }
    } else {
      let m = 1;
      while (m < 2 * n - 1) m *= 2;
      this.blue = new FftPlan(m);
      this.sRe = new Float64Array(m);
      this.sIm = new Float64Array(m);
      this.chirpRe = new Float64Array(n);
      this.chirpIm = new Float64Array(n);
      this.kernRe = new Float64Array(m);
      this.kernIm = new Float64Array(m);
      for (let k = 0; k < n; k++) {
        const a = (-Math.PI * ((k * k) % (2 * n))) / n;
        this.chirpRe[k] = Math.cos(a);
        this.chirpIm[k] = Math.sin(a);
      }
      for (let k = 0; k < n; k++) {
        this.kernRe[k] = this.chirpRe[k];
        this.kernIm[k] = -this.chirpIm[k];
        if (k > 0) {
          this.kernRe[m - k] = this.chirpRe[k];
          this.kernIm[m - k] = -this.chirpIm[k];
        }
      }
      this.blue.forward(this.kernRe, this.kernIm);
    }
  }

  /** In-place forward DFT X[k] = Σ x[j]·e^(−2πi·jk/n) of re/im (length ≥ n; first n used). */
  forward(re: Float64Array, im: Float64Array): void {
    if (this.blue) this.bluestein(re, im);
    else this.stockham(re, im);
  }

  /** In-place inverse DFT with 1/n normalisation (exact inverse of {@link forward}). */
  inverse(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    for (let i = 0; i < n; i++) im[i] = -im[i];
    this.forward(re, im);
    const s = 1 / n;
    for (let i = 0; i < n; i++) {
      re[i] *= s;
      im[i] = -im[i] * s;
    }
  }

  private stockham(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    let xr = re;
    let xi = im;
    let yr = this.sRe;
    let yi = this.sIm;
    for (const st of this.stages) {
      const { p, ns, twRe, twIm } = st;
      const m = n / p;
      if (p === 2) {
        for (let j = 0; j < m; j++) {
          const k = j % ns;
          const wr = twRe[k * 2 + 1];
          const wi = twIm[k * 2 + 1];
          const ar = xr[j];
          const ai = xi[j];
          const br0 = xr[j + m];
          const bi0 = xi[j + m];
          const br = br0 * wr - bi0 * wi;
          const bi = br0 * wi + bi0 * wr;
          const o = (j - k) * 2 + k;
          yr[o] = ar + br;
          yi[o] = ai + bi;
          yr[o + ns] = ar - br;
          yi[o + ns] = ai - bi;
        }
      } else if (p === 4) {
        for (let j = 0; j < m; j++) {
          const k = j % ns;
          const t = k * 4;
          const ar = xr[j];
          const ai = xi[j];
          let u = xr[j + m];
          let v = xi[j + m];
          const br = u * twRe[t + 1] - v * twIm[t + 1];
          const bi = u * twIm[t + 1] + v * twRe[t + 1];
          u = xr[j + 2 * m];
          v = xi[j + 2 * m];
          const cr = u * twRe[t + 2] - v * twIm[t + 2];
          const ci = u * twIm[t + 2] + v * twRe[t + 2];
          u = xr[j + 3 * m];
          v = xi[j + 3 * m];
          const dr = u * twRe[t + 3] - v * twIm[t + 3];
          const di = u * twIm[t + 3] + v * twRe[t + 3];
          const s0r = ar + cr;
          const s0i = ai + ci;
          const s1r = ar - cr;
          const s1i = ai - ci;
          const s2r = br + dr;
          const s2i = bi + di;
          const s3r = br - dr;
          const s3i = bi - di;
          const o = (j - k) * 4 + k;
          yr[o] = s0r + s2r;
          yi[o] = s0i + s2i;
          // −i·s3
          yr[o + ns] = s1r + s3i;
          yi[o + ns] = s1i - s3r;
          yr[o + 2 * ns] = s0r - s2r;
          yi[o + 2 * ns] = s0i - s2i;
          yr[o + 3 * ns] = s1r - s3i;
          yi[o + 3 * ns] = s1i + s3r;
        }
      } else {
        this.genericStage(xr, xi, yr, yi, st, m);
      }
      const tr = xr;
      const ti = xi;
      xr = yr;
      xi = yi;
      yr = tr;
      yi = ti;
    }
    if (xr !== re) {
      for (let i = 0; i < n; i++) {
        re[i] = xr[i];
        im[i] = xi[i];
      }
    }
  }

  private genericStage(
    xr: Float64Array,
    xi: Float64Array,
    yr: Float64Array,
    yi: Float64Array,
    st: Stage,
    m: number,
  ): void {
    const { p, ns, twRe, twIm, rootRe: rr, rootIm: ri } = st;
    const vr = this.vRe;
    const vi = this.vIm;
    for (let j = 0; j < m; j++) {
      const k = j % ns;
      for (let r = 0; r < p; r++) {
        const u = xr[j + r * m];
        const v = xi[j + r * m];
        const wr = twRe[k * p + r];
        const wi = twIm[k * p + r];
        vr[r] = u * wr - v * wi;
        vi[r] = u * wi + v * wr;
      }
      const o = (j - k) * p + k;
      for (let s = 0; s < p; s++) {
        let sr = 0;
        let si = 0;
        let q = 0;
        for (let r = 0; r < p; r++) {
          const wr = rr[q];
          const wi = ri[q];
          q += s;
          if (q >= p) q -= p;
          sr += vr[r] * wr - vi[r] * wi;
          si += vr[r] * wi + vi[r] * wr;
        }
        yr[o + s * ns] = sr;
        yi[o + s * ns] = si;
      }
    }
  }

  private bluestein(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    const blue = this.blue as FftPlan;
    const cr = this.chirpRe as Float64Array;
    const ci = this.chirpIm as Float64Array;
    const kr = this.kernRe as Float64Array;
    const ki = this.kernIm as Float64Array;
    const ar = this.sRe;
    const ai = this.sIm;
    ar.fill(0);
    ai.fill(0);
    for (let k = 0; k < n; k++) {
      ar[k] = re[k] * cr[k] - im[k] * ci[k];
      ai[k] = re[k] * ci[k] + im[k] * cr[k];
    }
    blue.forward(ar, ai);
    for (let k = 0; k < ar.length; k++) {
      const u = ar[k] * kr[k] - ai[k] * ki[k];
      ai[k] = ar[k] * ki[k] + ai[k] * kr[k];
      ar[k] = u;
    }
    blue.inverse(ar, ai);
    for (let k = 0; k < n; k++) {
      re[k] = ar[k] * cr[k] - ai[k] * ci[k];
      im[k] = ar[k] * ci[k] + ai[k] * cr[k];
    }
  }
}
