import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ImageReadError, ImageWriteError } from '../../../src/core/errors.js';
import { createHdr, createLdr } from '../../../src/core/image/image.js';
import { readImage, writeImage } from '../../../src/core/io/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bracketeer-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.BRACKETEER_MAX_PIXELS;
});

const ldr = createLdr(20, 10, 3, new Float32Array(600).fill(0.5));
const hdr = createHdr(20, 10, 3, new Float32Array(600).fill(3));

describe('readImage', () => {
  it('dispatches on magic bytes, not the extension', async () => {
    const png = path.join(dir, 'really-png.exr');
    await writeImage(png, ldr, { format: 'png' });
    expect((await readImage(png)).kind).toBe('ldr');
    const exr = path.join(dir, 'really-exr.png');
    await writeImage(exr, hdr, { format: 'exr' });
    const back = await readImage(exr);
    expect(back.kind).toBe('hdr');
    expect(back.data[0]).toBe(3);
  });

  it('names the file for missing, empty, directory and unknown inputs', async () => {
    await expect(readImage(path.join(dir, 'nope.png'))).rejects.toThrow(
      /nope\.png: file not found/,
    );
    const empty = path.join(dir, 'empty.jpg');
    writeFileSync(empty, '');
    await expect(readImage(empty)).rejects.toThrow(/empty\.jpg: file is empty/);
    await expect(readImage(dir)).rejects.toThrow(ImageReadError);
    const text = path.join(dir, 'notes.png');
    writeFileSync(text, 'hello, this is not an image at all');
    await expect(readImage(text)).rejects.toThrow(/notes\.png: unrecognised image format/);
  });

  it('enforces the pixel cap for every decoder, via option and environment', async () => {
    for (const ext of ['png', 'tif', 'exr', 'hdr']) {
      const file = path.join(dir, `cap.${ext}`);
      await writeImage(file, ext === 'exr' || ext === 'hdr' ? hdr : ldr);
      await expect(readImage(file, { limits: { maxPixels: 199 } })).rejects.toThrow(
        new RegExp(`cap\\.${ext}: image is 20×10 = .* MP, above the limit of .* MP`),
      );
      process.env.BRACKETEER_MAX_PIXELS = '150';
      await expect(readImage(file)).rejects.toThrow(/above the limit/);
      delete process.env.BRACKETEER_MAX_PIXELS;
      expect((await readImage(file, { limits: { maxPixels: 200 } })).width).toBe(20);
    }
  });
});

describe('writeImage', () => {
  it('refuses HDR to 8/16-bit formats and LDR to .exr/.hdr', async () => {
    await expect(writeImage(path.join(dir, 'x.jpg'), hdr)).rejects.toThrow(
      /x\.jpg: .*tone-map it first/,
    );
    await expect(writeImage(path.join(dir, 'x.png'), hdr, { bitDepth: 16 })).rejects.toThrow(
      ImageWriteError,
    );
    await expect(writeImage(path.join(dir, 'x.exr'), ldr)).rejects.toThrow(
      /x\.exr: .*display-referred/,
    );
    await expect(writeImage(path.join(dir, 'x.hdr'), ldr)).rejects.toThrow(ImageWriteError);
    await expect(writeImage(path.join(dir, 'x.bmp'), ldr)).rejects.toThrow(/unknown image format/);
    await expect(writeImage(path.join(dir, 'x.jpg'), ldr, { bitDepth: 16 })).rejects.toThrow(
      /8 bits/,
    );
    await expect(writeImage(path.join(dir, 'x.jpg'), ldr, { quality: 0 })).rejects.toThrow(
      /quality/,
    );
  });

  it('fails cleanly on an unwritable path and leaves no temporary file', async () => {
    await expect(writeImage(path.join(dir, 'missing-dir', 'a.png'), ldr)).rejects.toThrow(
      /a\.png: the directory does not exist/,
    );
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const asRoot = process.getuid?.() === 0; // root ignores directory permissions
    if (!asRoot) {
      await expect(writeImage(path.join(locked, 'b.exr'), hdr)).rejects.toThrow(
        /b\.exr: permission denied/,
      );
    }
    chmodSync(locked, 0o700);
    // target is a directory: the temp file gets written, the rename fails and must be cleaned up
    mkdirSync(path.join(dir, 'target.png'));
    await expect(writeImage(path.join(dir, 'target.png'), ldr)).rejects.toThrow(ImageWriteError);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(locked)).toEqual([]);
  });

  it('replaces an existing file atomically', async () => {
    const file = path.join(dir, 'replace.hdr');
    await writeImage(file, hdr);
    await writeImage(file, createHdr(20, 10, 3, new Float32Array(600).fill(0.25)));
    const back = await readImage(file);
    expect(back.data[0]).toBeCloseTo(0.25 * (1 + 0.5 / 128), 6);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
