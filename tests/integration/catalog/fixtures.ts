/** Test helpers for the catalog: temp folders and real image files made with sharp / the core. */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createHdr } from '../../../src/core/image/image.js';
import { encodeFloatTiff, encodeRadiance } from '../../../src/core/io/index.js';

/** A fresh temp folder with `db`, `thumbs` and `photos` paths; `cleanup()` removes it. */
export function tempLibrary(prefix = 'bracketeer-catalog-'): {
  dir: string;
  db: string;
  thumbs: string;
  photos: string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    db: join(dir, 'user-data', 'catalog.sqlite'),
    thumbs: join(dir, 'user-data', 'thumbnails'),
    photos: join(dir, 'photos'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** SHA-256 of a file, computed in one read (a different way from the streamed catalog hash). */
export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * A JPEG of `width × height` whose left half is `left` and right half `right` (grey levels), so
 * orientation is visible in the thumbnail. `seed` changes the bytes without changing the look.
 */
export async function writeJpeg(
  file: string,
  width: number,
  height: number,
  options: {
    left?: number;
    right?: number;
    seed?: number;
    exif?: Record<string, Record<string, string>>;
    orientation?: number;
    noise?: boolean;
  } = {},
): Promise<void> {
  const { left = 40, right = 220, seed = 0, noise = false } = options;
  const px = Buffer.alloc(width * height * 3);
  let s = (seed * 2654435761 + 12345) >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = x < width / 2 ? left : right;
      if (noise) {
        s = (s * 1664525 + 1013904223) >>> 0;
        v = Math.max(0, Math.min(255, v + ((s >>> 24) % 31) - 15));
      }
      px.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  // seed: one pixel in the corner, so two files with different seeds differ in content
  px[0] = seed & 255;
  let img = sharp(px, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 });
  if (options.exif) img = img.withExif(options.exif);
  if (options.orientation) img = img.withMetadata({ orientation: options.orientation });
  writeFileSync(file, await img.toBuffer());
}

/** Radiance 0.01 … 100 (log scale) from left to right. */
function rampImage(width: number, height: number): ReturnType<typeof createHdr> {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = 0.01 * Math.pow(10000, x / (width - 1));
      data.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return createHdr(width, height, 3, data);
}

/** A Radiance .hdr of `width × height`, a horizontal ramp of radiance 0.01 … 100 (log scale). */
export function writeHdr(file: string, width: number, height: number): void {
  writeFileSync(file, encodeRadiance(rampImage(width, height)));
}

/** A 32-bit float TIFF with the same ramp as {@link writeHdr}. */
export function writeFloatTiff(file: string, width: number, height: number): void {
  writeFileSync(file, encodeFloatTiff(rampImage(width, height)));
}

/** Copies a JPEG keeping only the first `fraction` of its bytes (a truncated download). */
export function writeTruncated(source: string, file: string, fraction = 0.5): void {
  const bytes = readFileSync(source);
  writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

export { EXIFTOOL_AVAILABLE } from '../../unit/exif/exiftool.js';

/** Writes tags with exiftool in place (e.g. `-Make=Canon`). */
export function exiftool(file: string, tags: string[]): void {
  execFileSync('exiftool', ['-q', '-overwrite_original', ...tags, file]);
}
