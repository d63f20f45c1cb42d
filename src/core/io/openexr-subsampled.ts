/**
 * Our own decoder for single-part scanline OpenEXR files with NONE, RLE, ZIPS, ZIP or PIZ
 * compression, written for files with subsampled channels (three.js's EXRLoader ignores
 * x/ySampling except for B44), e.g. luminance/chroma files with half-resolution RY, BY.
 *
 * Sampling follows the OpenEXR library: a channel sampled (xs, ys) has samples at the pixels
 * whose absolute coordinates satisfy x % xs = 0 and y % ys = 0 (the format requires the data
 * window's origin and size to be multiples of the sampling, so this is the same as counting
 * from the data window's origin). Subsampled planes are upsampled with bilinear interpolation
 * between those co-sited sample positions (edges clamp), which matches how OpenEXR's encoder
 * produces chroma (a low-pass filter centred on the kept pixels).
 *
 * Output: R, G, B when present; else Y with RY, BY converted with the luminance weights of the
 * file's `chromaticities` (Rec.709 0.2126/0.7152/0.0722 when absent): R = (1 + RY)·Y,
 * B = (1 + BY)·Y, G = (Y − wR·R − wB·B)/wG; else Y (or a lone channel) as grey. Negative,
 * NaN and infinite results become 0, as in openexr-read.ts.
 */
import { ImageReadError } from '../errors.js';
import { createHdr, type HdrImage } from '../image/image.js';
import { throwIfAborted, type JobOptions } from '../job.js';
import { halfToFloat } from './half-float.js';
import type { ExrHeader } from './openexr-header.js';
import { readExrExtras, upsampleRow, lumaWeights, type Plane } from './openexr-planes.js';
import { pizDecompress, type PizChannel } from './openexr-piz.js';
import { rleDecompress, zipDecompress } from './openexr-zip-rle.js';

const LINES_PER_BLOCK = [1, 1, 1, 16, 32];

let halfLut: Float32Array | undefined;
function halves(): Float32Array {
  if (!halfLut) {
    halfLut = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) halfLut[i] = halfToFloat(i);
  }
  return halfLut;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** True when {@link decodeScanlineExr} can decode a file with this header. */
export function canDecodeScanlineExr(h: ExrHeader): boolean {
  return !h.tiled && !h.multiPart && !h.deep && h.compression < LINES_PER_BLOCK.length;
}

const floorDiv = (a: number, s: number): number => Math.floor(a / s);
const ceilDiv = (a: number, s: number): number => Math.ceil(a / s);
/** Number of multiples of s in [a, b]. */
const numSamples = (s: number, a: number, b: number): number =>
  Math.max(0, floorDiv(b, s) - ceilDiv(a, s) + 1);

/** Stores `n` samples (bytes, little-endian) of one line into `dst` at `o`; returns bytes read. */
function storeBytes(
  b: Uint8Array,
  pos: number,
  n: number,
  type: number,
  dst: Float32Array,
  o: number,
): number {
  if (type === 1) {
    const lut = halves();
    for (let i = 0; i < n; i++, pos += 2) dst[o + i] = lut[b[pos] | (b[pos + 1] << 8)];
    return 2 * n;
  }
  for (let i = 0; i < n; i++, pos += 4) {
    const w = (b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16) | (b[pos + 3] << 24)) >>> 0;
    u32[0] = w;
    dst[o + i] = type === 2 ? f32[0] : w;
  }
  return 4 * n;
}

/** Stores `n` samples given as 16-bit words (PIZ output) into `dst` at `o`. */
function storeWords(
  w: Uint16Array,
  pos: number,
  n: number,
  type: number,
  dst: Float32Array,
  o: number,
): void {
  if (type === 1) {
    const lut = halves();
    for (let i = 0; i < n; i++) dst[o + i] = lut[w[pos + i]];
    return;
  }
  for (let i = 0; i < n; i++, pos += 2) {
    const v = (w[pos] | (w[pos + 1] << 16)) >>> 0;
    u32[0] = v;
    dst[o + i] = type === 2 ? f32[0] : v;
  }
}

/**
 * Decodes a scanline OpenEXR file (any channel sampling) to linear RGB.
 * @param file - name used in error messages
 * @param bytes - the whole file
 * @param h - its parsed header; the chunk table must already be validated (validateExrChunks)
 * @returns linear RGB, top row first, finite values ≥ 0
 * @throws ImageReadError on corrupt/truncated data or an unsupported layout
 */
export function decodeScanlineExr(
  file: string,
  bytes: Uint8Array,
  h: ExrHeader,
  options: JobOptions = {},
): HdrImage {
  const fail = (why: string): never => {
    throw new ImageReadError(file, why);
  };
  if (!canDecodeScanlineExr(h)) fail('unsupported OpenEXR layout for the scanline decoder');
  const { x0, y0, chromaticities } = readExrExtras(file, bytes);
  const { width, height, compression } = h;
  const x1 = x0 + width - 1;
  const y1 = y0 + height - 1;
  const names = h.channels.map((c) => c.name);
  const find = (n: string): number => names.indexOf(n);
  let wanted: number[];
  if (find('R') >= 0 && find('G') >= 0 && find('B') >= 0)
    wanted = [find('R'), find('G'), find('B')];
  else if (find('Y') >= 0 && find('RY') >= 0 && find('BY') >= 0)
    wanted = [find('Y'), find('RY'), find('BY')];
  else if (find('Y') >= 0) wanted = [find('Y')];
  else if (names.length === 1) wanted = [0];
  else return fail(`OpenEXR file has no RGB or luminance channels (channels: ${names.join(', ')})`);
  const luma = names[wanted[0]] === 'Y' && wanted.length === 3;

  const planes: (Plane | null)[] = h.channels.map((c, i) => {
    if (c.xSampling < 1 || c.ySampling < 1) fail(`invalid sampling for channel "${c.name}"`);
    if (c.pixelType < 0 || c.pixelType > 2) fail(`invalid pixel type for channel "${c.name}"`);
    if (!wanted.includes(i)) return null;
    const xs = c.xSampling;
    const ys = c.ySampling;
    const sw = numSamples(xs, x0, x1);
    const sh = numSamples(ys, y0, y1);
    if (sw === 0 || sh === 0) fail(`channel "${c.name}" has no samples in the data window`);
    return {
      xs,
      ys,
      sw,
      sh,
      col0: ceilDiv(x0, xs),
      row0: ceilDiv(y0, ys),
      data: new Float32Array(sw * sh),
    };
  });
  const sampleBytes = h.channels.map((c) => (c.pixelType === 1 ? 2 : 4));
  const lineSamples = h.channels.map((c) => numSamples(c.xSampling, x0, x1));

  const lines = LINES_PER_BLOCK[compression];
  const count = Math.ceil(height / lines);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < count; k++) {
    throwIfAborted(options.signal);
    const off = Number(dv.getBigUint64(h.headerEnd + 8 * k, true));
    const y = dv.getInt32(off, true);
    const size = dv.getUint32(off + 4, true);
    if (y < y0 || y > y1 || (y - y0) % lines !== 0)
      fail(`file is corrupt (chunk ${k + 1} of ${count} has line ${y})`);
    const yEnd = Math.min(y + lines - 1, y1);
    const src = bytes.subarray(off + 8, off + 8 + size);
    let expected = 0;
    for (let c = 0; c < h.channels.length; c++)
      expected += lineSamples[c] * numSamples(h.channels[c].ySampling, y, yEnd) * sampleBytes[c];
    if (size > expected || (compression === 0 && size !== expected))
      fail(
        `file is corrupt (chunk ${k + 1} of ${count} has ${size} bytes, expected ≤ ${expected})`,
      );
    try {
      if (compression === 4 && size < expected) {
        const shapes: PizChannel[] = h.channels.map((c, i) => ({
          nx: lineSamples[i],
          ny: numSamples(c.ySampling, y, yEnd),
          size: sampleBytes[i] === 2 ? 1 : 2,
        }));
        const words = pizDecompress(src, shapes);
        for (let c = 0; c < planes.length; c++) {
          const p = planes[c];
          if (!p || shapes[c].ny === 0) continue;
          const first = ceilDiv(y, p.ys) - p.row0;
          const perLine = p.sw * shapes[c].size;
          for (let r = 0; r < shapes[c].ny; r++)
            storeWords(
              words[c],
              r * perLine,
              p.sw,
              h.channels[c].pixelType,
              p.data,
              (first + r) * p.sw,
            );
        }
      } else {
        const raw =
          size === expected
            ? src
            : compression === 1
              ? rleDecompress(src, expected)
              : zipDecompress(src, expected);
        let pos = 0;
        for (let line = y; line <= yEnd; line++) {
          for (let c = 0; c < h.channels.length; c++) {
            const ch = h.channels[c];
            if (line - floorDiv(line, ch.ySampling) * ch.ySampling !== 0) continue;
            const p = planes[c];
            const n = lineSamples[c];
            if (p)
              storeBytes(raw, pos, n, ch.pixelType, p.data, (line / ch.ySampling - p.row0) * p.sw);
            pos += n * sampleBytes[c];
          }
        }
      }
    } catch (err) {
      if (err instanceof ImageReadError) throw err;
      fail(
        `cannot decode OpenEXR chunk ${k + 1} of ${count} (line ${y}): ${(err as Error).message}`,
      );
    }
    if ((k & 15) === 15)
      options.onProgress?.({ fraction: (0.9 * (k + 1)) / count, message: 'Reading OpenEXR' });
  }

  const out = new Float32Array(width * height * 3);
  const rows = wanted.map(() => new Float32Array(width));
  const [wr, wg, wb] = lumaWeights(chromaticities);
  for (let j = 0; j < height; j++) {
    for (let c = 0; c < wanted.length; c++) upsampleRow(planes[wanted[c]]!, x0, y0 + j, rows[c]);
    const a = rows[0];
    const b1 = rows[wanted.length > 1 ? 1 : 0];
    const b2 = rows[wanted.length > 1 ? 2 : 0];
    let o = j * width * 3;
    for (let i = 0; i < width; i++, o += 3) {
      let r = a[i];
      let g = b1[i];
      let b = b2[i];
      if (luma) {
        const yv = r;
        r = (1 + g) * yv;
        b = (1 + b) * yv;
        g = (yv - wr * r - wb * b) / wg;
      }
      out[o] = r > 0 && r < Infinity ? r : 0;
      out[o + 1] = g > 0 && g < Infinity ? g : 0;
      out[o + 2] = b > 0 && b < Infinity ? b : 0;
    }
  }
  options.onProgress?.({ fraction: 1, message: 'Reading OpenEXR' });
  return createHdr(width, height, 3, out);
}
