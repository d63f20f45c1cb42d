/**
 * Image-pyramid operators on single float planes for the gradient-domain operators (fattal02,
 * mantiuk06): a 2× decimation D with the separable kernel [1 3 3 1]/8 (clamped borders), its
 * exact adjoint Dᵀ (so Dᵀ·L·D stays symmetric for conjugate gradients; 4·Dᵀ is bilinear-like
 * upsampling), and bilinear resampling between arbitrary sizes.
 */

/** Size of the next coarser level: ⌈n / 2⌉. */
export function halfSize(n: number): number {
  return (n + 1) >> 1;
}

/**
 * D: 2× decimation with [1 3 3 1]/8 in x and y. Writes a halfSize(w)×halfSize(h) plane.
 * @param tmp - scratch of at least halfSize(w)·h samples
 */
export function downsample(
  src: Float32Array,
  w: number,
  h: number,
  dst: Float32Array,
  tmp: Float32Array = new Float32Array(halfSize(w) * h),
): void {
  const ow = halfSize(w);
  const oh = halfSize(h);
  const xm = w - 1;
  for (let y = 0; y < h; y++) {
    const o = y * w;
    const t = y * ow;
    for (let i = 0; i < ow; i++) {
      const a = 2 * i;
      const x0 = a > 0 ? a - 1 : 0;
      const x2 = a + 1 < xm ? a + 1 : xm;
      const x3 = a + 2 < xm ? a + 2 : xm;
      tmp[t + i] = 0.125 * (src[o + x0] + src[o + x3]) + 0.375 * (src[o + a] + src[o + x2]);
    }
  }
  const ym = h - 1;
  for (let j = 0; j < oh; j++) {
    const a = 2 * j;
    const r0 = (a > 0 ? a - 1 : 0) * ow;
    const r1 = a * ow;
    const r2 = (a + 1 < ym ? a + 1 : ym) * ow;
    const r3 = (a + 2 < ym ? a + 2 : ym) * ow;
    const o = j * ow;
    for (let i = 0; i < ow; i++) {
      dst[o + i] = 0.125 * (tmp[r0 + i] + tmp[r3 + i]) + 0.375 * (tmp[r1 + i] + tmp[r2 + i]);
    }
  }
}

/**
 * Dᵀ: exact adjoint of {@link downsample}. ADDS Dᵀ·src (src halfSize(w)×halfSize(h)) into the
 * w×h plane dst.
 * @param tmp - scratch of at least halfSize(w)·h samples
 */
export function downsampleAdjointAdd(
  src: Float32Array,
  w: number,
  h: number,
  dst: Float32Array,
  tmp: Float32Array = new Float32Array(halfSize(w) * h),
): void {
  const ow = halfSize(w);
  const oh = halfSize(h);
  tmp.fill(0, 0, ow * h);
  const ym = h - 1;
  for (let j = 0; j < oh; j++) {
    const a = 2 * j;
    const r0 = (a > 0 ? a - 1 : 0) * ow;
    const r1 = a * ow;
    const r2 = (a + 1 < ym ? a + 1 : ym) * ow;
    const r3 = (a + 2 < ym ? a + 2 : ym) * ow;
    const o = j * ow;
    for (let i = 0; i < ow; i++) {
      const v = src[o + i];
      const e = 0.125 * v;
      const m = 0.375 * v;
      tmp[r0 + i] += e;
      tmp[r1 + i] += m;
      tmp[r2 + i] += m;
      tmp[r3 + i] += e;
    }
  }
  const xm = w - 1;
  for (let y = 0; y < h; y++) {
    const o = y * w;
    const t = y * ow;
    for (let i = 0; i < ow; i++) {
      const v = tmp[t + i];
      const a = 2 * i;
      const x0 = a > 0 ? a - 1 : 0;
      const x2 = a + 1 < xm ? a + 1 : xm;
      const x3 = a + 2 < xm ? a + 2 : xm;
      dst[o + x0] += 0.125 * v;
      dst[o + a] += 0.375 * v;
      dst[o + x2] += 0.375 * v;
      dst[o + x3] += 0.125 * v;
    }
  }
}

/**
 * Bilinear resampling of a sw×sh plane to dw×dh (pixel centres aligned, clamped borders).
 * @returns dst
 */
export function resampleBilinear(
  src: Float32Array,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
  dst: Float32Array = new Float32Array(dw * dh),
): Float32Array {
  const x0s = new Int32Array(dw);
  const x1s = new Int32Array(dw);
  const fxs = new Float32Array(dw);
  const kx = sw / dw;
  for (let x = 0; x < dw; x++) {
    let f = (x + 0.5) * kx - 0.5;
    if (f < 0) f = 0;
    if (f > sw - 1) f = sw - 1;
    const i = Math.floor(f);
    x0s[x] = i;
    x1s[x] = Math.min(sw - 1, i + 1);
    fxs[x] = f - i;
  }
  const ky = sh / dh;
  for (let y = 0; y < dh; y++) {
    let f = (y + 0.5) * ky - 0.5;
    if (f < 0) f = 0;
    if (f > sh - 1) f = sh - 1;
    const j = Math.floor(f);
    const fy = f - j;
    const r0 = j * sw;
    const r1 = Math.min(sh - 1, j + 1) * sw;
    const o = y * dw;
    for (let x = 0; x < dw; x++) {
      const a = x0s[x];
      const b = x1s[x];
      const t = fxs[x];
      const top = src[r0 + a] + t * (src[r0 + b] - src[r0 + a]);
      const bot = src[r1 + a] + t * (src[r1 + b] - src[r1 + a]);
      dst[o + x] = top + fy * (bot - top);
    }
  }
  return dst;
}
