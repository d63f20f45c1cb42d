import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ImageReadError } from '../../../src/core/errors.js';
import { parseExrHeader, validateExrChunks } from '../../../src/core/io/openexr-header.js';
import { lumaWeights } from '../../../src/core/io/openexr-planes.js';
import { decodeOpenExr } from '../../../src/core/io/openexr-read.js';
import { decodeScanlineExr } from '../../../src/core/io/openexr-subsampled.js';

const shared = path.resolve(import.meta.dirname, '../../../../shared/data/hdr/openexr-images');
const haveShared = existsSync(shared);
if (!haveShared)
  console.log(`[openexr-subsampled.test] ${shared} is absent: skipping the real-file tests`);

/** Our scanline decoder on a whole file (header parsed and validated first). */
function ours(file: string, bytes: Uint8Array) {
  const h = parseExrHeader(file, bytes);
  validateExrChunks(file, bytes, h);
  return decodeScanlineExr(file, bytes, h);
}

// ---------------------------------------------------------------------------------------------
// A minimal OpenEXR writer for the tests: scanline, any channel sampling, NONE/RLE/ZIPS/ZIP.

interface TestChannel {
  name: string;
  type: 1 | 2; // HALF | FLOAT (values must be exact in half when HALF)
  xs: number;
  ys: number;
}

const mod = (a: number, s: number): number => ((a % s) + s) % s;

function attr(name: string, type: string, value: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32LE(value.length);
  return Buffer.concat([Buffer.from(`${name}\0${type}\0`, 'latin1'), size, value]);
}

function ints(...v: number[]): Buffer {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeInt32LE(x, 4 * i));
  return b;
}

function floats(...v: number[]): Buffer {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeFloatLE(x, 4 * i));
  return b;
}

function halfBits(v: number): number {
  // exact for the test's values: 0, or normal halves with at most 11 significant bits
  if (v === 0) return 0;
  const e = Math.floor(Math.log2(Math.abs(v)));
  const m = Math.abs(v) / 2 ** e - 1;
  return (v < 0 ? 0x8000 : 0) | ((e + 15) << 10) | Math.round(m * 1024);
}

function predictAndSplit(raw: Buffer): Buffer {
  const n = raw.length;
  const t = Buffer.alloc(n);
  const half = (n + 1) >> 1;
  for (let i = 0; i < n; i++) t[i % 2 === 0 ? i >> 1 : half + (i >> 1)] = raw[i];
  for (let i = n - 1; i > 0; i--) t[i] = (t[i] - t[i - 1] + 128) & 0xff;
  return t;
}

function rleLiterals(t: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < t.length; i += 127) {
    const chunk = t.subarray(i, i + 127);
    parts.push(Buffer.from([(256 - chunk.length) & 0xff]), chunk);
  }
  return Buffer.concat(parts);
}

function writeExr(
  box: [number, number, number, number],
  channels: TestChannel[],
  compression: 0 | 1 | 2 | 3,
  value: (name: string, x: number, y: number) => number,
  chromaticities?: number[],
): Uint8Array {
  const [x0, y0, x1, y1] = box;
  const sorted = [...channels].sort((a, b) => (a.name < b.name ? -1 : 1));
  const chl = Buffer.concat([
    ...sorted.map((c) =>
      Buffer.concat([Buffer.from(`${c.name}\0`, 'latin1'), ints(c.type, 0, c.xs, c.ys)]),
    ),
    Buffer.from([0]),
  ]);
  const header = Buffer.concat([
    Buffer.from([0x76, 0x2f, 0x31, 0x01, 2, 0, 0, 0]),
    attr('channels', 'chlist', chl),
    attr('compression', 'compression', Buffer.from([compression])),
    attr('dataWindow', 'box2i', ints(x0, y0, x1, y1)),
    attr('displayWindow', 'box2i', ints(x0, y0, x1, y1)),
    attr('lineOrder', 'lineOrder', Buffer.from([0])),
    attr('pixelAspectRatio', 'float', floats(1)),
    attr('screenWindowCenter', 'v2f', floats(0, 0)),
    attr('screenWindowWidth', 'float', floats(1)),
    ...(chromaticities
      ? [attr('chromaticities', 'chromaticities', floats(...chromaticities))]
      : []),
    Buffer.from([0]),
  ]);
  const lines = compression === 3 ? 16 : 1;
  const chunks: Buffer[] = [];
  for (let y = y0; y <= y1; y += lines) {
    const parts: Buffer[] = [];
    for (let yy = y; yy <= Math.min(y + lines - 1, y1); yy++) {
      for (const c of sorted) {
        if (mod(yy, c.ys) !== 0) continue;
        for (let x = x0; x <= x1; x++) {
          if (mod(x, c.xs) !== 0) continue;
          const b = Buffer.alloc(c.type === 1 ? 2 : 4);
          if (c.type === 1) b.writeUInt16LE(halfBits(value(c.name, x, yy)));
          else b.writeFloatLE(value(c.name, x, yy));
          parts.push(b);
        }
      }
    }
    const raw = Buffer.concat(parts);
    let data: Buffer = raw;
    if (compression === 1) data = rleLiterals(predictAndSplit(raw));
    if (compression >= 2) data = deflateSync(predictAndSplit(raw));
    if (data.length >= raw.length) data = raw; // the format stores such blocks uncompressed
    chunks.push(Buffer.concat([ints(y, data.length), data]));
  }
  const table = Buffer.alloc(8 * chunks.length);
  let off = header.length + table.length;
  chunks.forEach((c, i) => {
    table.writeBigUInt64LE(BigInt(off), 8 * i);
    off += c.length;
  });
  return new Uint8Array(Buffer.concat([header, table, ...chunks]));
}

// Luma/chroma test image on absolute coordinates. Chroma is linear in x and y, so bilinear
// upsampling between samples reproduces it exactly (away from the clamped right/bottom edge).
const Y = (x: number, y: number): number => 0.25 + ((x * 3 + y * 5) % 17) / 8;
const RY = (x: number, y: number): number => -0.5 + x / 32 + y / 64;
const BY = (x: number, y: number): number => 0.25 - x / 64 + y / 32;
const lumaChroma = (name: string, x: number, y: number): number =>
  name === 'Y' ? Y(x, y) : name === 'RY' ? RY(x, y) : BY(x, y);

function checkLumaChroma(
  img: { width: number; height: number; data: Float32Array },
  box: [number, number, number, number],
  w: readonly [number, number, number],
): void {
  const [x0, y0, x1, y1] = box;
  let checked = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      // the last sample column/row is even; odd pixels past it repeat it (edge clamp)
      const cx = Math.min(x, x1 - mod(x1, 2));
      const cy = Math.min(y, y1 - mod(y1, 2));
      const yv = Y(x, y);
      const r = (1 + RY(cx, cy)) * yv;
      const b = (1 + BY(cx, cy)) * yv;
      const g = (yv - w[0] * r - w[2] * b) / w[1];
      const o = ((y - y0) * img.width + (x - x0)) * 3;
      expect(img.data[o], `R at ${x},${y}`).toBeCloseTo(Math.max(r, 0), 5);
      expect(img.data[o + 1], `G at ${x},${y}`).toBeCloseTo(Math.max(g, 0), 5);
      expect(img.data[o + 2], `B at ${x},${y}`).toBeCloseTo(Math.max(b, 0), 5);
      checked++;
    }
  }
  expect(checked).toBe(img.width * img.height);
}

const REC709 = [0.2126, 0.7152, 0.0722] as const;

describe('luma/chroma files with half-resolution RY, BY (hand-written)', () => {
  // 14 × 24 with a non-zero origin (samples sit at even absolute coordinates); 2 ZIP blocks
  const box: [number, number, number, number] = [2, -4, 15, 19];
  const chans = (type: 1 | 2): TestChannel[] => [
    { name: 'Y', type, xs: 1, ys: 1 },
    { name: 'RY', type, xs: 2, ys: 2 },
    { name: 'BY', type, xs: 2, ys: 2 },
  ];
  for (const [compression, label] of [
    [0, 'NONE'],
    [1, 'RLE'],
    [2, 'ZIPS'],
    [3, 'ZIP'],
  ] as const) {
    for (const type of [1, 2] as const) {
      it(`${label}, ${type === 1 ? 'half' : 'float'}: exact Y, bilinear chroma, RGB from Rec.709`, () => {
        const bytes = writeExr(box, chans(type), compression, lumaChroma);
        const img = decodeOpenExr(`lc-${label}.exr`, bytes);
        expect([img.width, img.height, img.channels]).toEqual([14, 24, 3]);
        checkLumaChroma(img, box, REC709);
      });
    }
  }

  it('uses the luminance weights of the chromaticities attribute', () => {
    // Rec.2020 primaries, D65 white: weights 0.2627, 0.6780, 0.0593 (ITU-R BT.2020)
    const c2020 = [0.708, 0.292, 0.17, 0.797, 0.131, 0.046, 0.3127, 0.329];
    const w = lumaWeights(new Float32Array(c2020));
    expect(w[0]).toBeCloseTo(0.2627, 3);
    expect(w[1]).toBeCloseTo(0.678, 3);
    expect(w[2]).toBeCloseTo(0.0593, 3);
    const b: [number, number, number, number] = [0, 0, 7, 5];
    const bytes = writeExr(b, chans(2), 3, lumaChroma, c2020);
    checkLumaChroma(decodeOpenExr('c2020.exr', bytes), b, w);
  });

  it('Rec.709 chromaticities give the Rec.709 weights; none gives them exactly', () => {
    const w = lumaWeights(new Float32Array([0.64, 0.33, 0.3, 0.6, 0.15, 0.06, 0.3127, 0.329]));
    for (let i = 0; i < 3; i++) expect(w[i]).toBeCloseTo(REC709[i], 3);
    expect(lumaWeights(undefined)).toEqual(REC709);
  });

  it('subsampled R, G, B (and a lone subsampled channel) upsample bilinearly', () => {
    const b: [number, number, number, number] = [0, 0, 9, 7];
    const lin = (name: string, x: number, y: number): number =>
      (name === 'R' ? 1 : name === 'G' ? 2 : 3) + x / 4 + y / 8;
    const rgb = (['R', 'G', 'B'] as const).map((name) => ({
      name,
      type: 2 as const,
      xs: 2,
      ys: 2,
    }));
    const img = decodeOpenExr('rgb.exr', writeExr(b, rgb, 0, lin));
    const grey = decodeOpenExr(
      'g.exr',
      writeExr(b, [{ name: 'G', type: 2, xs: 2, ys: 2 }], 2, lin),
    );
    for (let y = 0; y <= 7; y++)
      for (let x = 0; x <= 9; x++) {
        const [cx, cy] = [Math.min(x, 8), Math.min(y, 6)];
        const o = (y * 10 + x) * 3;
        expect(img.data[o]).toBeCloseTo(lin('R', cx, cy), 5);
        expect(img.data[o + 2]).toBeCloseTo(lin('B', cx, cy), 5);
        for (let c = 0; c < 3; c++) expect(grey.data[o + c]).toBeCloseTo(lin('G', cx, cy), 5);
      }
  });

  it('corrupt or truncated input → ImageReadError naming the file', () => {
    const b: [number, number, number, number] = [0, 0, 63, 31];
    const bytes = writeExr(b, chans(1), 3, lumaChroma);
    const h = parseExrHeader('x', bytes);
    const off = Number(new DataView(bytes.buffer).getBigUint64(h.headerEnd, true));
    const bad = bytes.slice();
    bad.fill(0x55, off + 8, off + 40); // wreck the zlib stream of the first chunk
    expect(() => decodeOpenExr('bad-zip.exr', bad)).toThrow(ImageReadError);
    expect(() => decodeOpenExr('bad-zip.exr', bad)).toThrow(/bad-zip\.exr/);
    const short = bytes.slice(0, bytes.length - 10);
    expect(() => decodeOpenExr('short.exr', short)).toThrow(/short\.exr.*truncated/);
  });
});

describe.skipIf(!haveShared)('real files (../shared/data/hdr/openexr-images)', () => {
  const read = (name: string): Uint8Array => readFileSync(path.join(shared, name));

  for (const name of ['ScanLines_MtTamWest.exr', 'ScanLines_Tree.exr', 'ScanLines_Carrots.exr']) {
    it(`${name}: our decoder matches three's EXRLoader bit-exactly`, () => {
      const bytes = read(name);
      const mine = ours(name, bytes);
      const ref = decodeOpenExr(name, bytes); // not subsampled: goes through three
      expect([mine.width, mine.height]).toEqual([ref.width, ref.height]);
      let diff = 0;
      for (let i = 0; i < ref.data.length; i++) if (mine.data[i] !== ref.data[i]) diff++;
      expect(diff).toBe(0);
    });
  }

  it('LuminanceChroma_MtTamNorth.exr (PIZ, RY/BY 2×2) decodes to a plausible landscape', () => {
    const img = decodeOpenExr('MtTamNorth.exr', read('LuminanceChroma_MtTamNorth.exr'));
    expect([img.width, img.height, img.channels]).toEqual([1198, 796, 3]);
    const mean = (x0: number, x1: number, y0: number, y1: number): number[] => {
      const s = [0, 0, 0];
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++)
          for (let c = 0; c < 3; c++) s[c] += img.data[(y * img.width + x) * 3 + c];
      return s.map((v) => v / ((x1 - x0) * (y1 - y0)));
    };
    let bad = 0;
    for (const v of img.data) if (!(v >= 0 && v < Infinity)) bad++;
    expect(bad).toBe(0);
    const all = mean(0, 1198, 0, 796);
    expect(Math.min(...all)).toBeGreaterThan(0.01); // not black
    // blue sky in the upper right, green vegetation along the bottom
    const [sr, sg, sb] = mean(600, 1198, 0, 120);
    expect(sb).toBeGreaterThan(sg);
    expect(sg).toBeGreaterThan(sr);
    const [br, bg, bb] = mean(0, 1198, 640, 796);
    expect(bg).toBeGreaterThan(br);
    expect(bg).toBeGreaterThan(bb);
  });

  it('damaged PIZ data → ImageReadError (never another exception)', () => {
    const bytes = read('LuminanceChroma_MtTamNorth.exr');
    const h = parseExrHeader('x', bytes);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const off = Number(dv.getBigUint64(h.headerEnd, true));
    const bad = bytes.slice();
    bad[off + 10] = 0xff; // maxNonZero ≥ 8192
    bad[off + 11] = 0xff;
    expect(() => decodeOpenExr('piz.exr', bad)).toThrow(/piz\.exr: .*PIZ bitmap/);
    // random damage inside the first chunk: either decodes or fails cleanly
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const size = dv.getUint32(off + 4, true);
    for (let k = 0; k < 20; k++) {
      const b = bytes.slice();
      for (let j = 0; j < 8; j++) b[off + 8 + Math.floor(rnd() * size)] = Math.floor(rnd() * 256);
      try {
        decodeOpenExr('fuzz.exr', b);
      } catch (err) {
        expect(err).toBeInstanceOf(ImageReadError);
      }
    }
  });
});
