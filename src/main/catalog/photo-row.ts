/** The `photos` row as SQLite returns it, and its mapping to the public {@link Photo}. */
import type { Photo, PhotoExif, PhotoKind, PhotoStatus } from './types.js';

/** Columns of `photos` plus the joined stack id, as selected by {@link PHOTO_COLUMNS}. */
export interface PhotoRow {
  id: number;
  path: string;
  name: string;
  content_hash: string;
  size_bytes: number;
  mtime_ms: number;
  width: number | null;
  height: number | null;
  kind: PhotoKind | null;
  capture_time: string | null;
  capture_time_ms: number | null;
  sort_time_ms: number;
  camera_make: string | null;
  camera_model: string | null;
  exif_json: string;
  thumbnail_path: string | null;
  status: PhotoStatus;
  status_message: string | null;
  stack_id: number | null;
  imported_at: number;
  updated_at: number;
}

/** SELECT list for {@link PhotoRow} (table alias `p`; stack membership via a subquery). */
export const PHOTO_COLUMNS = `p.id, p.path, p.name, p.content_hash, p.size_bytes, p.mtime_ms,
  p.width, p.height, p.kind, p.capture_time, p.capture_time_ms, p.sort_time_ms, p.camera_make,
  p.camera_model, p.exif_json, p.thumbnail_path, p.status, p.status_message,
  (SELECT m.stack_id FROM stack_members m WHERE m.photo_id = p.id) AS stack_id,
  p.imported_at, p.updated_at`;

function parseExif(json: string): PhotoExif {
  try {
    const v: unknown = JSON.parse(json);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as PhotoExif) : {};
  } catch {
    return {};
  }
}

/** Maps a row to the public shape. */
export function toPhoto(r: PhotoRow): Photo {
  return {
    id: r.id,
    path: r.path,
    name: r.name,
    contentHash: r.content_hash,
    sizeBytes: r.size_bytes,
    mtimeMs: r.mtime_ms,
    width: r.width,
    height: r.height,
    kind: r.kind,
    captureTime: r.capture_time,
    captureTimeMs: r.capture_time_ms,
    sortTimeMs: r.sort_time_ms,
    cameraMake: r.camera_make,
    cameraModel: r.camera_model,
    exif: parseExif(r.exif_json),
    thumbnailPath: r.thumbnail_path,
    status: r.status,
    statusMessage: r.status_message,
    stackId: r.stack_id,
    importedAt: r.imported_at,
    updatedAt: r.updated_at,
  };
}
