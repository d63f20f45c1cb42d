/**
 * Thumbnail cache maintenance. Thumbnails are content-addressed and written before the row that
 * refers to them, so a crash or a changed file can leave files no row refers to (and a killed
 * atomic write can leave its temporary file). Pruning removes those; rows are never touched.
 */
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from 'better-sqlite3';

const THUMB = /^[0-9a-f]{64}\.jpg$/;
const TEMP = /^\..+\.tmp$/;

/**
 * Deletes unreferenced thumbnails and leftover temporary files in the cache folder. Only names
 * the catalog writes (`<sha256>.jpg`, `.<name>.<pid>.<random>.tmp`) are considered. Run it when
 * no import is running (a thumbnail just written is not referenced until its row commits).
 * @param thumbnailsDir - the cache folder (a missing folder is fine)
 * @returns the number of files deleted
 */
export async function pruneThumbnails(db: Database, thumbnailsDir: string): Promise<number> {
  const dir = path.resolve(thumbnailsDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const used = new Set(
    (
      db
        .prepare('SELECT DISTINCT thumbnail_path AS p FROM photos WHERE thumbnail_path IS NOT NULL')
        .all() as { p: string }[]
    ).map((r) => r.p),
  );
  let removed = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    if ((THUMB.test(name) && !used.has(file)) || TEMP.test(name)) {
      try {
        await unlink(file);
        removed++;
      } catch {
        // already gone, or not ours to delete: leave it
      }
    }
  }
  return removed;
}
