/**
 * Gaussian and Laplacian image pyramids of single-channel float planes, with the 5-tap binomial
 * kernel [1 4 6 4 1]/16 like OpenCV's pyrDown / pyrUp: reduce keeps ⌈w/2⌉ × ⌈h/2⌉ samples,
 * expand inserts zeros and filters with 4× the kernel. Borders reflect without repeating the
 * edge sample (…2 1 | 0 1 2…). Any size works, odd or even, down to 1 × 1.
 */

/** One single-channel float plane, row-major. */
export interface Plane {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Creates a zeroed plane. */
export function createPlane(width: number, height: number): Plane {
  return { data: new Float32Array(width * height), width, height };
}

function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i;
  return i;
}

/**
 * Number of pyramid levels OpenCV's MergeMertens uses: ⌊log2(min(w, h))⌋ + 1 (base included).
 */
export function defaultLevels(width: number, height: number): number {
  return Math.floor(Math.log2(Math.min(width, height))) + 1;
}

/**
 * Reduces a plane by 2: blur with [1 4 6 4 1]/16 in both directions, keep even samples.
 * @returns a new plane of ⌈w/2⌉ × ⌈h/2⌉
 */
export function pyrDown(src: Plane): Plane {
  const { width: w, height: h, data: s } = src;
  const dw = (w + 1) >> 1;
  const dh = (h + 1) >> 1;
  const out = new Float32Array(dw * dh);
  const t = new Float32Array(w);
  for (let y = 0; y < dh; y++) {
    const r0 = reflect(2 * y - 2, h) * w;
    const r1 = reflect(2 * y - 1, h) * w;
    const r2 = reflect(2 * y, h) * w;
    const r3 = reflect(2 * y + 1, h) * w;
    const r4 = reflect(2 * y + 2, h) * w;
    for (let x = 0; x < w; x++) {
      t[x] = s[r0 + x] + s[r4 + x] + 4 * (s[r1 + x] + s[r3 + x]) + 6 * s[r2 + x];
    }
    const o = y * dw;
    // Interior columns need no reflection: 2x − 2 ≥ 0 and 2x + 2 ≤ w − 1.
    const xEnd = Math.min(dw, (w - 1) >> 1);
    for (let x = 1; x < xEnd; x++) {
      const c = 2 * x;
      out[o + x] = (t[c - 2] + t[c + 2] + 4 * (t[c - 1] + t[c + 1]) + 6 * t[c]) * (1 / 256);
    }
    out[o] = downBorder(t, w, 0);
    for (let x = Math.max(1, xEnd); x < dw; x++) out[o + x] = downBorder(t, w, x);
  }
  return { data: out, width: dw, height: dh };
}

function downBorder(t: Float32Array, w: number, x: number): number {
  const c = 2 * x;
  const outer = t[reflect(c - 2, w)] + t[reflect(c + 2, w)];
  const inner = t[reflect(c - 1, w)] + t[reflect(c + 1, w)];
  return (outer + 4 * inner + 6 * t[c]) * (1 / 256);
}

/** Expanded row Y (of an H-row, W-wide result) of `src` into u (1/64 scale folded in). */
function expandRow(
  src: Plane,
  Y: number,
  W: number,
  H: number,
  t: Float32Array,
  u: Float32Array,
): void {
  const { width: w, data: s } = src;
  if ((Y & 1) === 0) {
    const a = (reflect(Y - 2, H) >> 1) * w;
    const b = (Y >> 1) * w;
    const c = (reflect(Y + 2, H) >> 1) * w;
    for (let x = 0; x < w; x++) t[x] = (s[a + x] + 6 * s[b + x] + s[c + x]) * (1 / 64);
  } else {
    const a = (Y >> 1) * w;
    const c = (reflect(Y + 1, H) >> 1) * w;
    for (let x = 0; x < w; x++) t[x] = (s[a + x] + s[c + x]) * (4 / 64);
  }
  // Even X = 2x: t[x−1] + 6t[x] + t[x+1]; odd X = 2x+1: 4(t[x] + t[x+1]).
  const xEnd = Math.min(w - 1, (W - 1) >> 1); // interior: x+1 < w and 2x+1 < W
  for (let x = 1; x < xEnd; x++) {
    u[2 * x] = t[x - 1] + 6 * t[x] + t[x + 1];
    u[2 * x + 1] = 4 * (t[x] + t[x + 1]);
  }
  for (let X = 0; X < W; X++) {
    const x = X >> 1;
    if (x >= 1 && x < xEnd) {
      X = 2 * xEnd - 1;
      continue;
    }
    u[X] =
      (X & 1) === 0
        ? t[reflect(X - 2, W) >> 1] + 6 * t[x] + t[reflect(X + 2, W) >> 1]
        : 4 * (t[x] + t[reflect(X + 1, W) >> 1]);
  }
}

function checkExpand(src: Plane, W: number, H: number): void {
  if ((W + 1) >> 1 !== src.width || (H + 1) >> 1 !== src.height) {
    throw new RangeError(`pyrUp: ${src.width}×${src.height} does not expand to ${W}×${H}`);
  }
}

/**
 * Expands `src` to the size of `dst` (which must be the level below: ⌈W/2⌉ × ⌈H/2⌉ = src size)
 * and adds `sign` × the result into `dst` in place. Even output samples take (1 6 1)/8 of their
 * source neighbours, odd ones (4 4)/8, per axis.
 */
export function pyrUpAdd(src: Plane, dst: Plane, sign: 1 | -1 = 1): void {
  const { width: W, height: H, data: d } = dst;
  checkExpand(src, W, H);
  const t = new Float32Array(src.width);
  const u = new Float32Array(W);
  for (let Y = 0; Y < H; Y++) {
    expandRow(src, Y, W, H, t, u);
    const o = Y * W;
    if (sign > 0) for (let X = 0; X < W; X++) d[o + X] += u[X];
    else for (let X = 0; X < W; X++) d[o + X] -= u[X];
  }
}

/**
 * Fused Laplacian blend step: acc += (gauss − expand(next)) · weight, sample by sample, where
 * `next` is pyrDown(gauss). All of gauss / weight / acc have gauss's size.
 */
export function pyrUpBlend(
  next: Plane,
  gauss: Plane,
  weight: Float32Array,
  acc: Float32Array,
): void {
  const { width: W, height: H, data: g } = gauss;
  checkExpand(next, W, H);
  const t = new Float32Array(next.width);
  const u = new Float32Array(W);
  for (let Y = 0; Y < H; Y++) {
    expandRow(next, Y, W, H, t, u);
    const o = Y * W;
    for (let X = 0; X < W; X++) acc[o + X] += (g[o + X] - u[X]) * weight[o + X];
  }
}

/**
 * Gaussian pyramid: level 0 is a copy of `base`, each next level is pyrDown of the previous.
 * @param levels - number of levels including the base (≥ 1); default {@link defaultLevels}
 */
export function gaussianPyramid(
  base: Plane,
  levels = defaultLevels(base.width, base.height),
): Plane[] {
  const pyr: Plane[] = [{ data: base.data.slice(), width: base.width, height: base.height }];
  for (let i = 1; i < levels; i++) pyr.push(pyrDown(pyr[i - 1]));
  return pyr;
}

/**
 * Laplacian pyramid: level i = G_i − expand(G_{i+1}); the last level is the coarsest Gaussian
 * level. {@link collapse} inverts it exactly (to float rounding).
 * @param levels - number of levels including the base (≥ 1)
 */
export function laplacianPyramid(
  base: Plane,
  levels = defaultLevels(base.width, base.height),
): Plane[] {
  const pyr = gaussianPyramid(base, levels);
  for (let i = 0; i < pyr.length - 1; i++) pyrUpAdd(pyr[i + 1], pyr[i], -1);
  return pyr;
}

/**
 * Rebuilds the base plane from a Laplacian pyramid: from the coarsest level down, expand and
 * add. Works in place on `pyr` (its finer levels are overwritten) and returns `pyr[0]`.
 */
export function collapse(pyr: Plane[]): Plane {
  for (let i = pyr.length - 1; i > 0; i--) pyrUpAdd(pyr[i], pyr[i - 1], 1);
  return pyr[0];
}
