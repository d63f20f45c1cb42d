/**
 * The write side of an import: given what was read from one file, decides in ONE transaction
 * whether it is new, unchanged, modified, moved or back from missing, and records it. The
 * decision is taken inside the transaction, so concurrent imports cannot both insert a path.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import type { ImportResult, ImportStatus, PhotoExif, PhotoKind } from './types.js';

/** Everything an import read from one file. */
export interface FileFacts {
  /** Absolute path. */
  readonly path: string;
  readonly contentHash: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  /** Present when the image was read; absent together with `error`. */
  readonly image?: {
    readonly kind: PhotoKind;
    readonly width: number;
    readonly height: number;
    readonly thumbnailPath: string;
    readonly captureTime?: string;
    readonly captureTimeMs?: number;
    readonly cameraMake?: string;
    readonly cameraModel?: string;
    readonly exif: PhotoExif;
  };
  /** Why the image could not be read (names the file). */
  readonly error?: string;
}

interface ExistingRow {
  id: number;
  path: string;
  content_hash: string;
  size_bytes: number;
  mtime_ms: number;
  status: string;
  thumbnail_path: string | null;
}

/** Prepared statements for recording imports into `photos`. */
export class PhotoStore {
  private readonly byPath: Statement<[string], ExistingRow>;
  private readonly byHash: Statement<[string, string], ExistingRow>;
  private readonly insert: Statement<Record<string, unknown>>;
  private readonly update: Statement<Record<string, unknown>>;
  private readonly markMissing: Statement<[number, number]>;

  constructor(private readonly db: Database) {
    const cols = 'id, path, content_hash, size_bytes, mtime_ms, status, thumbnail_path';
    this.byPath = db.prepare(`SELECT ${cols} FROM photos WHERE path = ?`);
    this.byHash = db.prepare(
      `SELECT ${cols} FROM photos WHERE content_hash = ? AND path <> ?
       AND status IN ('ok', 'missing') ORDER BY id`,
    );
    const fields = `path = @path, name = @name, content_hash = @hash, size_bytes = @size,
      mtime_ms = @mtime, width = @width, height = @height, kind = @kind,
      capture_time = @captureTime, capture_time_ms = @captureTimeMs, sort_time_ms = @sortTime,
      camera_make = @make, camera_model = @model, exif_json = @exif,
      thumbnail_path = @thumbnail, status = @status, status_message = @message,
      updated_at = @now`;
    this.update = db.prepare(`UPDATE photos SET ${fields} WHERE id = @id`);
    this.insert = db.prepare(
      `INSERT INTO photos (path, name, content_hash, size_bytes, mtime_ms, width, height, kind,
        capture_time, capture_time_ms, sort_time_ms, camera_make, camera_model, exif_json,
        thumbnail_path, status, status_message, imported_at, updated_at)
       VALUES (@path, @name, @hash, @size, @mtime, @width, @height, @kind, @captureTime,
        @captureTimeMs, @sortTime, @make, @model, @exif, @thumbnail, @status, @message,
        @now, @now)`,
    );
    this.markMissing = db.prepare(
      `UPDATE photos SET status = 'missing', updated_at = ? WHERE id = ? AND status = 'ok'`,
    );
  }

  /**
   * True when re-reading the file can be skipped: the path is catalogued with this hash, size
   * and modification time, and it was either read fine (thumbnail on disk) or recorded as
   * unreadable.
   */
  isUnchanged(
    file: string,
    contentHash: string,
    stat: { sizeBytes: number; mtimeMs: number },
    thumbnailPath: string,
  ): boolean {
    const row = this.byPath.get(file);
    if (!row || row.content_hash !== contentHash) return false;
    if (row.size_bytes !== stat.sizeBytes || row.mtime_ms !== stat.mtimeMs) return false;
    if (row.status === 'error') return true;
    return row.status === 'ok' && row.thumbnail_path === thumbnailPath && existsSync(thumbnailPath);
  }

  /** Id of the row at this path, if any. */
  idOf(file: string): number | undefined {
    return this.byPath.get(file)?.id;
  }

  /** Marks the photo at `file` missing (only when it is `ok`); returns its id, if catalogued. */
  markGone(file: string, now: number): number | undefined {
    const row = this.byPath.get(file);
    if (row) this.markMissing.run(now, row.id);
    return row?.id;
  }

  /**
   * Records one file atomically (an IMMEDIATE transaction). A thumbnail the photo no longer
   * uses stays on disk until pruneThumbnails (another row may still be about to use it).
   * @param now - time stamp for imported_at / updated_at (ms)
   */
  record(facts: FileFacts, now: number): ImportResult {
    return this.db.transaction(() => this.recordInTransaction(facts, now)).immediate();
  }

  private params(facts: FileFacts, now: number): Record<string, unknown> {
    const img = facts.image;
    return {
      path: facts.path,
      name: path.basename(facts.path),
      hash: facts.contentHash,
      size: facts.sizeBytes,
      mtime: facts.mtimeMs,
      width: img?.width ?? null,
      height: img?.height ?? null,
      kind: img?.kind ?? null,
      captureTime: img?.captureTime ?? null,
      captureTimeMs: img?.captureTimeMs ?? null,
      sortTime: img?.captureTimeMs ?? facts.mtimeMs,
      make: img?.cameraMake ?? null,
      model: img?.cameraModel ?? null,
      exif: JSON.stringify(img?.exif ?? {}),
      thumbnail: img?.thumbnailPath ?? null,
      status: img ? 'ok' : 'error',
      message: img ? null : (facts.error ?? 'unreadable'),
      now,
    };
  }

  private recordInTransaction(facts: FileFacts, now: number): ImportResult {
    const p = this.params(facts, now);
    const base = { path: facts.path };
    const errorPart = facts.image ? {} : { message: p.message as string };
    const row = this.byPath.get(facts.path);
    if (row) {
      const sameContent = row.content_hash === facts.contentHash;
      const unchanged =
        sameContent && row.status === p.status && row.thumbnail_path === p.thumbnail;
      if (unchanged && row.mtime_ms === facts.mtimeMs) {
        return { ...base, status: 'unchanged', photoId: row.id, ...errorPart };
      }
      this.update.run({ ...p, id: row.id });
      const status: ImportStatus = !facts.image
        ? 'error'
        : unchanged
          ? 'unchanged' // only the modification time moved (e.g. touched or copied back)
          : sameContent && row.status === 'missing'
            ? 'restored'
            : 'updated';
      return { ...base, status, photoId: row.id, ...errorPart };
    }
    if (facts.image) {
      // Same content at a new path while the old file is gone: the photo was moved.
      const moved = this.byHash
        .all(facts.contentHash, facts.path)
        .find((r) => r.status === 'missing' || !existsSync(r.path));
      if (moved) {
        this.update.run({ ...p, id: moved.id });
        return { ...base, status: 'moved', photoId: moved.id, previousPath: moved.path };
      }
    }
    const info = this.insert.run(p);
    const id = Number(info.lastInsertRowid);
    return { ...base, status: facts.image ? 'added' : 'error', photoId: id, ...errorPart };
  }
}
