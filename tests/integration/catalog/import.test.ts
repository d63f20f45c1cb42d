/**
 * Import into a real SQLite catalog with real image files: EXIF columns, thumbnails (size,
 * orientation, HDR tone mapping), idempotent re-import, modified / moved / missing files,
 * corrupt files in a batch, cancellation.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/core/errors.js';
import { openCatalog, type Catalog, type ImportResult } from '../../../src/main/catalog/index.js';
import {
  EXIFTOOL_AVAILABLE,
  exiftool,
  sha256Of,
  tempLibrary,
  writeFloatTiff,
  writeHdr,
  writeJpeg,
  writeTruncated,
} from './fixtures.js';

const lib = tempLibrary();
let cat: Catalog;
const opts = (): { thumbnailsDir: string } => ({ thumbnailsDir: lib.thumbs });
const photo = (name: string): string => join(lib.photos, name);

/** Mean grey level of the top and bottom halves, and of the left and right halves. */
async function halves(jpeg: string): Promise<{
  top: number;
  bottom: number;
  left: number;
  right: number;
  width: number;
  height: number;
}> {
  const { data, info } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  let top = 0;
  let bottom = 0;
  let left = 0;
  let right = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x];
      if (y < height / 2) top += v;
      else bottom += v;
      if (x < width / 2) left += v;
      else right += v;
    }
  }
  const half = (width * height) / 2;
  return {
    top: top / half,
    bottom: bottom / half,
    left: left / half,
    right: right / half,
    width,
    height,
  };
}

beforeAll(() => {
  mkdirSync(lib.photos, { recursive: true });
  cat = openCatalog(lib.db);
});
afterAll(() => {
  cat.close();
  lib.cleanup();
});

describe('importFiles', () => {
  it.skipIf(!EXIFTOOL_AVAILABLE)(
    'records EXIF written by exiftool as columns + JSON and an upright 320 px thumbnail',
    async () => {
      const file = photo('exif.jpg');
      await writeJpeg(file, 800, 600); // left half dark (40), right half bright (220)
      exiftool(file, [
        '-Make=Canon',
        '-Model=Canon EOS R5',
        '-LensModel=RF24-70mm F2.8 L IS USM',
        '-ExposureTime=1/125',
        '-FNumber=8',
        '-ISO=200',
        '-ExposureCompensation=-1',
        '-DateTimeOriginal=2023:07:14 18:30:05',
        '-SubSecTimeOriginal=25',
        '-Orientation#=6',
      ]);
      const [r] = await cat.importFiles([file], opts());
      expect(r).toMatchObject({ path: file, status: 'added' });
      const p = cat.getPhoto(r.photoId as number);
      expect(p).toBeDefined();
      if (!p) return;
      expect(p.contentHash).toBe(sha256Of(file));
      expect(p.cameraMake).toBe('Canon');
      expect(p.cameraModel).toBe('Canon EOS R5');
      expect(p.captureTime).toBe('2023-07-14T18:30:05.25');
      expect(p.captureTimeMs).toBe(Date.UTC(2023, 6, 14, 18, 30, 5, 250));
      expect(p.sortTimeMs).toBe(p.captureTimeMs);
      expect(p.exif.exposureTime).toBeCloseTo(1 / 125, 12);
      expect(p.exif.fNumber).toBe(8);
      expect(p.exif.iso).toBe(200);
      expect(p.exif.exposureBias).toBe(-1);
      expect(p.exif.lensModel).toBe('RF24-70mm F2.8 L IS USM');
      expect(p.exif.orientation).toBe(6);
      // Orientation 6 displays the stored image turned 90° clockwise: 600 × 800, and the stored
      // left (dark) half becomes the top half.
      expect([p.width, p.height, p.kind, p.status]).toEqual([600, 800, 'ldr', 'ok']);
      expect(p.thumbnailPath).toBe(join(lib.thumbs, `${p.contentHash}.jpg`));
      const t = await halves(p.thumbnailPath as string);
      expect([t.width, t.height]).toEqual([240, 320]);
      expect(t.top).toBeLessThan(60);
      expect(t.bottom).toBeGreaterThan(200);
      expect(cat.cameras()).toContainEqual({ make: 'Canon', model: 'Canon EOS R5', count: 1 });
    },
  );
  if (!EXIFTOOL_AVAILABLE)
    console.warn('exiftool not installed: skipping the exiftool EXIF import test');

  it('records a photo without EXIF (date = file time) and a small one without enlarging', async () => {
    const file = photo('plain.jpg');
    await writeJpeg(file, 200, 100);
    const mtime = new Date('2021-03-04T05:06:07Z');
    utimesSync(file, mtime, mtime);
    const [r] = await cat.importFiles([file], opts());
    expect(r.status).toBe('added');
    const p = cat.getPhoto(r.photoId as number);
    expect(p).toMatchObject({ status: 'ok', width: 200, height: 100 });
    expect(p?.cameraMake).toBeNull();
    expect(p?.captureTimeMs).toBeNull();
    expect(p?.sortTimeMs).toBeCloseTo(mtime.getTime(), -1);
    const meta = await sharp(p?.thumbnailPath as string).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 200, 100]);
  });

  it('makes a tone-mapped thumbnail of a Radiance .hdr (core encoder)', async () => {
    const file = photo('ramp.hdr');
    writeHdr(file, 640, 160); // radiance 0.01 → 100 left to right
    const [r] = await cat.importFiles([file], opts());
    expect(r.status).toBe('added');
    const p = cat.getPhoto(r.photoId as number);
    expect([p?.kind, p?.width, p?.height]).toEqual(['hdr', 640, 160]);
    const t = await halves(p?.thumbnailPath as string);
    expect([t.width, t.height]).toEqual([320, 80]);
    // Reinhard maps the ramp monotonically: dark left, bright right, neither clipped flat.
    expect(t.left).toBeLessThan(t.right - 60);
    expect(t.right).toBeLessThan(255);
    expect(t.left).toBeGreaterThan(0);
  });

  it('reads a float TIFF as HDR and a 16-bit PNG with alpha as LDR', async () => {
    const tif = photo('ramp.tif');
    writeFloatTiff(tif, 400, 100);
    const png = photo('deep.png');
    const rgba = Buffer.alloc(50 * 40 * 4, 255); // opaque white…
    for (let i = 0; i < 50 * 40; i++) if (i % 50 < 25) rgba[i * 4 + 3] = 0; // …left half clear
    await sharp(rgba, { raw: { width: 50, height: 40, channels: 4 } })
      .toColourspace('rgb16')
      .png()
      .toFile(png);
    expect((await sharp(png).metadata()).depth).toBe('ushort');
    const [rt, rp] = await cat.importFiles([tif, png], opts());
    expect([rt.status, rp.status]).toEqual(['added', 'added']);
    const t = cat.getPhoto(rt.photoId as number);
    expect([t?.kind, t?.width, t?.height]).toEqual(['hdr', 400, 100]);
    const th = await halves(t?.thumbnailPath as string);
    expect([th.width, th.height]).toEqual([320, 80]);
    expect(th.left).toBeLessThan(th.right - 60); // tone-mapped ramp, not clipped to white
    const p = cat.getPhoto(rp.photoId as number);
    expect([p?.kind, p?.width, p?.height]).toEqual(['ldr', 50, 40]);
    const ph = await halves(p?.thumbnailPath as string);
    expect(ph.right).toBeGreaterThan(250); // white
    expect(Math.abs(ph.left - 128)).toBeLessThan(4); // transparent → flattened on mid grey
  });

  it('is idempotent: the same paths again are unchanged, nothing is written', async () => {
    const a = photo('idem-a.jpg');
    const b = photo('idem-b.jpg');
    await writeJpeg(a, 64, 48, { seed: 1 });
    await writeJpeg(b, 64, 48, { seed: 2 });
    const first = await cat.importFiles([a, b], opts());
    expect(first.map((r) => r.status)).toEqual(['added', 'added']);
    const before = [
      cat.getPhoto(first[0].photoId as number),
      cat.getPhoto(first[1].photoId as number),
    ];
    const count = cat.countPhotos();
    const thumbs = readdirSync(lib.thumbs).length;
    const again = await cat.importFiles([a, b, a], opts());
    expect(again.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.map((r) => r.photoId)).toEqual([
      first[0].photoId,
      first[1].photoId,
      first[0].photoId,
    ]);
    expect(cat.countPhotos()).toBe(count);
    expect(readdirSync(lib.thumbs).length).toBe(thumbs);
    expect(cat.getPhoto(first[0].photoId as number)).toEqual(before[0]);
    expect(cat.getPhoto(first[1].photoId as number)).toEqual(before[1]);
  });

  it('updates a modified file in place (same id, new hash and thumbnail)', async () => {
    const file = photo('modified.jpg');
    await writeJpeg(file, 64, 48, { seed: 10 });
    const [r1] = await cat.importFiles([file], opts());
    const old = cat.getPhoto(r1.photoId as number);
    await writeJpeg(file, 96, 48, { seed: 11 });
    const [r2] = await cat.importFiles([file], opts());
    expect(r2).toMatchObject({ status: 'updated', photoId: r1.photoId });
    const cur = cat.getPhoto(r1.photoId as number);
    expect(cur?.contentHash).toBe(sha256Of(file));
    expect(cur?.contentHash).not.toBe(old?.contentHash);
    expect([cur?.width, cur?.height]).toEqual([96, 48]);
    expect(cur?.importedAt).toBe(old?.importedAt);
    expect(existsSync(cur?.thumbnailPath as string)).toBe(true);
    // the old thumbnail is unreferenced now: pruning removes it (and only it)
    expect(existsSync(old?.thumbnailPath as string)).toBe(true);
    expect(await cat.pruneThumbnails(lib.thumbs)).toBe(1);
    expect(existsSync(old?.thumbnailPath as string)).toBe(false);
    expect(existsSync(cur?.thumbnailPath as string)).toBe(true);
  });

  it('treats the same content at a new path as a move when the old file is gone: id and recipe stay', async () => {
    const from = photo('move-me.jpg');
    await writeJpeg(from, 64, 48, { seed: 20 });
    const [r1] = await cat.importFiles([from], opts());
    const id = r1.photoId as number;
    const recipe = cat.saveRecipe(
      { photoId: id },
      { evs: [-2, 0, 2], operator: { id: 'reinhard02', params: { key: 0.18 } } },
    );
    mkdirSync(photo('moved'), { recursive: true });
    const to = photo('moved/renamed.jpg');
    renameSync(from, to);
    const [r2] = await cat.importFiles([to], opts());
    expect(r2).toEqual({ path: to, status: 'moved', photoId: id, previousPath: from });
    expect(cat.getPhoto(id)).toMatchObject({ path: to, name: 'renamed.jpg', status: 'ok' });
    expect(cat.getRecipe({ photoId: id })).toEqual(recipe);

    // same again after a rescan marked it missing first
    const to2 = photo('renamed-again.jpg');
    renameSync(to, to2);
    expect((await cat.rescan()).missing).toEqual([id]);
    const [r3] = await cat.importFiles([to2], opts());
    expect(r3).toMatchObject({ status: 'moved', photoId: id, previousPath: to });
    expect(cat.getPhoto(id)?.status).toBe('ok');
    expect(cat.listRecipes(id)).toEqual([recipe]);

    // a copy (the original still exists) is a second photo, not a move
    const copy = photo('copy.jpg');
    copyFileSync(to2, copy);
    const [r4] = await cat.importFiles([copy], opts());
    expect(r4.status).toBe('added');
    expect(r4.photoId).not.toBe(id);
    expect(cat.getPhoto(id)?.path).toBe(to2);
  });

  it('marks gone files missing (rows kept) and back to ok when they reappear', async () => {
    const a = photo('gone-a.jpg');
    const b = photo('gone-b.jpg');
    await writeJpeg(a, 64, 48, { seed: 30 });
    await writeJpeg(b, 64, 48, { seed: 31 });
    const [ra, rb] = await cat.importFiles([a, b], opts());
    const count = cat.countPhotos();
    const away = join(lib.dir, 'away.jpg');
    renameSync(a, away);
    const s1 = await cat.rescan();
    expect(s1.missing).toEqual([ra.photoId]);
    expect(cat.getPhoto(ra.photoId as number)?.status).toBe('missing');
    expect(cat.countPhotos()).toBe(count);
    expect(cat.listPhotos({ status: 'missing' }).map((p) => p.id)).toEqual([ra.photoId]);
    renameSync(away, a);
    const later = new Date(Date.now() + 60_000);
    utimesSync(b, later, later);
    const s2 = await cat.rescan();
    expect(s2.restored).toEqual([ra.photoId]);
    expect(s2.missing).toEqual([]);
    expect(s2.changed).toEqual([rb.photoId]); // touched: present, size/mtime differ
    expect(cat.getPhoto(ra.photoId as number)?.status).toBe('ok');
    // re-importing the touched file: same content, so unchanged (the new time is recorded)
    const [rb2] = await cat.importFiles([b], opts());
    expect(rb2.status).toBe('unchanged');
    // (file times pass through float seconds: equal to within a millisecond)
    expect(cat.getPhoto(rb.photoId as number)?.mtimeMs).toBeCloseTo(later.getTime(), -1);
    expect((await cat.rescan()).changed).toEqual([]);
    // importing a path that vanished reports it and marks the row missing
    renameSync(b, away);
    const [rb3] = await cat.importFiles([b], opts());
    expect(rb3).toMatchObject({ status: 'error', photoId: rb.photoId });
    expect(rb3.message).toContain(`${b}: file not found`);
    expect(cat.getPhoto(rb.photoId as number)?.status).toBe('missing');
    renameSync(away, b);
    const [rb4] = await cat.importFiles([b], opts());
    expect(rb4).toMatchObject({ status: 'restored', photoId: rb.photoId });
  });

  it('records corrupt files with the reason and imports the rest of the batch', async () => {
    const good1 = photo('batch-1.jpg');
    const good2 = photo('batch-2.jpg');
    const whole = photo('whole.jpg');
    const truncated = photo('truncated.jpg');
    const text = photo('not-an-image.jpg');
    const empty = photo('empty.jpg');
    await writeJpeg(good1, 64, 48, { seed: 40 });
    await writeJpeg(good2, 64, 48, { seed: 41 });
    await writeJpeg(whole, 640, 480, { seed: 42, noise: true });
    writeTruncated(whole, truncated, 0.5);
    writeFileSync(text, 'hello, this is not a JPEG\n');
    writeFileSync(empty, '');
    const seen: ImportResult[] = [];
    const fractions: number[] = [];
    const results = await cat.importFiles([good1, truncated, text, empty, good2], {
      ...opts(),
      onResult: (r) => seen.push(r),
      onProgress: (p) => fractions.push(p.fraction),
    });
    expect(results.map((r) => r.status)).toEqual(['added', 'error', 'error', 'error', 'added']);
    expect(seen).toEqual(results);
    expect(fractions).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    for (const [r, file, reason] of [
      [results[1], truncated, /truncated|premature|corrupt|decode/i],
      [results[2], text, /unrecognised image format/],
      [results[3], empty, /file is empty/],
    ] as const) {
      expect(r.message).toContain(file);
      expect(r.message).toMatch(reason);
      const p = cat.getPhoto(r.photoId as number);
      expect(p).toMatchObject({
        status: 'error',
        statusMessage: r.message,
        thumbnailPath: null,
        kind: null,
      });
      expect(p?.contentHash).toBe(sha256Of(file));
    }
    expect(
      cat
        .listPhotos({ status: 'error' })
        .map((p) => p.path)
        .sort(),
    ).toEqual([empty, text, truncated].sort());
    // an unreadable file that did not change is not re-tried: unchanged, same row
    const again = await cat.importFiles([truncated], opts());
    expect(again[0]).toMatchObject({ status: 'unchanged', photoId: results[1].photoId });
    // once repaired it becomes a photo, same id
    copyFileSync(whole, truncated);
    const fixed = await cat.importFiles([truncated], opts());
    expect(fixed[0]).toMatchObject({ status: 'updated', photoId: results[1].photoId });
    expect(cat.getPhoto(results[1].photoId as number)?.status).toBe('ok');
  });

  it('stops at the next file when cancelled; files done stay imported', async () => {
    const files = [0, 1, 2].map((i) => photo(`cancel-${i}.jpg`));
    for (const [i, f] of files.entries()) await writeJpeg(f, 64, 48, { seed: 50 + i });
    const ac = new AbortController();
    const done: ImportResult[] = [];
    await expect(
      cat.importFiles(files, {
        ...opts(),
        signal: ac.signal,
        onResult: (r) => {
          done.push(r);
          ac.abort();
        },
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(done.map((r) => r.status)).toEqual(['added']);
    expect(cat.getPhoto(done[0].photoId as number)?.path).toBe(files[0]);
    expect(cat.listPhotos({ limit: 10_000 }).some((p) => p.path === files[1])).toBe(false);
  });
});
