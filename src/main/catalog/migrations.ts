/**
 * The catalog's schema history. Migrations are numbered 1, 2, … and never edited once shipped:
 * a change to the schema is a new migration. Each runs in its own transaction together with the
 * `PRAGMA user_version` that records it (see migrate.ts).
 */
import path from 'node:path';
import type { Database } from 'better-sqlite3';

/** One schema step. */
export interface Migration {
  /** The user_version after this step (1, 2, … without gaps). */
  readonly version: number;
  /** What it does, for logs and errors. */
  readonly name: string;
  /** Applies the step; runs inside a transaction. */
  readonly up: (db: Database) => void;
}

/** v1: photos, bracket stacks and edit recipes. */
const V1_SQL = `
CREATE TABLE photos (
  id              INTEGER PRIMARY KEY,
  path            TEXT    NOT NULL UNIQUE,
  content_hash    TEXT    NOT NULL CHECK (length(content_hash) = 64),
  size_bytes      INTEGER NOT NULL CHECK (size_bytes >= 0),
  mtime_ms        REAL    NOT NULL,
  width           INTEGER CHECK (width > 0),
  height          INTEGER CHECK (height > 0),
  kind            TEXT    CHECK (kind IN ('ldr', 'hdr')),
  capture_time    TEXT,
  capture_time_ms REAL,
  camera_make     TEXT,
  camera_model    TEXT,
  exif_json       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(exif_json)),
  thumbnail_path  TEXT,
  status          TEXT    NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'missing', 'error')),
  status_message  TEXT,
  imported_at     INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  CHECK (status = 'error' OR (kind IS NOT NULL AND thumbnail_path IS NOT NULL))
);
CREATE INDEX photos_content_hash ON photos (content_hash);

CREATE TABLE stacks (
  id         INTEGER PRIMARY KEY,
  label      TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE stack_members (
  stack_id    INTEGER NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
  photo_id    INTEGER NOT NULL UNIQUE REFERENCES photos (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL CHECK (position >= 0),
  exposure_ev REAL,
  PRIMARY KEY (stack_id, position)
) WITHOUT ROWID;

CREATE TABLE recipes (
  id          INTEGER PRIMARY KEY,
  photo_id    INTEGER REFERENCES photos (id) ON DELETE CASCADE,
  stack_id    INTEGER REFERENCES stacks (id) ON DELETE CASCADE,
  name        TEXT    NOT NULL DEFAULT 'default',
  recipe_json TEXT    NOT NULL CHECK (json_valid(recipe_json)),
  version     INTEGER NOT NULL CHECK (version >= 1),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  CHECK ((photo_id IS NULL) <> (stack_id IS NULL))
);
CREATE UNIQUE INDEX recipes_photo_name ON recipes (photo_id, name) WHERE photo_id IS NOT NULL;
CREATE UNIQUE INDEX recipes_stack_name ON recipes (stack_id, name) WHERE stack_id IS NOT NULL;
`;

/** v2: library view (name and date sort keys, listing indexes) and the model registry. */
const V2_SQL = `
ALTER TABLE photos ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE photos ADD COLUMN sort_time_ms REAL NOT NULL DEFAULT 0;
UPDATE photos SET sort_time_ms = coalesce(capture_time_ms, mtime_ms);
CREATE INDEX photos_sort_time ON photos (sort_time_ms, id);
CREATE INDEX photos_imported ON photos (imported_at, id);
CREATE INDEX photos_name ON photos (name COLLATE NOCASE, id);
CREATE INDEX photos_camera ON photos (camera_make, camera_model, sort_time_ms);

CREATE TABLE models (
  id           TEXT    PRIMARY KEY,
  name         TEXT    NOT NULL,
  architecture TEXT    NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE TABLE model_versions (
  id              INTEGER PRIMARY KEY,
  model_id        TEXT    NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  version         INTEGER NOT NULL CHECK (version >= 1),
  base_version_id INTEGER REFERENCES model_versions (id) ON DELETE SET NULL,
  weights_path    TEXT    NOT NULL,
  sha256          TEXT    NOT NULL CHECK (length(sha256) = 64),
  card_json       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(card_json)),
  created_at      INTEGER NOT NULL,
  active          INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  UNIQUE (model_id, version)
);
CREATE UNIQUE INDEX model_versions_one_active ON model_versions (model_id) WHERE active = 1;
`;

/**
 * v3: user edits of bracket stacks. `stacks.user_edited` marks a stack the user split, merged or
 * changed (detection never touches stacks, and leaves these alone by name); `photos.stack_detached`
 * marks a photo the user took out of a stack, which detection then never stacks again.
 */
const V3_SQL = `
ALTER TABLE stacks ADD COLUMN user_edited INTEGER NOT NULL DEFAULT 0 CHECK (user_edited IN (0, 1));
ALTER TABLE photos ADD COLUMN stack_detached INTEGER NOT NULL DEFAULT 0
  CHECK (stack_detached IN (0, 1));
`;

/** Every migration, in order. The last one's version is the schema this code expects. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'photos, stacks, recipes',
    up: (db) => db.exec(V1_SQL),
  },
  {
    version: 2,
    name: 'library sort keys and indexes, model registry',
    up: (db) => {
      db.exec(V2_SQL);
      // The file name needs the platform's path rules, so it is filled in here, not in SQL.
      const rows = db.prepare('SELECT id, path FROM photos').all() as {
        id: number;
        path: string;
      }[];
      const setName = db.prepare('UPDATE photos SET name = ? WHERE id = ?');
      for (const r of rows) setName.run(path.basename(r.path), r.id);
    },
  },
  {
    version: 3,
    name: 'user-edited stacks, photos detached from stacks',
    up: (db) => db.exec(V3_SQL),
  },
];

/** The schema version this code writes (the last migration's number). */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
