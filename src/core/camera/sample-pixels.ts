/**
 * Deterministic choice of the pixel locations whose values feed response calibration
 * (Debevec–Malik needs a few dozen pixels whose radiances span the scene's range).
 */
import { InvalidInputError } from '../errors.js';
import type { LdrImage } from '../image/image.js';

/** How sample pixels are chosen. */
export type SampleMethod = 'stratified' | 'grid';

/** Target number of candidate locations examined by the stratified method. */
const CANDIDATES = 20_000;

/**
 * A regular grid of about `count` points over the image (cell centres), like OpenCV's
 * non-random CalibrateDebevec sampling.
 * @returns pixel indices y·width + x
 */
export function gridSamples(width: number, height: number, count: number): Int32Array {
  const nx = Math.max(1, Math.min(width, Math.round(Math.sqrt((count * width) / height))));
  const ny = Math.max(1, Math.min(height, Math.round(count / nx)));
  const out = new Int32Array(nx * ny);
  let k = 0;
  for (let j = 0; j < ny; j++) {
    const y = Math.min(height - 1, Math.floor(((j + 0.5) * height) / ny));
    for (let i = 0; i < nx; i++) {
      const x = Math.min(width - 1, Math.floor(((i + 0.5) * width) / nx));
      out[k++] = y * width + x;
    }
  }
  return out;
}

/**
 * Chooses `count` sample pixels whose radiances span the scene's range. Every candidate on a
 * coarse grid gets a key = Σ over frames of ln(mean channel value + 1/64), a monotonic proxy for
 * its log radiance that no single frame saturates (the log spreads the dark end, where response
 * curves are steep and need data most). The key range is cut into `count` equal bins; each bin contributes its flattest candidate (smallest local gradient summed over frames,
 * which avoids edges where misalignment or blur would corrupt the data). If some bins are empty,
 * further candidates are taken round-robin from the fullest bins. Deterministic.
 * @param frames - the bracket (same size and channels)
 * @param count - number of samples wanted, ≥ 1
 * @param method - 'stratified' (default) or 'grid'
 * @returns pixel indices y·width + x (fewer than `count` only if the image has fewer candidates)
 */
export function samplePixels(
  frames: readonly LdrImage[],
  count: number,
  method: SampleMethod = 'stratified',
): Int32Array {
  if (frames.length === 0) throw new InvalidInputError('No frames to sample');
  if (!Number.isInteger(count) || count < 1) {
    throw new InvalidInputError(`Sample count must be a positive integer, got ${count}`);
  }
  const { width, height, channels } = frames[0];
  if (method === 'grid' || width < 3 || height < 3) return gridSamples(width, height, count);

  const step = Math.max(1, Math.floor(Math.sqrt(((width - 2) * (height - 2)) / CANDIDATES)));
  const cx = Math.floor((width - 2 - 1) / step) + 1;
  const cy = Math.floor((height - 2 - 1) / step) + 1;
  const n = cx * cy;
  const index = new Int32Array(n);
  const key = new Float64Array(n);
  const grad = new Float64Array(n);
  const rowStride = width * channels;
  let k = 0;
  for (let j = 0; j < cy; j++) {
    const y = 1 + j * step;
    for (let i = 0; i < cx; i++) index[k++] = y * width + 1 + i * step;
  }
  for (const frame of frames) {
    const d = frame.data;
    for (let m = 0; m < n; m++) {
      const base = index[m] * channels;
      let s = 0;
      let g = 0;
      for (let c = 0; c < channels; c++) {
        const p = base + c;
        const v = d[p];
        s += v;
        g +=
          Math.abs(d[p + channels] - d[p - channels]) +
          Math.abs(d[p + rowStride] - d[p - rowStride]);
      }
      key[m] += Math.log(s / channels + 1 / 64);
      grad[m] += g;
    }
  }
  let kMin = Infinity;
  let kMax = -Infinity;
  for (let m = 0; m < n; m++) {
    if (!Number.isFinite(key[m])) key[m] = 0;
    if (!Number.isFinite(grad[m])) grad[m] = Infinity;
    if (key[m] < kMin) kMin = key[m];
    if (key[m] > kMax) kMax = key[m];
  }
  const bins = count;
  const span = kMax - kMin;
  const binOf = new Int32Array(n);
  const binCount = new Int32Array(bins);
  for (let m = 0; m < n; m++) {
    const b = span > 0 ? Math.min(bins - 1, Math.floor(((key[m] - kMin) / span) * bins)) : 0;
    binOf[m] = b;
    binCount[b]++;
  }
  // Candidates grouped by bin, each group sorted by gradient (ties: lower index first).
  const start = new Int32Array(bins + 1);
  for (let b = 0; b < bins; b++) start[b + 1] = start[b] + binCount[b];
  const fill = start.slice(0, bins);
  const order = new Int32Array(n);
  for (let m = 0; m < n; m++) order[fill[binOf[m]]++] = m;
  for (let b = 0; b < bins; b++) {
    const group = Array.from(order.subarray(start[b], start[b + 1]));
    group.sort((p, q) => grad[p] - grad[q] || p - q);
    order.set(group, start[b]);
  }
  const want = Math.min(count, n);
  const out = new Int32Array(want);
  let got = 0;
  const binsBySize = Array.from({ length: bins }, (_, b) => b).sort(
    (p, q) => binCount[q] - binCount[p] || p - q,
  );
  for (let round = 0; got < want; round++) {
    for (const b of round === 0 ? Array.from({ length: bins }, (_, i) => i) : binsBySize) {
      if (got >= want) break;
      if (round < binCount[b]) out[got++] = index[order[start[b] + round]];
    }
  }
  return out;
}
