/**
 * The library methods over the real HTTP server: generated JPEGs with EXIF written by sharp,
 * imported twice (idempotent), listed with sorts and filters (a bracket stack is one tile),
 * details, thumbnails, a moved file (missing after rescan, then found again), a corrupt file.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryItem } from '../../../src/shared/api/index.js';
import { startTestServer, tempDir, waitFor, type TestServer } from './helpers.js';

let tmp: { dir: string; remove: () => Promise<void> };
let t: TestServer;
let photos = '';

/** A uniform grey JPEG with EXIF (IFD0 camera, IFD2 exposure and date). */
async function jpeg(
  file: string,
  grey: number,
  exif: { make: string; model: string; date: string; sub?: string; exposure: string },
  size: [number, number] = [64, 48],
): Promise<void> {
  const [w, h] = size;
  await sharp(Buffer.alloc(w * h * 3, grey), { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 95 })
    .withExif({
      IFD0: { Make: exif.make, Model: exif.model },
      IFD2: {
        DateTimeOriginal: exif.date,
        SubSecTimeOriginal: exif.sub ?? '0',
        ExposureTime: exif.exposure,
        FNumber: '8',
        ISOSpeedRatings: '100',
      },
    })
    .toFile(file);
}

const list = (req: Parameters<TestServer['api']['invoke']>[1]) =>
  t.api.invoke('library.list', req as never) as Promise<{
    total: number;
    items: readonly LibraryItem[];
  }>;

beforeAll(async () => {
  tmp = await tempDir('library');
  photos = join(tmp.dir, 'photos');
  await mkdir(join(photos, 'a'), { recursive: true });
  await mkdir(join(photos, 'stack'), { recursive: true });
  await mkdir(join(photos, '.hidden'), { recursive: true });
  const alpha = { make: 'Alpha', model: 'A1' };
  await Promise.all([
    jpeg(join(photos, 'a', 'single1.jpg'), 200, {
      ...alpha,
      date: '2024:01:01 10:00:00',
      exposure: '1/100',
    }),
    jpeg(
      join(photos, 'a', 'single2.jpg'),
      60,
      { make: 'Beta', model: 'B2', date: '2023:06:01 12:00:00', exposure: '1/50' },
      [80, 40],
    ),
    // A bracket: three frames 0.3 s apart, 1/400, 1/100, 1/25 s (2 EV steps).
    jpeg(join(photos, 'stack', 's1.jpg'), 30, {
      ...alpha,
      date: '2024:02:02 09:00:00',
      sub: '000',
      exposure: '1/400',
    }),
    jpeg(join(photos, 'stack', 's2.jpg'), 120, {
      ...alpha,
      date: '2024:02:02 09:00:00',
      sub: '300',
      exposure: '1/100',
    }),
    jpeg(join(photos, 'stack', 's3.jpg'), 230, {
      ...alpha,
      date: '2024:02:02 09:00:00',
      sub: '600',
      exposure: '1/25',
    }),
    jpeg(join(photos, '.hidden', 'skip.jpg'), 10, {
      ...alpha,
      date: '2020:01:01 00:00:00',
      exposure: '1',
    }),
  ]);
  // A .jpg that is no image at all.
  await writeFile(join(photos, 'corrupt.jpg'), 'this is not a JPEG file\n'.repeat(20));
  await writeFile(join(photos, 'notes.txt'), 'not an image');
  t = await startTestServer({ dataDir: join(tmp.dir, 'user-data') });
});

afterAll(async () => {
  await t?.close();
  await tmp?.remove();
});

describe('library over HTTP', () => {
  it('imports a folder recursively; a corrupt file is an error naming it; re-import is idempotent', async () => {
    const first = await t.api.invoke('library.import', { paths: [photos] });
    expect(first.files).toBe(6); // 5 photos + corrupt.jpg; notes.txt and .hidden skipped
    expect(first).toMatchObject({ added: 5, unchanged: 0, moved: 0, failed: 1, stacks: 1 });
    expect(first.errors).toHaveLength(1);
    expect(first.errors[0].path).toBe(join(photos, 'corrupt.jpg'));
    expect(first.errors[0].message).toContain(join(photos, 'corrupt.jpg'));

    const second = await t.api.invoke('library.import', { paths: [photos] });
    expect(second).toMatchObject({ added: 0, unchanged: 5, updated: 0, failed: 1, stacks: 0 });
    expect((await list({})).total).toBe(4); // 2 singles + 1 stack + the corrupt file
    await waitFor(
      () => t.events.filter((e) => e.event === 'library.changed').length >= 2,
      2000,
      'library.changed events',
    );
    const ev = t.events.find((e) => e.event === 'library.changed');
    expect(ev?.payload).toEqual({ reason: 'import', total: 4 });
  });

  it('lists a stack as one tile showing its middle frame, sorted by date', async () => {
    const page = await list({ sort: 'date', order: 'asc' });
    const names = page.items.map((i) => i.name);
    // dates: single2 2023, single1 2024-01, stack 2024-02; corrupt.jpg has only its file date (now)
    expect(names).toEqual(['single2.jpg', 'single1.jpg', 's2.jpg', 'corrupt.jpg']);
    const stack = page.items[2];
    expect(stack).toMatchObject({ frameCount: 3, missingFrames: 0, status: 'present' });
    expect(stack.stackId).not.toBeNull();
    expect(page.items[0]).toMatchObject({ frameCount: 1, stackId: null, width: 80, height: 40 });
    expect(page.items[3]).toMatchObject({ status: 'error', hasThumbnail: false });
    expect(page.items[3].statusMessage).toContain('corrupt.jpg');

    const desc = await list({ sort: 'date', order: 'desc', offset: 1, limit: 2 });
    expect(desc.total).toBe(4);
    expect(desc.items.map((i) => i.name)).toEqual(['s2.jpg', 'single1.jpg']);
  });

  it('sorts by name and camera and filters by camera, stack and text', async () => {
    expect((await list({ sort: 'name' })).items.map((i) => i.name)).toEqual([
      'corrupt.jpg',
      's2.jpg',
      'single1.jpg',
      'single2.jpg',
    ]);
    // camera: Alpha (by date: single1, stack), Beta, then unknown
    expect((await list({ sort: 'camera' })).items.map((i) => i.name)).toEqual([
      'single1.jpg',
      's2.jpg',
      'single2.jpg',
      'corrupt.jpg',
    ]);
    const stacks = await list({ filter: { hasStack: true } });
    expect(stacks.total).toBe(1);
    expect(stacks.items[0].frameCount).toBe(3);
    expect((await list({ filter: { hasStack: false } })).total).toBe(3);
    const beta = await list({ filter: { camera: { make: 'Beta', model: 'B2' } } });
    expect(beta.items.map((i) => i.name)).toEqual(['single2.jpg']);
    // text matches any frame of a stack
    expect((await list({ filter: { text: 'S3.JPG' } })).items.map((i) => i.name)).toEqual([
      's2.jpg',
    ]);
    expect((await list({ filter: { text: '%' } })).total).toBe(0); // LIKE wildcards are literal
    const cams = await t.api.invoke('library.cameras', {});
    expect(cams).toEqual([
      { make: 'Alpha', model: 'A1', count: 4 },
      { make: 'Beta', model: 'B2', count: 1 },
      { make: null, model: null, count: 1 },
    ]);
  });

  it('returns details with EXIF and the frames of a stack, darkest first', async () => {
    const tile = (await list({ filter: { hasStack: true } })).items[0];
    const d = await t.api.invoke('library.photo', { id: tile.id });
    expect(d.path).toBe(join(photos, 'stack', 's2.jpg'));
    expect(d.exif.exposureTime).toBeCloseTo(1 / 100, 9);
    expect(d.exif.fNumber).toBe(8);
    expect(d.cameraMake).toBe('Alpha');
    expect(d.captureTime).toBe('2024-02-02T09:00:00.300');
    expect(d.frames.map((f) => f.name)).toEqual(['s1.jpg', 's2.jpg', 's3.jpg']);
    // EV = log2(t · ISO/100 / N²) with N = 8, ISO 100
    const evs = d.frames.map((f) => f.exposureEv ?? NaN);
    expect(evs[0]).toBeCloseTo(Math.log2(1 / 400 / 64), 6);
    expect(evs[2] - evs[0]).toBeCloseTo(4, 6);
  });

  it('serves thumbnails as RGB frames of the photo (grey level kept, shrunk on request)', async () => {
    const single1 = (await list({ filter: { text: 'single1' } })).items[0];
    const full = await t.api.invoke('library.thumbnail', { id: single1.id });
    expect([full.width, full.height, full.channels, full.format]).toEqual([64, 48, 3, 'u8']);
    let sum = 0;
    for (const v of full.data) sum += v;
    expect(sum / full.data.length).toBeGreaterThan(196);
    expect(sum / full.data.length).toBeLessThan(204);
    const small = await t.api.invoke('library.thumbnail', { id: single1.id, maxSize: 32 });
    expect([small.width, small.height]).toEqual([32, 24]);
  });

  it('shows a moved file as missing after a rescan, and finds it again on import', async () => {
    const from = join(photos, 'a', 'single2.jpg');
    const elsewhere = join(tmp.dir, 'moved');
    await mkdir(elsewhere);
    await rename(from, join(elsewhere, 'single2.jpg'));
    const r = await t.api.invoke('library.rescan', {});
    expect(r).toMatchObject({ missing: 1, restored: 0 });
    const tile = (await list({ filter: { text: 'single2' } })).items[0];
    expect(tile).toMatchObject({ status: 'missing', missingFrames: 1, path: from });
    expect((await t.api.invoke('library.photo', { id: tile.id })).status).toBe('missing');
    // the thumbnail still shows what is missing
    expect((await t.api.invoke('library.thumbnail', { id: tile.id })).width).toBe(80);

    const back = await t.api.invoke('library.import', { paths: [elsewhere] });
    expect(back).toMatchObject({ files: 1, moved: 1, added: 0 });
    const again = await t.api.invoke('library.photo', { id: tile.id });
    expect(again).toMatchObject({ status: 'present', path: join(elsewhere, 'single2.jpg') });
    expect((await list({})).total).toBe(4);
  });

  it('validates requests and names the field or the file', async () => {
    const tooMany = await t.post('library.list', { limit: 501 });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { field: string } }).error.field).toBe('limit');
    const relative = await t.post('library.import', { paths: ['photos/a'] });
    expect(relative.status).toBe(400);
    const body = (await relative.json()) as { error: { message: string; field: string } };
    expect(body.error.field).toBe('paths[0]');
    const nowhere = join(tmp.dir, 'no-such-folder');
    const r = await t.api.invoke('library.import', { paths: [nowhere] });
    expect(r).toMatchObject({ files: 0, failed: 1 });
    expect(r.errors[0].message).toBe(`${nowhere}: no such file or folder`);
    const unknown = await t.post('library.photo', { id: 999_999 });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('999999');
  });

  it('imports only under the allowed folders when the server has roots', async () => {
    const s2 = await startTestServer({
      dataDir: join(tmp.dir, 'user-data-2'),
      roots: [join(photos, 'a')],
    });
    try {
      const outside = await s2.api.invoke('library.import', { paths: [join(photos, 'stack')] });
      expect(outside).toMatchObject({ files: 0, added: 0, failed: 1 });
      expect(outside.errors[0].message).toContain('outside the allowed folders');
      expect(outside.errors[0].message).toContain(join(photos, 'stack'));
      const inside = await s2.api.invoke('library.import', { paths: [join(photos, 'a')] });
      expect(inside).toMatchObject({ files: 1, added: 1, failed: 0 }); // single2 was moved away
    } finally {
      await s2.close();
    }
  });
});
