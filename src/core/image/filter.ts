/**
 * Separable smoothing filters on single-channel float planes (row-major, width × height).
 * Borders are handled by clamping (edge pixels repeat).
 */

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-i * i) / (2 * sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

function convolveRows(
  src: Float32Array,
  dst: Float32Array,
  w: number,
  h: number,
  k: Float32Array,
): void {
  const r = (k.length - 1) >> 1;
  const line = new Float32Array(w + 2 * r);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let i = 0; i < r; i++) {
      line[i] = src[o];
      line[w + r + i] = src[o + w - 1];
    }
    line.set(src.subarray(o, o + w), r);
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let j = 0; j < k.length; j++) acc += k[j] * line[x + j];
      dst[o + x] = acc;
    }
  }
}

function convolveCols(
  src: Float32Array,
  dst: Float32Array,
  w: number,
  h: number,
  k: Float32Array,
): void {
  const r = (k.length - 1) >> 1;
  const acc = new Float32Array(w);
  for (let y = 0; y < h; y++) {
    acc.fill(0);
    for (let j = 0; j < k.length; j++) {
      const yy = Math.min(h - 1, Math.max(0, y + j - r));
      const kj = k[j];
      const o = yy * w;
      for (let x = 0; x < w; x++) acc[x] += kj * src[o + x];
    }
    dst.set(acc, y * w);
  }
}

/**
 * Gaussian blur of one plane.
 * @param plane - width·height samples
 * @param sigma - standard deviation in pixels (> 0); ≤ 0 returns a copy
 * @returns a new plane
 */
export function gaussianBlur(
  plane: Float32Array,
  width: number,
  height: number,
  sigma: number,
): Float32Array {
  if (plane.length !== width * height) throw new RangeError('gaussianBlur: plane size mismatch');
  if (!(sigma > 0)) return plane.slice();
  const k = gaussianKernel(sigma);
  const tmp = new Float32Array(plane.length);
  const out = new Float32Array(plane.length);
  convolveRows(plane, tmp, width, height, k);
  convolveCols(tmp, out, width, height, k);
  return out;
}

/**
 * Box blur (mean over a (2r+1)² window) of one plane, O(1) per pixel via running sums.
 * @param radius - window radius in pixels (integer ≥ 0)
 * @returns a new plane
 */
export function boxBlur(
  plane: Float32Array,
  width: number,
  height: number,
  radius: number,
): Float32Array {
  if (plane.length !== width * height) throw new RangeError('boxBlur: plane size mismatch');
  const r = Math.max(0, Math.floor(radius));
  if (r === 0) return plane.slice();
  const tmp = new Float32Array(plane.length);
  const out = new Float32Array(plane.length);
  const n = 2 * r + 1;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let s = 0;
    for (let i = -r; i <= r; i++) s += plane[o + Math.min(width - 1, Math.max(0, i))];
    for (let x = 0; x < width; x++) {
      tmp[o + x] = s / n;
      s += plane[o + Math.min(width - 1, x + r + 1)] - plane[o + Math.max(0, x - r)];
    }
  }
  const colSum = new Float64Array(width);
  for (let i = -r; i <= r; i++) {
    const o = Math.min(height - 1, Math.max(0, i)) * width;
    for (let x = 0; x < width; x++) colSum[x] += tmp[o + x];
  }
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = colSum[x] / n;
    const add = Math.min(height - 1, y + r + 1) * width;
    const sub = Math.max(0, y - r) * width;
    for (let x = 0; x < width; x++) colSum[x] += tmp[add + x] - tmp[sub + x];
  }
  return out;
}
