import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, ImageReadError, InvalidInputError } from '../../src/core/errors.js';
import { createHdr } from '../../src/core/image/image.js';
import { encodeRadiance } from '../../src/core/io/radiance-hdr-write.js';
import { readImage } from '../../src/core/io/read-image.js';
import type { Progress } from '../../src/core/job.js';
import { TINY_CONFIG } from '../../src/core/model/architectures/multi-exposure/config.js';
import {
  createMultiExposureModel,
  type MultiExposureModel,
} from '../../src/core/model/architectures/multi-exposure/model.js';
import { writeVirtualBracket } from '../../src/core/model/bracket/virtual-bracket.js';
import { generateBracket } from '../../src/core/model/inference/tiled-bracket.js';
import { EXIFTOOL_AVAILABLE } from '../unit/exif/exiftool.js';

const W = 97;
const H = 61;
const EVS = [-2, 1, 0.5];
const NAMES = ['photo_ev-2.00', 'photo_ev+1.00', 'photo_ev+0.50'];
const BASE_TIME = 1 / 60;

const exiftool = EXIFTOOL_AVAILABLE;
if (!exiftool) console.warn('virtual-bracket.test: exiftool not installed, EXIF checks skipped');

let dir = '';
let photo = '';
let photoHash = '';
let model: MultiExposureModel;
/** The model's frames for EVS computed directly (generateBracket on the decoded photo). */
let expected: Float32Array[] = [];

const sha = async (file: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

/** A smooth colour gradient with a bright disc, 8-bit RGB. */
function photoPixels(): Buffer {
  const px = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const disc = (x - 60) ** 2 + (y - 25) ** 2 < 15 ** 2 ? 90 : 0;
      const i = (y * W + x) * 3;
      px[i] = Math.min(255, 30 + (x * 180) / W + disc);
      px[i + 1] = Math.min(255, 40 + (y * 150) / H + disc);
      px[i + 2] = Math.min(255, 60 + ((x + y) * 90) / (W + H) + disc);
    }
  }
  return px;
}

/** Decoded RGB samples of an image file in [0, 1], with its size and bit depth. */
async function decode(
  file: string,
): Promise<{ width: number; height: number; depth: string; data: Float32Array }> {
  const meta = await sharp(file).metadata();
  const wide = meta.depth === 'ushort';
  const pipeline = wide
    ? sharp(file).toColourspace('rgb16').raw({ depth: 'ushort' })
    : sharp(file).toColourspace('srgb').raw();
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  const src = wide
    ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const max = wide ? 65535 : 255;
  return {
    width: info.width,
    height: info.height,
    depth: meta.depth ?? '?',
    data: Float32Array.from(src, (v) => v / max),
  };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

type Tags = Record<string, unknown>;
async function exifOf(file: string): Promise<Tags> {
  return ((await exifr.parse(file, { tiff: true, exif: true })) ?? {}) as Tags;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = createMultiExposureModel(TINY_CONFIG, 1);
  dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-vbracket-'));
  photo = path.join(dir, 'photo.jpg');
  await sharp(photoPixels(), { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(photo);
  if (exiftool) {
    execFileSync('exiftool', [
      '-q',
      '-overwrite_original',
      '-ExposureTime=1/60',
      '-FNumber=8',
      '-ISO=200',
      '-Make=Bracketeer Test',
      '-Model=Synthetic 97',
      photo,
    ]);
  }
  photoHash = await sha(photo);
  const image = await readImage(photo);
  expected = (await generateBracket(model, image, EVS)).map((f) => f.data);
});

afterAll(async () => {
  model?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('writeVirtualBracket', () => {
  it('the reference frames of the EVs differ from each other (so the file mapping is tested)', () => {
    expect(maxAbsDiff(expected[0], expected[1])).toBeGreaterThan(0.02);
    expect(maxAbsDiff(expected[1], expected[2])).toBeGreaterThan(0.02);
    expect(maxAbsDiff(expected[0], expected[2])).toBeGreaterThan(0.02);
  });

  it('writes 16-bit TIFF frames holding the EV frames, with EXIF set per frame', async () => {
    const out = path.join(dir, 'tif');
    const progress: Progress[] = [];
    const r = await writeVirtualBracket(model, photo, EVS, {
      outDir: out,
      format: 'tif16',
      onProgress: (p) => progress.push(p),
    });
    const files = NAMES.map((n) => path.join(out, `${n}.tif`));
    expect(r.frames).toEqual(EVS.map((ev, i) => ({ ev, file: files[i] })));
    expect(r.input).toEqual({ file: photo, width: W, height: H });
    expect(r.merged).toBeUndefined();
    expect(r.flops).toBeGreaterThan(0);
    expect((await readdir(out)).sort()).toEqual(NAMES.map((n) => `${n}.tif`).sort());
    const fractions = progress.map((p) => p.fraction);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);

    for (let i = 0; i < EVS.length; i++) {
      const img = await decode(files[i]);
      expect([img.width, img.height, img.depth]).toEqual([W, H, 'ushort']);
      // the file holds this EV's frame, quantised to 16 bits
      expect(maxAbsDiff(img.data, expected[i]), files[i]).toBeLessThan(1 / 65535);
      if (exiftool) {
        const t = await exifOf(files[i]);
        expect(t.ExposureCompensation, files[i]).toBeCloseTo(EVS[i], 6);
        const time = t.ExposureTime as number;
        expect(Math.abs(time / (BASE_TIME * 2 ** EVS[i]) - 1), files[i]).toBeLessThan(0.005);
        expect(t.Make).toBe('Bracketeer Test');
        expect(t.Model).toBe('Synthetic 97');
        expect(t.FNumber).toBe(8);
        expect(t.ISO).toBe(200);
      }
    }
    expect(await sha(photo)).toBe(photoHash);
  });

  it("writes JPEG frames into the photo's own folder without touching the photo", async () => {
    const r = await writeVirtualBracket(model, photo, EVS, { outDir: dir, format: 'jpg' });
    const files = NAMES.map((n) => path.join(dir, `${n}.jpg`));
    expect(r.frames.map((f) => f.file)).toEqual(files);
    for (let i = 0; i < EVS.length; i++) {
      const img = await decode(files[i]);
      expect([img.width, img.height, img.depth]).toEqual([W, H, 'uchar']);
      // JPEG q95 4:4:4: close to its own EV's frame, farther from the others
      const own = meanAbsDiff(img.data, expected[i]);
      expect(own, files[i]).toBeLessThan(0.01);
      for (let j = 0; j < EVS.length; j++) {
        if (j !== i) expect(meanAbsDiff(img.data, expected[j])).toBeGreaterThan(own);
      }
      if (exiftool) {
        const t = await exifOf(files[i]);
        expect(t.ExposureCompensation, files[i]).toBeCloseTo(EVS[i], 6);
        const time = t.ExposureTime as number;
        expect(Math.abs(time / (BASE_TIME * 2 ** EVS[i]) - 1), files[i]).toBeLessThan(0.005);
        expect(t.Make).toBe('Bracketeer Test');
      }
    }
    expect(await sha(photo)).toBe(photoHash);
  });

  it('merges the bracket with the photo to an HDR file', async () => {
    const out = path.join(dir, 'merge');
    const merged = path.join(out, 'merged.exr');
    const r = await writeVirtualBracket(model, photo, EVS, {
      outDir: out,
      format: 'jpg',
      mergeTo: merged,
    });
    expect(r.merged).toBe(merged);
    const hdr = await readImage(merged);
    expect(hdr.kind).toBe('hdr');
    expect([hdr.width, hdr.height, hdr.channels]).toEqual([W, H, 3]);
    let bad = 0;
    for (const v of hdr.data) if (!(Number.isFinite(v) && v > 0)) bad++;
    expect(bad).toBe(0);
    expect(await sha(photo)).toBe(photoHash);
  });
});

describe('writeVirtualBracket errors', () => {
  it('rejects an HDR input', async () => {
    const file = path.join(dir, 'scene.hdr');
    const data = new Float32Array(16 * 8 * 3).fill(0.5);
    await writeFile(file, encodeRadiance(createHdr(16, 8, 3, data)));
    const out = path.join(dir, 'from-hdr');
    const err = await writeVirtualBracket(model, file, EVS, { outDir: out }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(/HDR/);
    await expect(stat(out)).rejects.toThrow();
  });

  it('rejects duplicate and empty EV lists', async () => {
    const out = path.join(dir, 'dup');
    await expect(writeVirtualBracket(model, photo, [1, -1, 1], { outDir: out })).rejects.toThrow(
      /duplicates/,
    );
    await expect(writeVirtualBracket(model, photo, [], { outDir: out })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(stat(out)).rejects.toThrow();
  });

  it('refuses to overwrite the input with the merge', async () => {
    // A JPEG named .exr is read by its content (LDR), so a merge to its own path is caught.
    const disguised = path.join(dir, 'disguised.exr');
    await writeFile(disguised, await readFile(photo));
    const before = await sha(disguised);
    const out = path.join(dir, 'overwrite');
    const rel = path.relative(process.cwd(), disguised);
    const err = await writeVirtualBracket(model, disguised, EVS, {
      outDir: out,
      mergeTo: rel,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(/overwrite the input/);
    expect(await sha(disguised)).toBe(before);
    await expect(stat(out)).rejects.toThrow();
    // the photo itself as merge target: refused (not an HDR extension), photo untouched
    await expect(
      writeVirtualBracket(model, photo, EVS, { outDir: out, mergeTo: photo }),
    ).rejects.toThrow(InvalidInputError);
    expect(await sha(photo)).toBe(photoHash);
  });

  it('names a truncated JPEG', async () => {
    const cut = path.join(dir, 'cut.jpg');
    const bytes = await readFile(photo);
    await writeFile(cut, bytes.subarray(0, bytes.length >> 1));
    const err = await writeVirtualBracket(model, cut, EVS, {
      outDir: path.join(dir, 'cut'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageReadError);
    expect((err as ImageReadError).file).toBe(cut);
    expect((err as Error).message).toContain(cut);
  });

  it('stops on a pre-aborted signal without writing anything', async () => {
    const out = path.join(dir, 'aborted');
    const ac = new AbortController();
    ac.abort();
    await expect(
      writeVirtualBracket(model, photo, EVS, { outDir: out, signal: ac.signal }),
    ).rejects.toThrow(CancelledError);
    const left = await readdir(out).catch(() => [] as string[]);
    expect(left).toEqual([]);
  });

  it('stops mid-run leaving only complete frames', async () => {
    const out = path.join(dir, 'mid');
    await mkdir(out);
    const ac = new AbortController();
    const err = await writeVirtualBracket(model, photo, EVS, {
      outDir: out,
      format: 'tif16',
      signal: ac.signal,
      onProgress: (p) => {
        if (p.message?.startsWith('EV +1')) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    const left = await readdir(out);
    // the first frame is written; the last never is; no temporary files remain
    expect(left).toContain(`${NAMES[0]}.tif`);
    expect(left).not.toContain(`${NAMES[2]}.tif`);
    expect(left.every((n) => NAMES.some((m) => n === `${m}.tif`))).toBe(true);
    for (const name of left) {
      const file = path.join(out, name);
      expect((await stat(file)).size, name).toBeGreaterThan(0);
      const img = await decode(file);
      expect([img.width, img.height], name).toEqual([W, H]);
    }
    expect(await sha(photo)).toBe(photoHash);
  });
});
