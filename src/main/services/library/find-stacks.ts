/**
 * Runs bracket stack detection over photos just imported and records the stacks found. Frames
 * without exposure EXIF are measured (mean thumbnail level) only when they could belong to a
 * stack at all (another such photo shares their folder, size and camera).
 */
import path from 'node:path';
import {
  detectStacks,
  exposureEv,
  type Catalog,
  type Photo,
  type StackCandidate,
} from '../../catalog/index.js';
import { meanLevel } from './thumbnail-frame.js';

function key(p: Photo): string {
  return JSON.stringify([path.dirname(p.path), p.width, p.height, p.cameraMake, p.cameraModel]);
}

/**
 * Detects and records stacks among `ids` (photos already in a stack, unreadable, or taken out of
 * a stack by the user are skipped: detection never undoes the user's stack edits).
 * @returns the number of stacks created
 */
export async function findStacks(catalog: Catalog, ids: readonly number[]): Promise<number> {
  const photos: Photo[] = [];
  const detached = catalog.detachedPhotos([...new Set(ids)]);
  for (const id of new Set(ids)) {
    if (detached.has(id)) continue;
    const p = catalog.getPhoto(id);
    if (p && p.status === 'ok' && p.stackId === null && p.width !== null && p.height !== null) {
      photos.push(p);
    }
  }
  const noEv = new Map<string, number>();
  for (const p of photos) {
    if (exposureEv(p.exif) === null) noEv.set(key(p), (noEv.get(key(p)) ?? 0) + 1);
  }
  const candidates: StackCandidate[] = [];
  for (const p of photos) {
    const ev = exposureEv(p.exif);
    let level: number | null = null;
    if (ev === null && (noEv.get(key(p)) ?? 0) >= 2 && p.thumbnailPath) {
      level = await meanLevel(p.thumbnailPath).catch(() => null);
    }
    candidates.push({
      id: p.id,
      path: p.path,
      width: p.width ?? 0,
      height: p.height ?? 0,
      cameraMake: p.cameraMake,
      cameraModel: p.cameraModel,
      captureTimeMs: p.captureTimeMs,
      exposureTime: p.exif.exposureTime ?? null,
      ev,
      meanLevel: level,
    });
  }
  let created = 0;
  for (const stack of detectStacks(candidates)) {
    try {
      catalog.addStack(stack, { detected: true });
      created++;
    } catch {
      // a concurrent import stacked, or the user detached, one of these photos: leave it
    }
  }
  return created;
}
