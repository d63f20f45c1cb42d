import path from 'node:path';
import { ImageWriteError } from '../errors.js';
import type { HdrImage, LdrImage } from '../image/image.js';
import { throwIfAborted, type JobOptions } from '../job.js';
import { writeFileAtomic } from './atomic-write.js';
import { oneLine } from './limits.js';
import { encodeOpenExr } from './openexr-write.js';
import { encodeRadiance } from './radiance-hdr-write.js';
import { encodeFloatTiff } from './tiff-float-write.js';
import { encodeLdr, type LdrFormat } from './write-ldr.js';

/** Every format {@link writeImage} writes. */
export type ImageFormat = LdrFormat | 'exr' | 'hdr';

/** Options of {@link writeImage}. */
export interface WriteImageOptions extends JobOptions {
  /** Overrides the format implied by the extension. */
  readonly format?: ImageFormat;
  /** JPEG/WebP/AVIF quality 1…100, default 95. */
  readonly quality?: number;
  /** 8 or 16 for PNG/TIFF; 32 writes a float TIFF (HDR). */
  readonly bitDepth?: 8 | 16 | 32;
  /** OpenEXR: half floats (default true) or 32-bit floats. */
  readonly half?: boolean;
  /** OpenEXR compression (default 'zip'); TIFF compression (default 'deflate'). */
  readonly compression?: 'zip' | 'deflate' | 'lzw' | 'none';
}

const EXTENSIONS: Record<string, ImageFormat> = {
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.png': 'png',
  '.tif': 'tiff',
  '.tiff': 'tiff',
  '.webp': 'webp',
  '.avif': 'avif',
  '.exr': 'exr',
  '.hdr': 'hdr',
};

/** The format implied by a file name's extension, or undefined. */
export function formatFromPath(file: string): ImageFormat | undefined {
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

async function encode(
  file: string,
  image: HdrImage | LdrImage,
  o: WriteImageOptions,
): Promise<Uint8Array> {
  const fail = (why: string): never => {
    throw new ImageWriteError(file, why);
  };
  const format = o.format ?? formatFromPath(file);
  if (!format) return fail(`unknown image format for extension "${path.extname(file)}"`);
  if (format === 'exr' || format === 'hdr') {
    if (image.kind !== 'hdr')
      fail(`.${format} holds linear HDR data; this is a display-referred (LDR) image`);
    if (format === 'hdr') return encodeRadiance(image as HdrImage, o);
    const c = o.compression ?? 'zip';
    if (c !== 'zip' && c !== 'none') fail(`OpenEXR compression must be zip or none, got ${c}`);
    return encodeOpenExr(image as HdrImage, { half: o.half, compression: c as 'zip' | 'none' }, o);
  }
  if (format === 'tiff' && o.bitDepth === 32) {
    const c = o.compression ?? 'deflate';
    if (c !== 'deflate' && c !== 'none')
      fail(`32-bit TIFF compression must be deflate or none, got ${c}`);
    return encodeFloatTiff(image, { compression: c as 'deflate' | 'none' });
  }
  if (o.bitDepth === 32)
    fail(`32-bit samples are only available for TIFF, not ${format.toUpperCase()}`);
  if (image.kind === 'hdr') {
    fail(
      `cannot write an HDR image as ${format.toUpperCase()}: tone-map it first (or use .exr, .hdr or 32-bit TIFF)`,
    );
  }
  const c = o.compression;
  if (c === 'zip') fail('zip compression applies to OpenEXR only');
  try {
    return await encodeLdr(image as LdrImage, format, {
      quality: o.quality,
      bitDepth: o.bitDepth as 8 | 16 | undefined,
      tiffCompression: c as 'none' | 'lzw' | 'deflate' | undefined,
    });
  } catch (err) {
    throw new ImageWriteError(file, oneLine(err));
  }
}

/**
 * Writes an image, choosing the format from the extension (.jpg/.jpeg/.png/.tif/.tiff/.webp/
 * .avif/.exr/.hdr) unless `options.format` is given. LDR images go to 8/16-bit formats; HDR
 * images go to .exr, .hdr or TIFF with `bitDepth: 32`. The write is atomic (temporary file in
 * the same directory, then rename).
 * @throws ImageWriteError naming the file and the reason (unknown extension, HDR data to an
 *   8/16-bit format, LDR data to .exr/.hdr, bad options, unwritable path)
 */
export async function writeImage(
  file: string,
  image: HdrImage | LdrImage,
  options: WriteImageOptions = {},
): Promise<void> {
  throwIfAborted(options.signal);
  const bytes = await encode(file, image, options);
  throwIfAborted(options.signal);
  await writeFileAtomic(file, bytes);
}
