/**
 * Stack candidates from files: the exposure EXIF (exifr) and the upright pixel size (sharp's
 * header read, no decode). Folders are listed (not recursively) for image files.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { ImageReadError } from '../errors.js';
import { readExposureInfo } from '../exif/read-exif.js';
import { fsReason, oneLine } from '../io/limits.js';
import type { ExcludedFrame, StackCandidate } from './detect-stacks.js';

/** File name endings read as photos. */
export const PHOTO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.tif',
  '.tiff',
  '.png',
  '.webp',
  '.avif',
  '.heic',
]);

/**
 * Expands folders into their photo files (sorted by name); files are kept as given.
 * @throws ImageReadError naming a path that does not exist or cannot be read
 */
export async function expandPhotoPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (err) {
      throw new ImageReadError(p, fsReason(err));
    }
    if (!st.isDirectory()) {
      out.push(p);
      continue;
    }
    const names = (await readdir(p)).filter((n) =>
      PHOTO_EXTENSIONS.has(path.extname(n).toLowerCase()),
    );
    names.sort();
    for (const n of names) out.push(path.join(p, n));
  }
  return out;
}

/** Candidates and the files that could not be read at all. */
export interface CandidateRead {
  readonly candidates: readonly StackCandidate[];
  readonly unreadable: readonly ExcludedFrame[];
}

/**
 * Reads size and exposure EXIF of every file. A file that cannot be read is reported in
 * `unreadable` with the reason, never dropped silently.
 */
export async function readStackCandidates(files: readonly string[]): Promise<CandidateRead> {
  const candidates: StackCandidate[] = [];
  const unreadable: ExcludedFrame[] = [];
  for (const file of files) {
    try {
      const meta = await sharp(file, { failOn: 'truncated' }).metadata();
      if (!meta.width || !meta.height) throw new Error('no image size in the header');
      const rotated = (meta.orientation ?? 1) >= 5;
      const exif = await readExposureInfo(file);
      candidates.push({
        file,
        width: rotated ? meta.height : meta.width,
        height: rotated ? meta.width : meta.height,
        make: exif.make,
        model: exif.model,
        lensModel: exif.lensModel,
        captureTimeMs: exif.captureTimeMs,
        exposureTime: exif.exposureTime,
        fNumber: exif.fNumber,
        iso: exif.iso,
        exposureBias: exif.exposureBias,
      });
    } catch (err) {
      const reason = err instanceof ImageReadError ? err.reason : oneLine(err);
      unreadable.push({ file, reason });
    }
  }
  return { candidates, unreadable };
}
