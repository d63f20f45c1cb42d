/**
 * Display-size preview of an LDR photo with sharp (decode, orient, shrink and convert run on
 * libuv's thread pool, off the event loop): 8-bit sRGB RGB samples.
 */
import sharp from 'sharp';
import { ImageReadError } from '../../core/errors.js';
import { resolveMaxPixels } from '../../core/io/index.js';

/** Sample depth of a sharp-decodable file: 'float' marks an HDR (float TIFF). */
export async function sharpDepth(file: string): Promise<string> {
  try {
    const meta = await sharp(file, { limitInputPixels: false }).metadata();
    return meta.depth ?? 'uchar';
  } catch (err) {
    throw readError(file, err);
  }
}

function readError(file: string, err: unknown): ImageReadError {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  if (/unsupported image format/i.test(msg)) {
    return new ImageReadError(file, 'unrecognised image format');
  }
  return new ImageReadError(file, `cannot decode image: ${msg}`);
}

/**
 * Decodes `file` shrunk to fit `maxSize`×`maxSize` (never enlarged; EXIF orientation applied;
 * alpha dropped; grey and CMYK converted to sRGB RGB).
 * @returns interleaved 8-bit RGB samples and the size
 * @throws ImageReadError for unreadable, truncated or too large files
 */
export async function ldrPreview(
  file: string,
  maxSize: number,
): Promise<{ width: number; height: number; data: Uint8Array }> {
  try {
    const { data, info } = await sharp(file, {
      failOn: 'truncated',
      limitInputPixels: Math.ceil(resolveMaxPixels()),
      autoOrient: true,
    })
      .resize({ width: maxSize, height: maxSize, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
      throw new Error(`unexpected decoder output (${info.channels} channels)`);
    }
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (err) {
    throw readError(file, err);
  }
}
