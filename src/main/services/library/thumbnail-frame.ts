/** A catalog thumbnail (JPEG on disk) as an 8-bit RGB image frame, shrunk with sharp. */
import sharp from 'sharp';
import { ImageReadError } from '../../../core/errors.js';
import { oneLine } from '../../../core/io/limits.js';
import type { ImagePayload } from '../../../shared/api/index.js';

/**
 * Decodes a thumbnail file to fit `maxSize`² (never enlarged), off the event loop.
 * @param file - the thumbnail JPEG
 * @param maxSize - longest side, px
 * @throws ImageReadError naming the file when it is gone or unreadable
 */
export async function thumbnailFrame(file: string, maxSize: number): Promise<ImagePayload> {
  try {
    const { data, info } = await sharp(file)
      .resize(maxSize, maxSize, { fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      channels: 3,
      format: 'u8',
      data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height * 3),
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' || /missing|no such file/i.test(oneLine(err));
    throw new ImageReadError(file, reason ? 'file not found' : `thumbnail: ${oneLine(err)}`);
  }
}

/**
 * Mean grey level of a thumbnail (0…255), used to order frames without exposure EXIF.
 * @throws ImageReadError naming the file
 */
export async function meanLevel(file: string): Promise<number> {
  try {
    const stats = await sharp(file).greyscale().stats();
    return stats.channels[0].mean;
  } catch (err) {
    throw new ImageReadError(file, `thumbnail: ${oneLine(err)}`);
  }
}
