/**
 * The library grid's queries on 5,000 synthetic photos inserted directly through a second SQLite
 * connection: every page is compared with the same page computed in JavaScript from the
 * generated data, and the time of a page query is measured (budget: well under 50 ms).
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openCatalog,
  type Catalog,
  type ListPhotosQuery,
  type PhotoStatus,
} from '../../../src/main/catalog/index.js';
import { tempLibrary } from './fixtures.js';

const N = 5000;
const CAMERAS: [string | null, string | null][] = [
  ['Canon', 'Canon EOS R5'],
  ['NIKON CORPORATION', 'NIKON D850'],
  ['SONY', 'ILCE-7M3'],
  ['FUJIFILM', 'X-T4'],
  [null, null],
];

interface Synth {
  id: number;
  name: string;
  sortTime: number;
  importedAt: number;
  make: string | null;
  model: string | null;
  status: PhotoStatus;
  stacked: boolean;
}

const lib = tempLibrary('bracketeer-listing-');
let cat: Catalog;
const rows: Synth[] = [];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

beforeAll(() => {
  cat = openCatalog(lib.db); // creates the schema
  const db = new BetterSqlite3(lib.db);
  const rand = rng(42);
  const insert = db.prepare(
    `INSERT INTO photos (id, path, name, content_hash, size_bytes, mtime_ms, width, height, kind,
      capture_time_ms, sort_time_ms, camera_make, camera_model, exif_json, thumbnail_path,
      status, imported_at, updated_at)
     VALUES (?, ?, ?, ?, 1000, ?, 6000, 4000, 'ldr', ?, ?, ?, ?, '{}', ?, ?, ?, ?)`,
  );
  const stack = db.prepare('INSERT INTO stacks (id, created_at) VALUES (?, 0)');
  const member = db.prepare('INSERT INTO stack_members VALUES (?, ?, ?, NULL)');
  db.transaction(() => {
    for (let id = 1; id <= N; id++) {
      const [make, model] = CAMERAS[Math.floor(rand() * CAMERAS.length)];
      const mtime = 1.6e12 + Math.floor(rand() * 1e10);
      const capture = rand() < 0.1 ? null : 1.5e12 + Math.floor(rand() * 1e11);
      // names with mixed case and many duplicates, so NOCASE and the id tie-break both matter
      const name = `${rand() < 0.5 ? 'IMG' : 'img'}_${String(Math.floor(rand() * 2000)).padStart(4, '0')}.jpg`;
      const status: PhotoStatus = rand() < 0.05 ? 'missing' : 'ok';
      const importedAt = 1.7e12 + Math.floor(id / 10) * 1000; // batches of 10 share a time
      const hash = id.toString(16).padStart(64, '0');
      insert.run(
        id,
        `/library/${id}/${name}`,
        name,
        hash,
        mtime,
        capture,
        capture ?? mtime,
        make,
        model,
        `/thumbs/${hash}.jpg`,
        status,
        importedAt,
        importedAt,
      );
      rows.push({
        id,
        name,
        sortTime: capture ?? mtime,
        importedAt,
        make,
        model,
        status,
        stacked: false,
      });
    }
    // 300 stacks of 3 consecutive photos
    for (let s = 0; s < 300; s++) {
      stack.run(s + 1);
      for (let k = 0; k < 3; k++) {
        const id = 1 + s * 16 + k;
        member.run(s + 1, id, k);
        rows[id - 1].stacked = true;
      }
    }
  })();
  db.close();
});
afterAll(() => {
  cat.close();
  lib.cleanup();
});

/** The page the catalog should return, computed in JS from the generated rows. */
function expected(q: ListPhotosQuery): number[] {
  const sort = q.sort ?? 'captureTime';
  const dir = q.order === 'desc' ? -1 : 1;
  const key = (r: Synth): number | string =>
    sort === 'name' ? r.name.toLowerCase() : sort === 'importedAt' ? r.importedAt : r.sortTime;
  const statuses = q.status === undefined ? undefined : [q.status].flat();
  return rows
    .filter(
      (r) =>
        (!q.camera || (r.make === q.camera.make && r.model === q.camera.model)) &&
        (q.hasStack === undefined || r.stacked === q.hasStack) &&
        (!statuses || statuses.includes(r.status)),
    )
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return (ka < kb ? -1 : ka > kb ? 1 : 0) * dir || (a.id - b.id) * dir;
    })
    .slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 200))
    .map((r) => r.id);
}

/** Median wall time of `runs` calls, in ms (after one warm-up call). */
function timeMs(fn: () => unknown, runs = 15): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(runs / 2)];
}

const QUERIES: [string, ListPhotosQuery][] = [
  ['date desc, middle page', { sort: 'captureTime', order: 'desc', offset: 2500, limit: 100 }],
  ['date asc, first page', { sort: 'captureTime', limit: 100 }],
  ['name asc, last page', { sort: 'name', offset: 4900, limit: 100 }],
  ['imported desc', { sort: 'importedAt', order: 'desc', offset: 1000, limit: 100 }],
  [
    'camera filter',
    { camera: { make: 'SONY', model: 'ILCE-7M3' }, sort: 'captureTime', offset: 200, limit: 100 },
  ],
  ['unknown camera', { camera: { make: null, model: null }, sort: 'name', limit: 100 }],
  ['has stack', { hasStack: true, sort: 'captureTime', order: 'desc', offset: 300, limit: 100 }],
  ['no stack + ok', { hasStack: false, status: 'ok', sort: 'name', offset: 3000, limit: 100 }],
  ['missing only', { status: ['missing'], limit: 100 }],
];

describe('listPhotos on 5,000 photos', () => {
  it.each(QUERIES)('%s: the right page, fast', (label, q) => {
    const got = cat.listPhotos(q).map((p) => p.id);
    expect(got).toEqual(expected(q));
    expect(got.length).toBeGreaterThan(0);
    const ms = timeMs(() => cat.listPhotos(q));
    console.log(`page query "${label}" (${got.length} rows): ${ms.toFixed(2)} ms (median)`);
    expect(ms).toBeLessThan(50);
  });

  it('counts and lists cameras like the data', () => {
    expect(cat.countPhotos()).toBe(N);
    expect(cat.countPhotos({ hasStack: true })).toBe(900);
    expect(cat.countPhotos({ status: 'missing' })).toBe(
      rows.filter((r) => r.status === 'missing').length,
    );
    const cams = cat.cameras();
    expect(cams.map((c) => [c.make, c.model])).toEqual([
      ['Canon', 'Canon EOS R5'],
      ['FUJIFILM', 'X-T4'],
      ['NIKON CORPORATION', 'NIKON D850'],
      ['SONY', 'ILCE-7M3'],
      [null, null],
    ]);
    for (const c of cams) {
      expect(c.count).toBe(rows.filter((r) => r.make === c.make && r.model === c.model).length);
    }
    const ms = timeMs(() => cat.countPhotos({ camera: { make: 'Canon', model: 'Canon EOS R5' } }));
    console.log(
      `countPhotos(camera): ${ms.toFixed(2)} ms; cameras(): ${timeMs(() => cat.cameras()).toFixed(2)} ms`,
    );
    expect(ms).toBeLessThan(50);
  });

  it('reads pages through indexes, not a full sort', () => {
    const db = new BetterSqlite3(lib.db, { readonly: true });
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    expect(
      plan('SELECT id FROM photos p ORDER BY p.sort_time_ms DESC, p.id DESC LIMIT 100'),
    ).toMatch(/photos_sort_time/);
    expect(plan('SELECT id FROM photos p ORDER BY p.name COLLATE NOCASE, p.id LIMIT 100')).toMatch(
      /photos_name/,
    );
    expect(
      plan(
        "SELECT id FROM photos p WHERE p.camera_make IS 'SONY' AND p.camera_model IS 'X' ORDER BY p.sort_time_ms, p.id LIMIT 100",
      ),
    ).toMatch(/photos_camera/);
    db.close();
  });

  it('rejects bad paging and unknown sort keys', () => {
    expect(() => cat.listPhotos({ limit: 0 })).toThrow(/limit/);
    expect(() => cat.listPhotos({ offset: -1 })).toThrow(/offset/);
    expect(() => cat.listPhotos({ sort: 'size' as 'name' })).toThrow(/unknown sort/);
    expect(() => cat.listPhotos({ status: 'gone' as PhotoStatus })).toThrow(/unknown photo status/);
  });

  it('rescans 5,000 photos whose files are all gone: every ok row becomes missing, none deleted', async () => {
    const ok = rows.filter((r) => r.status === 'ok').length;
    const t0 = performance.now();
    const res = await cat.rescan();
    const ms = performance.now() - t0;
    console.log(`rescan of ${res.checked} photos: ${ms.toFixed(0)} ms`);
    expect(res.checked).toBe(N);
    expect(res.missing.length).toBe(ok);
    expect(cat.countPhotos()).toBe(N);
    expect(cat.countPhotos({ status: 'missing' })).toBe(N);
  });
});
