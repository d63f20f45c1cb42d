import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageReadError } from '../../../src/core/errors.js';
import { codeToUnit, createHdr, createLdr } from '../../../src/core/image/image.js';
import { encodePixels, quantise } from '../../../src/core/io/write-ldr.js';
import { readImage, readLdrCodes } from '../../../src/core/io/read-image.js';
import { writeImage } from '../../../src/core/io/write-image.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bracketeer-ldr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Smooth test pattern with values exactly on the 8- or 16-bit grid. */
function pattern(w: number, h: number, bitDepth: 8 | 16) {
  const max = bitDepth === 8 ? 255 : 65535;
  const img = createLdr(w, h, 3, undefined, bitDepth);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      img.data[i] = Math.round((x / (w - 1)) * max) / max;
      img.data[i + 1] = Math.round((y / (h - 1)) * max) / max;
      img.data[i + 2] = Math.round((((x + y) % 17) / 16) * max) / max;
    }
  return img;
}

function maxAbsDiff(a: Float32Array, b: Float32Array) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('quantise', () => {
  it('rounds, clamps and maps NaN to 0', () => {
    expect(
      Array.from(quantise(new Float32Array([0, 0.5, 1, 1.5, -1, NaN, 0.5 / 255, 0.49 / 255]), 255)),
    ).toEqual([0, 128, 255, 255, 0, 0, 1, 0]);
    expect(Array.from(quantise(new Float32Array([1, 0.5]), 65535))).toEqual([65535, 32768]);
  });

  for (const max of [255, 65535] as const) {
    it(`in place (${max}) gives the same integers over the frame's own bytes`, () => {
      const data = new Float32Array(4099);
      for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 1201) / 1000 - 0.1;
      data[17] = NaN;
      const expected = Array.from(quantise(data, max));
      const view = data.subarray(3); // a view that does not start at the buffer's start
      const inPlace = quantise(view, max, true);
      expect(inPlace.buffer).toBe(data.buffer);
      expect(inPlace.byteOffset).toBe(view.byteOffset);
      expect(Array.from(inPlace)).toEqual(expected.slice(3));
    });
  }
});

describe('encodePixels', () => {
  it('JPEG with standard Huffman tables: other bytes, the same decoded pixels', async () => {
    const img = pattern(96, 64, 8);
    const pixels = quantise(img.data, 255);
    const layout = { width: 96, height: 64, channels: 3 } as const;
    const optimised = await encodePixels(pixels, layout, 'jpeg', { quality: 95 });
    const standard = await encodePixels(pixels, layout, 'jpeg', {
      quality: 95,
      optimiseCoding: false,
    });
    expect(standard.equals(optimised)).toBe(false);
    const a = await sharp(optimised).raw().toBuffer();
    const b = await sharp(standard).raw().toBuffer();
    expect(b.equals(a)).toBe(true);
  });

  it('writes 16-bit samples to TIFF exactly and rejects them for JPEG or a wrong count', async () => {
    const img = pattern(31, 19, 16);
    const pixels = quantise(img.data, 65535);
    const layout = { width: 31, height: 19, channels: 3 } as const;
    const file = path.join(dir, 'pixels16.tif');
    writeFileSync(file, await encodePixels(pixels, layout, 'tiff'));
    const back = await readImage(file);
    expect(back.kind === 'ldr' && back.bitDepth).toBe(16);
    expect(maxAbsDiff(back.data, img.data)).toBeLessThan(1e-6);
    await expect(encodePixels(pixels, layout, 'jpeg')).rejects.toThrow(/8 bits per sample/);
    await expect(encodePixels(pixels.subarray(1), layout, 'tiff')).rejects.toThrow(
      /1766 samples for 31×19×3/,
    );
  });
});

describe('sharp formats round trip', () => {
  const lossless: [string, 8 | 16, object][] = [
    ['png', 8, {}],
    ['png', 16, {}],
    ['tif', 8, {}],
    ['tif', 16, {}],
    ['tif', 16, { compression: 'lzw' }],
    ['tif', 16, { compression: 'none' }],
  ];
  for (const [ext, bits, extra] of lossless) {
    it(`${ext} ${bits}-bit ${JSON.stringify(extra)} is exact`, async () => {
      const img = pattern(31, 19, bits);
      const file = path.join(dir, `rt${bits}.${ext}`);
      await writeImage(file, img, { bitDepth: bits, ...extra });
      const back = await readImage(file);
      expect(back.kind).toBe('ldr');
      if (back.kind !== 'ldr') return;
      expect(back.bitDepth).toBe(bits);
      expect([back.width, back.height, back.channels]).toEqual([31, 19, 3]);
      expect(maxAbsDiff(back.data, img.data)).toBeLessThan(1e-6);
    });
  }

  for (const [ext, tol] of [
    ['jpg', 0.06],
    ['webp', 0.16], // lossy WebP is always 4:2:0 and the blue pattern is high-frequency
    ['avif', 0.08],
  ] as const) {
    it(`${ext} is close at quality 95`, async () => {
      const img = pattern(64, 48, 8);
      const file = path.join(dir, `lossy.${ext}`);
      await writeImage(file, img, { quality: 95 });
      const back = await readImage(file);
      expect([back.width, back.height]).toEqual([64, 48]);
      let mean = 0;
      for (let i = 0; i < img.data.length; i++) mean += Math.abs(back.data[i] - img.data[i]);
      expect(mean / img.data.length).toBeLessThan(tol / 4);
    });
  }

  it('JPEG at q ≥ 90 keeps full-resolution chroma (4:4:4)', async () => {
    const file = path.join(dir, 'chroma.jpg');
    await writeImage(file, pattern(32, 32, 8), { quality: 95 });
    expect((await sharp(file).metadata()).chromaSubsampling).toBe('4:4:4');
    await writeImage(file, pattern(32, 32, 8), { quality: 80 });
    expect((await sharp(file).metadata()).chromaSubsampling).toBe('4:2:0');
  });

  it('expands greyscale to RGB and drops alpha', async () => {
    const grey = path.join(dir, 'grey.png');
    await sharp(Buffer.from([0, 128, 255, 64]), { raw: { width: 2, height: 2, channels: 1 } })
      .png()
      .toFile(grey);
    const g = await readImage(grey);
    expect(g.channels).toBe(3);
    expect(Array.from(g.data.slice(3, 6)).map((v) => Math.round(v * 255))).toEqual([128, 128, 128]);
    const rgba = path.join(dir, 'rgba.png');
    await sharp(Buffer.from([10, 20, 30, 0, 40, 50, 60, 255]), {
      raw: { width: 2, height: 1, channels: 4 },
    })
      .png()
      .toFile(rgba);
    const a = await readImage(rgba);
    expect(Array.from(a.data).map((v) => Math.round(v * 255))).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('applies EXIF orientation 6 (rotate 90° clockwise)', async () => {
    // 16×8 image: left 8×8 block white, right block black (whole JPEG blocks: no bleeding)
    const px = Buffer.alloc(16 * 8 * 3);
    for (let y = 0; y < 8; y++) px.fill(255, y * 48, y * 48 + 24);
    const file = path.join(dir, 'orient.jpg');
    await sharp(px, { raw: { width: 16, height: 8, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toFile(file);
    const img = await readImage(file);
    expect([img.width, img.height]).toEqual([8, 16]);
    // clockwise: the left half becomes the top half (counter-clockwise would give the bottom)
    const at = (x: number, y: number) => img.data[(y * img.width + x) * 3];
    expect(at(4, 3)).toBeGreaterThan(0.9);
    expect(at(4, 12)).toBeLessThan(0.1);
  });
});

describe('readLdrCodes', () => {
  for (const [ext, bits] of [
    ['png', 8],
    ['tif', 16],
    ['jpg', 8],
  ] as const) {
    it(`keeps a ${bits}-bit ${ext} as codes that convert to readImage's values exactly`, async () => {
      const file = path.join(dir, `codes${bits}.${ext}`);
      await writeImage(file, pattern(37, 21, bits), { bitDepth: ext === 'jpg' ? 8 : bits });
      const floats = await readImage(file);
      const coded = await readLdrCodes(file);
      expect(coded.kind).toBe('ldr-codes');
      if (coded.kind !== 'ldr-codes' || floats.kind !== 'ldr') return;
      expect([coded.width, coded.height, coded.channels, coded.bitDepth]).toEqual([
        37,
        21,
        3,
        bits,
      ]);
      expect(coded.codes).toBeInstanceOf(bits === 8 ? Uint8Array : Uint16Array);
      const unit = codeToUnit(bits);
      expect(Array.from(coded.codes, (c) => unit[c])).toEqual(Array.from(floats.data));
    });
  }

  it('reads a float TIFF as HDR and names a corrupt file', async () => {
    const hdr = path.join(dir, 'codes-float.tif');
    await writeImage(hdr, createHdr(5, 4, 3), { bitDepth: 32 });
    expect((await readLdrCodes(hdr)).kind).toBe('hdr');
    const bad = path.join(dir, 'codes-bad.png');
    writeFileSync(bad, Buffer.from('not a png at all'));
    await expect(readLdrCodes(bad)).rejects.toThrow(/codes-bad\.png/);
  });
});

describe('float TIFF', () => {
  for (const compression of ['deflate', 'none'] as const) {
    it(`writes 32-bit float (${compression}) that sharp reads back exactly as HDR`, async () => {
      const img = createHdr(23, 13, 3);
      for (let i = 0; i < img.data.length; i++) img.data[i] = Math.exp(((i * 37) % 101) / 10 - 5);
      const file = path.join(dir, `f-${compression}.tif`);
      await writeImage(file, img, { bitDepth: 32, compression });
      const meta = await sharp(file).metadata();
      expect(meta.depth).toBe('float');
      const back = await readImage(file);
      expect(back.kind).toBe('hdr');
      expect([back.width, back.height]).toEqual([23, 13]);
      expect(maxAbsDiff(back.data, img.data)).toBeLessThanOrEqual(1e-6 * 148.5);
      for (let i = 0; i < img.data.length; i++) expect(back.data[i]).toBeCloseTo(img.data[i], 5);
    });
  }
});

describe('corrupt and truncated inputs', () => {
  for (const ext of ['jpg', 'png', 'tif', 'webp']) {
    it(`${ext}: half a file and a flipped header byte give ImageReadError naming the file`, async () => {
      const good = path.join(dir, `good.${ext}`);
      await writeImage(good, pattern(64, 64, 8));
      const bytes = readFileSync(good);
      const half = path.join(dir, `half-${ext}.${ext}`);
      writeFileSync(half, bytes.subarray(0, bytes.length >> 1));
      await expect(readImage(half)).rejects.toThrow(ImageReadError);
      await expect(readImage(half)).rejects.toThrow(`half-${ext}.${ext}: `);
      const flipped = Buffer.from(bytes);
      for (let i = 0; i < 4; i++) flipped[i] ^= 0xff;
      const bad = path.join(dir, `flip-${ext}.${ext}`);
      writeFileSync(bad, flipped);
      await expect(readImage(bad)).rejects.toThrow(/flip-\w+\.\w+: unrecognised image format/);
    });
  }
});
