/** Maps catalog rows to the contract's library types (plain JSON data). */
import type { Photo, PhotoStatus, Tile } from '../../catalog/index.js';
import type { LibraryExif, LibraryItem, LibraryPhotoStatus } from '../../../shared/api/index.js';

/** Catalog status → contract status (`ok` is `present`). */
export function wireStatus(s: PhotoStatus): LibraryPhotoStatus {
  return s === 'ok' ? 'present' : s;
}

/** The EXIF fields of a photo, dropping unset ones. */
export function wireExif(p: Photo): LibraryExif {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(p.exif)) {
    if (typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string') {
      out[k] = v as number | string;
    }
  }
  return out as LibraryExif;
}

/**
 * A grid tile.
 * @param frameCount - 1 for a single photo, else the stack's size
 * @param missingFrames - frames (or this photo) whose original is not present
 */
export function wireItem(p: Photo, frameCount: number, missingFrames: number): LibraryItem {
  return {
    id: p.id,
    name: p.name,
    path: p.path,
    width: p.width,
    height: p.height,
    kind: p.kind,
    captureTime: p.captureTime,
    sortTimeMs: p.sortTimeMs,
    cameraMake: p.cameraMake,
    cameraModel: p.cameraModel,
    status: wireStatus(p.status),
    statusMessage: p.statusMessage,
    stackId: p.stackId,
    frameCount,
    missingFrames,
    hasThumbnail: p.thumbnailPath !== null,
  };
}

/** A tile from a catalog tile row. */
export function wireTile(t: Tile): LibraryItem {
  return wireItem(t.photo, t.frameCount, t.notOkFrames);
}
