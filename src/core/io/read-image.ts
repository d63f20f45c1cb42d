import { readFile } from 'node:fs/promises';
import { ImageReadError } from '../errors.js';
import type { HdrImage, LdrCodes, LdrImage } from '../image/image.js';
import { throwIfAborted, type JobOptions } from '../job.js';
import { fsReason, type ReadLimits } from './limits.js';
import { isOpenExr } from './openexr-header.js';
import { decodeOpenExr } from './openexr-read.js';
import { decodeRadiance, isRadiance } from './radiance-hdr.js';
import { decodeCodesWithSharp, decodeWithSharp } from './read-ldr.js';

/** Options of {@link readImage}. */
export interface ReadImageOptions extends JobOptions {
  /** Pixel cap (default 100 MP or BRACKETEER_MAX_PIXELS). */
  readonly limits?: ReadLimits;
}

/**
 * Reads an image file, choosing the decoder from the file's magic bytes (not its extension):
 * OpenEXR and Radiance .hdr → {@link HdrImage} (linear, ≥ 0); float TIFF → HdrImage;
 * JPEG/PNG/TIFF/WebP/AVIF → {@link LdrImage} (3 channels, [0, 1], EXIF orientation applied).
 * @throws ImageReadError naming the file and the reason (missing, empty, unrecognised,
 *   corrupt, truncated, above the pixel cap)
 */
export function readImage(
  file: string,
  options: ReadImageOptions = {},
): Promise<HdrImage | LdrImage> {
  return readWith(file, options, decodeWithSharp);
}

/**
 * Reads an image file as {@link readImage} does, but keeps an 8- or 16-bit photo as its codes
 * ({@link LdrCodes}, 1–2 bytes per sample instead of 4; the same values once converted).
 * @throws ImageReadError as {@link readImage}
 */
export function readLdrCodes(
  file: string,
  options: ReadImageOptions = {},
): Promise<HdrImage | LdrCodes> {
  return readWith(file, options, decodeCodesWithSharp);
}

/** Reads the file and decodes it: OpenEXR and Radiance here, everything else with `decode`. */
async function readWith<T>(
  file: string,
  options: ReadImageOptions,
  decode: (file: string, bytes: Uint8Array, limits: ReadLimits) => Promise<HdrImage | T>,
): Promise<HdrImage | T> {
  const bytes = await readBytes(file, options);
  const limits = options.limits ?? {};
  if (isOpenExr(bytes)) return decodeOpenExr(file, bytes, limits, options);
  if (isRadiance(bytes)) return decodeRadiance(file, bytes, limits, options);
  const image = await decode(file, bytes, limits);
  options.onProgress?.({ fraction: 1, message: 'Reading image' });
  return image;
}

async function readBytes(file: string, options: ReadImageOptions): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ImageReadError(file, fsReason(err));
  }
  throwIfAborted(options.signal);
  if (bytes.length === 0) throw new ImageReadError(file, 'file is empty');
  return bytes;
}
