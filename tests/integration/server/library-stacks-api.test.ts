/**
 * Stack edits over the real HTTP server: a generated 3-frame bracket (JPEGs with EXIF written
 * by sharp) is split, merged back, a frame removed and added again; the returned tiles, the
 * details, `library.changed`, the refusal of another camera (400, naming the photos), request
 * validation, and a re-import that keeps the user's edits.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryItem } from '../../../src/shared/api/index.js';
import { startTestServer, tempDir, waitFor, type TestServer } from './helpers.js';

let tmp: { dir: string; remove: () => Promise<void> };
let t: TestServer;
let photos = '';
/** Photo ids by file name. */
const ids: Record<string, number> = {};

async function jpeg(file: string, grey: number, make: string, sub: string, exposure: string) {
  await sharp(Buffer.alloc(64 * 48 * 3, grey), { raw: { width: 64, height: 48, channels: 3 } })
    .jpeg({ quality: 95 })
    .withExif({
      IFD0: { Make: make, Model: `${make} One` },
      IFD2: {
        DateTimeOriginal: '2024:02:02 09:00:00',
        SubSecTimeOriginal: sub,
        ExposureTime: exposure,
        FNumber: '8',
        ISOSpeedRatings: '100',
      },
    })
    .toFile(file);
}

const names = (tiles: readonly LibraryItem[]) => tiles.map((x) => [x.name, x.frameCount]);

async function allTiles(): Promise<readonly LibraryItem[]> {
  return (await t.api.invoke('library.list', { sort: 'name', limit: 100 })).items;
}

beforeAll(async () => {
  tmp = await tempDir('library-stacks');
  photos = join(tmp.dir, 'photos');
  await mkdir(photos, { recursive: true });
  await Promise.all([
    jpeg(join(photos, 's1.jpg'), 30, 'Alpha', '000', '1/400'),
    jpeg(join(photos, 's2.jpg'), 120, 'Alpha', '300', '1/100'),
    jpeg(join(photos, 's3.jpg'), 230, 'Alpha', '600', '1/25'),
    jpeg(join(photos, 'x.jpg'), 90, 'Beta', '000', '1/60'),
  ]);
  t = await startTestServer({ dataDir: join(tmp.dir, 'user-data') });
  const r = await t.api.invoke('library.import', { paths: [photos] });
  expect(r).toMatchObject({ added: 4, stacks: 1 });
});

afterAll(async () => {
  await t?.close();
  await tmp?.remove();
});

describe('stack edits over HTTP', () => {
  it('lists the detected stack as one tile', async () => {
    const tiles = await allTiles();
    expect(names(tiles)).toEqual([
      ['s2.jpg', 3],
      ['x.jpg', 1],
    ]);
    const d = await t.api.invoke('library.photo', { id: tiles[0].id });
    expect(d.frames.map((f) => f.name)).toEqual(['s1.jpg', 's2.jpg', 's3.jpg']);
    expect(d.stackEdited).toBe(false);
    for (const f of d.frames) ids[f.name] = f.id;
    ids['x.jpg'] = tiles[1].id;
  });

  it('splits before s2: s1 alone, s2–s3 a stack; tiles returned and library.changed sent', async () => {
    const before = t.events.length;
    const r = await t.api.invoke('library.splitStack', { id: ids['s2.jpg'] });
    expect(names(r.tiles)).toEqual([
      ['s2.jpg', 2], // a stack of 2 shows its frame at position ⌊(2 − 1)/2⌋ = 0
      ['s1.jpg', 1],
    ]);
    expect(r.tiles[1].stackId).toBeNull();
    expect(r.total).toBe(3);
    await waitFor(
      () => t.events.slice(before).some((e) => e.event === 'library.changed'),
      2000,
      'library.changed after the split',
    );
    const ev = t.events.slice(before).find((e) => e.event === 'library.changed');
    expect(ev?.payload).toEqual({ reason: 'stacks', total: 3 });
    expect(names(await allTiles())).toEqual([
      ['s1.jpg', 1],
      ['s2.jpg', 2],
      ['x.jpg', 1],
    ]);
    const d = await t.api.invoke('library.photo', { id: ids['s3.jpg'] });
    expect(d.stackEdited).toBe(true);
    expect(d.frames.map((f) => f.name)).toEqual(['s2.jpg', 's3.jpg']);
  });

  it('refuses to merge another camera with 400, naming the photos', async () => {
    const res = await t.post('library.mergeStack', { ids: [ids['s1.jpg'], ids['x.jpg']] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid');
    expect(body.error.message).toBe(
      'cannot put these photos in one stack: cameras differ (Alpha One: s1.jpg; Beta One: x.jpg)',
    );
    const few = await t.post('library.mergeStack', { ids: [ids['s1.jpg']] });
    expect(few.status).toBe(400);
    expect(((await few.json()) as { error: { message: string } }).error.message).toMatch(
      /at least two photos or stacks/,
    );
    const unknown = await t.post('library.splitStack', { id: 99999 });
    expect(unknown.status).toBe(404);
    expect(names(await allTiles())).toEqual([
      ['s1.jpg', 1],
      ['s2.jpg', 2],
      ['x.jpg', 1],
    ]);
  });

  it('merges s1 with the s2–s3 stack, in exposure order', async () => {
    const r = await t.api.invoke('library.mergeStack', { ids: [ids['s3.jpg'], ids['s1.jpg']] });
    expect(names(r.tiles)).toEqual([['s2.jpg', 3]]);
    expect(r.total).toBe(2);
    const d = await t.api.invoke('library.photo', { id: r.tiles[0].id });
    expect(d.frames.map((f) => f.name)).toEqual(['s1.jpg', 's2.jpg', 's3.jpg']);
    // EV = log2(t) − 2·log2(8) at ISO 100
    expect(d.frames[0].exposureEv).toBeCloseTo(Math.log2(1 / 400) - 6, 9);
  });

  it('removes s3 and adds it back', async () => {
    const removed = await t.api.invoke('library.removeFromStack', { id: ids['s3.jpg'] });
    expect(names(removed.tiles)).toEqual([
      ['s1.jpg', 2],
      ['s3.jpg', 1],
    ]);
    const stackId = removed.tiles[0].stackId;
    expect(stackId).not.toBeNull();
    const added = await t.api.invoke('library.addToStack', {
      stackId: stackId ?? 0,
      ids: [ids['s3.jpg']],
    });
    expect(names(added.tiles)).toEqual([['s2.jpg', 3]]);
    expect(added.tiles[0].stackId).toBe(stackId);
  });

  it('a re-import keeps the edited stack and does not re-stack a removed frame', async () => {
    await t.api.invoke('library.removeFromStack', { id: ids['s1.jpg'] });
    const r = await t.api.invoke('library.import', { paths: [photos] });
    expect(r).toMatchObject({ unchanged: 4, stacks: 0 });
    expect(names(await allTiles())).toEqual([
      ['s1.jpg', 1],
      ['s2.jpg', 2],
      ['x.jpg', 1],
    ]);
  });
});
