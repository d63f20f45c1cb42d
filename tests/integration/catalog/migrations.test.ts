/**
 * Schema and migrations on real SQLite files: a new file gets the latest schema in WAL mode; a
 * v1 file (as the first release wrote it) is migrated with its data intact; a failing migration
 * leaves the file at its previous version; files from a newer app or not a database are refused.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/errors.js';
import {
  MIGRATIONS,
  SCHEMA_VERSION,
  migrate,
  openCatalog,
  schemaVersion,
  type Migration,
} from '../../../src/main/catalog/index.js';
import { openDatabase } from '../../../src/main/catalog/open-database.js';
import { tempLibrary } from './fixtures.js';

const lib = tempLibrary('bracketeer-migrate-');
afterAll(() => lib.cleanup());

const HASH = 'ab'.repeat(32);

describe('catalog schema and migrations', () => {
  it('creates a new file at the latest version, in WAL mode, with foreign keys enforced', () => {
    const file = join(lib.dir, 'new', 'catalog.sqlite');
    const cat = openCatalog(file);
    expect(cat.schemaVersion).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    cat.close();
    const db = new BetterSqlite3(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal'); // persistent in the file
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    expect(tables).toEqual([
      'model_versions',
      'models',
      'photos',
      'recipes',
      'stack_members',
      'stacks',
    ]);
    db.close();
    // foreign keys are on in the catalog's connections: a member of an unknown photo is refused
    const own = openDatabase(file);
    expect(own.pragma('foreign_keys', { simple: true })).toBe(1);
    own.prepare('INSERT INTO stacks (id, created_at) VALUES (1, 0)').run();
    expect(() => own.prepare('INSERT INTO stack_members VALUES (1, 999, 0, NULL)').run()).toThrow(
      /FOREIGN KEY/,
    );
    own.close();
  });

  it('migrates a v1 file: data kept, new columns backfilled, new tables usable', () => {
    const file = join(lib.dir, 'v1.sqlite');
    const v1 = new BetterSqlite3(file);
    expect(migrate(v1, file, MIGRATIONS, 1)).toEqual([1]);
    expect(schemaVersion(v1)).toBe(1);
    const insert = v1.prepare(
      `INSERT INTO photos (id, path, content_hash, size_bytes, mtime_ms, width, height, kind,
        capture_time, capture_time_ms, camera_make, camera_model, exif_json, thumbnail_path,
        status, imported_at, updated_at)
       VALUES (?, ?, ?, 1000, ?, 4, 3, 'ldr', ?, ?, 'Nikon', 'D850', '{"iso":64}', '/t.jpg',
        'ok', 5, 5)`,
    );
    insert.run(1, '/photos/2019/Beach Sunset.JPG', HASH, 1.5e12, null, null);
    insert.run(2, '/photos/2019/dawn.jpg', HASH, 1.6e12, '2019-01-01T06:00:00', 1.546e12);
    v1.prepare('INSERT INTO stacks (id, label, created_at) VALUES (7, ?, 9)').run('beach');
    v1.prepare('INSERT INTO stack_members VALUES (7, 1, 0, -2), (7, 2, 1, 0)').run();
    v1.prepare(
      `INSERT INTO recipes (photo_id, name, recipe_json, version, created_at, updated_at)
       VALUES (1, 'default', '{"evs":[-1,1]}', 3, 10, 20)`,
    ).run();
    v1.close();

    const cat = openCatalog(file);
    expect(cat.schemaVersion).toBe(SCHEMA_VERSION);
    const p1 = cat.getPhoto(1);
    expect(p1).toMatchObject({
      name: 'Beach Sunset.JPG',
      sortTimeMs: 1.5e12, // no capture time: the file time
      cameraMake: 'Nikon',
      exif: { iso: 64 },
      stackId: 7,
    });
    expect(cat.getPhoto(2)).toMatchObject({ name: 'dawn.jpg', sortTimeMs: 1.546e12 });
    expect(cat.listPhotos({ sort: 'name' }).map((p) => p.id)).toEqual([1, 2]);
    expect(cat.listPhotos({ sort: 'captureTime' }).map((p) => p.id)).toEqual([1, 2]);
    expect(cat.getRecipe({ photoId: 1 })).toMatchObject({ version: 3, data: { evs: [-1, 1] } });
    expect(cat.listStacks()).toEqual([
      {
        id: 7,
        label: 'beach',
        createdAt: 9,
        userEdited: false, // v3 default for stacks from before user edits existed
        members: [
          { photoId: 1, position: 0, exposureEv: -2 },
          { photoId: 2, position: 1, exposureEv: 0 },
        ],
      },
    ]);
    const v = cat.addModelVersion({
      modelId: 'multi-exposure-lite',
      modelName: 'Multi-exposure (lite)',
      architecture: 'le23',
      weightsPath: '/models/lite/model.json',
      sha256: HASH,
    });
    expect(v).toMatchObject({ version: 1, active: true });
    cat.close();
    const db = new BetterSqlite3(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
    // opening again applies nothing
    const again = new BetterSqlite3(file);
    expect(migrate(again, file)).toEqual([]);
    again.close();
  });

  it('rolls a failing migration back completely (user_version and DDL)', () => {
    const file = join(lib.dir, 'failing.sqlite');
    const db = new BetterSqlite3(file);
    const broken: Migration[] = [
      MIGRATIONS[0],
      {
        version: 2,
        name: 'broken',
        up: (d) => {
          d.exec('CREATE TABLE half_done (x INTEGER)');
          d.exec('ALTER TABLE photos ADD COLUMN extra TEXT');
          throw new Error('disk on fire');
        },
      },
    ];
    expect(() => migrate(db, file, broken)).toThrow(/migration 2 \(broken\) failed: disk on fire/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBe(
      undefined,
    );
    const cols = (db.prepare('PRAGMA table_info(photos)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(cols).not.toContain('extra');
    db.close();
    // the real migration then succeeds on the same file
    const cat = openCatalog(file);
    expect(cat.schemaVersion).toBe(SCHEMA_VERSION);
    cat.close();
  });

  it('refuses a file from a newer app version, and a file that is not a database', () => {
    const newer = join(lib.dir, 'newer.sqlite');
    const db = new BetterSqlite3(newer);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openCatalog(newer)).toThrow(InvalidInputError);
    expect(() => openCatalog(newer)).toThrow(/schema version 99 is newer/);
    const junk = join(lib.dir, 'junk.sqlite');
    writeFileSync(
      junk,
      'this is not a database, just text that is long enough to look odd\n'.repeat(20),
    );
    expect(() => openCatalog(junk)).toThrow(InvalidInputError);
    expect(() => openCatalog(junk)).toThrow(junk);
  });
});
