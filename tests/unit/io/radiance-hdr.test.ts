import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageReadError } from '../../../src/core/errors.js';
import { createHdr } from '../../../src/core/image/image.js';
import { decodeRadiance } from '../../../src/core/io/radiance-hdr.js';
import { encodeRadiance } from '../../../src/core/io/radiance-hdr-write.js';
import { readImage } from '../../../src/core/io/read-image.js';
import { writeImage } from '../../../src/core/io/write-image.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bracketeer-hdr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomHdr(w: number, h: number, seed = 1) {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const img = createHdr(w, h, 3);
  for (let i = 0; i < img.data.length; i++) img.data[i] = Math.exp((rnd() - 0.5) * 20);
  return img;
}

/** RGBE error bound: each component within 1/256 of 2^e ≤ max/128 of the pixel's max. */
function expectRgbeClose(a: Float32Array, b: Float32Array) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i += 3) {
    const m = Math.max(a[i], a[i + 1], a[i + 2]);
    for (let c = 0; c < 3; c++)
      expect(Math.abs(a[i + c] - b[i + c])).toBeLessThanOrEqual(m / 128 + 1e-30);
  }
}

/** A file written by hand: flat (uncompressed) scanlines, chosen resolution line. */
function handWritten(w: number, h: number, res: string, pixels: number[][], extra = ''): Buffer {
  const head = Buffer.from(
    `#?RGBE\nFORMAT=32-bit_rle_rgbe\n${extra ? `${extra}\n` : ''}\n${res}\n`,
    'latin1',
  );
  return Buffer.concat([head, Buffer.from(pixels.flat())]);
}

describe('Radiance RGBE', () => {
  it('round-trips with new-style RLE within RGBE precision', () => {
    const img = randomHdr(37, 11);
    // a long run in a row so RLE runs are exercised
    for (let x = 0; x < 30; x++) img.data.set([2, 1, 0.5], (3 * 37 + x) * 3);
    const bytes = encodeRadiance(img);
    const back = decodeRadiance('x.hdr', bytes);
    expect([back.width, back.height]).toEqual([37, 11]);
    expectRgbeClose(img.data, back.data);
    // constant pixels (2, 1, 0.5) are exact powers of two: decoded to the cell centre
    expect(back.data[(3 * 37 + 5) * 3]).toBeCloseTo(2 * (1 + 0.5 / 128), 6);
    // compressible: a flat image is far smaller than 4 bytes per pixel
    const flat = encodeRadiance(createHdr(512, 64, 3, new Float32Array(512 * 64 * 3).fill(0.25)));
    expect(flat.length).toBeLessThan(512 * 64);
  });

  it('writes flat scanlines for narrow images and reads them back', () => {
    const img = randomHdr(5, 4, 7);
    const bytes = encodeRadiance(img);
    expectRgbeClose(img.data, decodeRadiance('n.hdr', bytes).data);
  });

  it('maps tiny, negative and NaN values to 0 and grey images to RGB', () => {
    const img = createHdr(8, 1, 1, new Float32Array([1e-33, -1, NaN, 1, 4, 0, 0.5, 3]));
    const back = decodeRadiance('g.hdr', encodeRadiance(img));
    expect(Array.from(back.data.slice(0, 9))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(back.data[9]).toBeCloseTo(back.data[11], 7);
    expect(back.data[12]).toBeCloseTo(4 * (1 + 0.5 / 128), 5);
  });

  it('reads -Y (top-down) and +Y (bottom-up) flat files with the same top row', () => {
    // 2×2: top row red (1,0,0), bottom row green (0,1,0); RGBE of 1.0 = (128,0,0,129)
    const red = [128, 0, 0, 129];
    const green = [0, 128, 0, 129];
    const down = decodeRadiance('d.hdr', handWritten(2, 2, '-Y 2 +X 2', [red, red, green, green]));
    const up = decodeRadiance('u.hdr', handWritten(2, 2, '+Y 2 +X 2', [green, green, red, red]));
    for (const img of [down, up]) {
      expect(img.data[0]).toBeCloseTo(1 + 0.5 / 128, 6);
      expect(img.data[1]).toBeCloseTo(0.5 / 128, 6);
      expect(img.data[6 + 1]).toBeCloseTo(1 + 0.5 / 128, 6);
    }
    expect(Array.from(up.data)).toEqual(Array.from(down.data));
  });

  it('divides by EXPOSURE and expands old-style runs', () => {
    const px = [128, 128, 128, 130]; // 2.0 (+0.5 cell) in every channel
    const run = [1, 1, 1, 3]; // repeat the previous pixel 3 times
    const img = decodeRadiance(
      'e.hdr',
      handWritten(4, 1, '-Y 1 +X 4', [px, run], 'EXPOSURE=2\nEXPOSURE=2'),
    );
    for (let i = 0; i < 12; i++) expect(img.data[i]).toBeCloseTo((2 * (128.5 / 128)) / 4, 6);
  });

  it('rejects truncated data, bad run lengths, width mismatch and bad headers', () => {
    const good = Buffer.from(encodeRadiance(randomHdr(16, 8)));
    const bad = (b: Uint8Array, re: RegExp) => {
      expect(() => decodeRadiance('bad.hdr', b)).toThrow(ImageReadError);
      expect(() => decodeRadiance('bad.hdr', b)).toThrow(re);
    };
    bad(good.subarray(0, good.length >> 1), /bad\.hdr: .*truncated/);
    const head = good.indexOf('+X 16\n') + 6;
    const wrongWidth = Buffer.from(good);
    wrongWidth[head + 3] = 15;
    bad(wrongWidth, /width 15 does not match image width 16/);
    const badRun = Buffer.from(good);
    badRun[head + 4] = 0; // a literal count of 0
    bad(badRun, /bad run length/);
    bad(Buffer.from('#?RADIANCE\nFORMAT=32-bit_rle_xyze\n\n-Y 1 +X 1\n\0\0\0\0'), /xyze/);
    bad(Buffer.from('#?RADIANCE\n\nY 1 X 1\n'), /resolution line/);
    bad(Buffer.from('#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n'), /header/);
  });

  it('enforces the pixel cap before decoding', () => {
    const b = Buffer.from('#?RADIANCE\n\n-Y 30000 +X 40000\n');
    expect(() => decodeRadiance('big.hdr', b)).toThrow(
      /big\.hdr: image is 40000×30000 = 1200 MP, above the limit of 100 MP/,
    );
  });

  it('goes through readImage/writeImage by magic bytes', async () => {
    const img = randomHdr(20, 10, 3);
    const file = path.join(dir, 'pic.hdr');
    await writeImage(file, img);
    const renamed = path.join(dir, 'pic.bin');
    writeFileSync(renamed, readFileSync(file));
    const back = await readImage(renamed);
    expect(back.kind).toBe('hdr');
    expectRgbeClose(img.data, back.data);
  });
});
