/**
 * Library thumbnails: JPEG, at most {@link THUMBNAIL_SIZE} px on the long side, upright (EXIF
 * orientation applied). LDR photos go through sharp end to end (shrink-on-load, libuv threads,
 * off the JavaScript thread). HDR photos are reduced to thumbnail size first (area average, so
 * the mean radiance is kept), then tone-mapped with the core's Reinhard 2002 global curve.
 */
import sharp from 'sharp';
import { CancelledError, ImageReadError } from '../../core/errors.js';
import { createHdr, type HdrImage } from '../../core/image/image.js';
import { resize } from '../../core/image/resize.js';
import { decodeOpenExr, decodeRadiance, quantise } from '../../core/io/index.js';
import { oneLine } from '../../core/io/limits.js';
import { throwIfAborted } from '../../core/job.js';
import { toneMap } from '../../core/tonemap/registry.js';
import type { ImageProbe } from './probe-image.js';

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 320;
/** JPEG quality of thumbnails (1…100). */
const QUALITY = 82;

/** Size that fits `width × height` inside THUMBNAIL_SIZE² (never enlarged), ≥ 1 px. */
export function thumbnailSize(width: number, height: number): { width: number; height: number } {
  const s = Math.min(1, THUMBNAIL_SIZE / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * s)),
    height: Math.max(1, Math.round(height * s)),
  };
}

async function hdrToJpeg(img: HdrImage): Promise<Buffer> {
  const { width, height } = thumbnailSize(img.width, img.height);
  const small = img.width === width && img.height === height ? img : resize(img, width, height);
  const display = toneMap(small, 'reinhard02');
  const pixels = quantise(display.data, 255);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: QUALITY })
    .toBuffer();
}

async function floatTiffThumbnail(file: string): Promise<Buffer> {
  const { data, info } = await sharp(file, { failOn: 'truncated' })
    .autoOrient()
    .removeAlpha()
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('scrgb')
    .raw({ depth: 'float' })
    .toBuffer({ resolveWithObject: true });
  const n = info.width * info.height * 3;
  const src = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + n * 4));
  for (let i = 0; i < n; i++) if (!(src[i] > 0 && src[i] < Infinity)) src[i] = 0;
  return hdrToJpeg(createHdr(info.width, info.height, 3, src));
}

async function ldrThumbnail(file: string): Promise<Buffer> {
  return sharp(file, { failOn: 'truncated' })
    .autoOrient()
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#808080' })
    .toColourspace('srgb')
    .jpeg({ quality: QUALITY })
    .toBuffer();
}

/**
 * Renders the thumbnail of a probed image. Decoding the whole image here is also what detects
 * corrupt or truncated pixel data.
 * @param file - path of the image (named in errors)
 * @param probe - its {@link probeImage} result (HDR bytes are taken from it)
 * @returns JPEG bytes, long side ≤ 320 px
 * @throws ImageReadError naming the file when the pixels cannot be decoded; CancelledError
 */
export async function renderThumbnail(
  file: string,
  probe: ImageProbe,
  signal?: AbortSignal,
): Promise<Buffer> {
  throwIfAborted(signal);
  try {
    if (probe.decoder === 'openexr' || probe.decoder === 'radiance') {
      if (!probe.bytes) throw new Error('the probe holds no file bytes');
      const decode = probe.decoder === 'openexr' ? decodeOpenExr : decodeRadiance;
      return await hdrToJpeg(decode(file, probe.bytes, {}, { signal }));
    }
    return await (probe.kind === 'hdr' ? floatTiffThumbnail(file) : ldrThumbnail(file));
  } catch (err) {
    if (err instanceof ImageReadError || err instanceof CancelledError) throw err;
    throw new ImageReadError(file, `cannot decode image: ${oneLine(err)}`);
  }
}
