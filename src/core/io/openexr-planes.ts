/**
 * Helpers for decoding OpenEXR channels stored at their own sampling rate: the extra header
 * fields the decoder needs (data window origin, chromaticities), bilinear upsampling of a
 * subsampled plane, and the luminance weights used by Y/RY/BY files.
 */
import { ImageReadError } from '../errors.js';

/** One channel's decoded samples. */
export interface Plane {
  /** Sampling factors, ≥ 1. */
  readonly xs: number;
  readonly ys: number;
  /** Samples per line and lines. */
  readonly sw: number;
  readonly sh: number;
  /** Sample (0, 0) lies at pixel (col0·xs, row0·ys), absolute coordinates. */
  readonly col0: number;
  readonly row0: number;
  /** sw × sh samples, line-major. */
  readonly data: Float32Array;
}

/** Header fields not kept by parseExrHeader. */
export interface ExrExtras {
  /** Data window origin (absolute pixel coordinates). */
  readonly x0: number;
  readonly y0: number;
  /** red, green, blue, white x/y (CIE 1931), when the file has the attribute. */
  readonly chromaticities?: Float32Array;
}

/**
 * Reads the data window origin and chromaticities of the first header.
 * @param bytes - the whole file, whose header parseExrHeader has already accepted
 * @throws ImageReadError when the header is malformed
 */
export function readExrExtras(file: string, bytes: Uint8Array): ExrExtras {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (): never => {
    throw new ImageReadError(file, 'header is truncated or corrupt');
  };
  const str = (pos: number): [string, number] => {
    const end = bytes.indexOf(0, pos);
    if (end < 0) fail();
    return [Buffer.from(bytes.subarray(pos, end)).toString('latin1'), end + 1];
  };
  let pos = 8;
  let x0: number | undefined;
  let y0 = 0;
  let chromaticities: Float32Array | undefined;
  for (;;) {
    const [name, p1] = str(pos);
    if (name === '') break;
    const [type, p2] = str(p1);
    if (p2 + 4 > bytes.length) fail();
    const size = dv.getInt32(p2, true);
    const start = p2 + 4;
    if (size < 0 || start + size > bytes.length) fail();
    if (name === 'dataWindow' && type === 'box2i' && size >= 16) {
      x0 = dv.getInt32(start, true);
      y0 = dv.getInt32(start + 4, true);
    } else if (name === 'chromaticities' && type === 'chromaticities' && size >= 32) {
      chromaticities = new Float32Array(8);
      for (let k = 0; k < 8; k++) chromaticities[k] = dv.getFloat32(start + 4 * k, true);
    }
    pos = start + size;
  }
  if (x0 === undefined) return fail();
  return { x0, y0, chromaticities };
}

/** Rec.709 luminance weights (also the project's luminance convention). */
const REC709: readonly [number, number, number] = [0.2126, 0.7152, 0.0722];

/**
 * Luminance weights (wR, wG, wB), summing to 1, of an RGB space given by its chromaticities:
 * the Y row of its RGB → XYZ matrix (white has Y = 1).
 * @param chr - red, green, blue, white x/y; undefined (or degenerate) → Rec.709 weights
 */
export function lumaWeights(chr: Float32Array | undefined): readonly [number, number, number] {
  if (!chr) return REC709;
  // columns: X/Y, 1, Z/Y of each primary; solve M·S = white (X/Y, 1, Z/Y) by Cramer's rule
  const col = (k: number): number[] => {
    const x = chr[2 * k];
    const y = chr[2 * k + 1];
    return [x / y, 1, (1 - x - y) / y];
  };
  const [r, g, b, w] = [col(0), col(1), col(2), col(3)];
  const det = (a: number[], c: number[], d: number[]): number =>
    a[0] * (c[1] * d[2] - c[2] * d[1]) -
    c[0] * (a[1] * d[2] - a[2] * d[1]) +
    d[0] * (a[1] * c[2] - a[2] * c[1]);
  const m = det(r, g, b);
  const s = [det(w, g, b) / m, det(r, w, b) / m, det(r, g, w) / m];
  const sum = s[0] + s[1] + s[2];
  const out = [s[0] / sum, s[1] / sum, s[2] / sum] as const;
  return out.every((v) => Number.isFinite(v)) && out[1] > 0 ? out : REC709;
}

/**
 * Fills one full-resolution row from a plane: a copy when the plane is not subsampled, else
 * bilinear interpolation between the co-sited samples (clamped at the edges).
 * @param p - the plane
 * @param x0 - absolute x of the row's first pixel (data window origin)
 * @param y - absolute y of the row
 * @param row - receives row.length pixels
 */
export function upsampleRow(p: Plane, x0: number, y: number, row: Float32Array): void {
  const { xs, ys, sw, sh, col0, row0, data } = p;
  const width = row.length;
  if (xs === 1 && ys === 1) {
    const s = (y - row0) * sw + (x0 - col0);
    row.set(data.subarray(s, s + width));
    return;
  }
  let v = y / ys - row0;
  v = v < 0 ? 0 : v > sh - 1 ? sh - 1 : v;
  const r0 = Math.floor(v);
  const fv = v - r0;
  const a = data.subarray(r0 * sw, r0 * sw + sw);
  const b = data.subarray(Math.min(r0 + 1, sh - 1) * sw);
  const inv = 1 / xs;
  const last = sw - 1;
  for (let i = 0; i < width; i++) {
    let u = (x0 + i) * inv - col0;
    u = u < 0 ? 0 : u > last ? last : u;
    const c0 = Math.floor(u);
    const fu = u - c0;
    const c1 = c0 < last ? c0 + 1 : last;
    const top = a[c0] + fu * (a[c1] - a[c0]);
    const bottom = b[c0] + fu * (b[c1] - b[c0]);
    row[i] = top + fv * (bottom - top);
  }
}
