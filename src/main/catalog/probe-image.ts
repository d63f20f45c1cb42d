/**
 * Reads what the catalog needs from an image file's header, without decoding pixels: its kind
 * (LDR or HDR) and its displayed size. OpenEXR and Radiance headers are parsed by the core;
 * every other format by sharp's metadata (which reads the header only).
 */
import { open, readFile } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { ImageReadError } from '../../core/errors.js';
import { isOpenExr, isRadiance, readOpenExrSize, readRadianceSize } from '../../core/io/index.js';
import { oneLine } from '../../core/io/limits.js';
import type { PhotoKind } from './types.js';

/** Formats sharp decodes that a photo library accepts (as sharp names them). */
const SHARP_FORMATS = new Set(['jpeg', 'png', 'tiff', 'webp', 'heif', 'avif', 'gif']);

/** Which decoder reads the pixels. */
export type ImageDecoder = 'openexr' | 'radiance' | 'sharp';

/** Header facts of one image file. */
export interface ImageProbe {
  readonly decoder: ImageDecoder;
  readonly kind: PhotoKind;
  /** Displayed size in pixels (EXIF orientation applied for sharp formats). */
  readonly width: number;
  readonly height: number;
  /** The whole file, for OpenEXR and Radiance (their decoders take bytes); absent otherwise. */
  readonly bytes?: Uint8Array;
}

async function readMagic(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buf = new Uint8Array(16);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Probes an image file.
 * @param file - path of the image
 * @returns decoder, kind, displayed size, and the bytes for the core's HDR decoders
 * @throws ImageReadError naming the file: empty, unrecognised format, or a corrupt header
 */
export async function probeImage(file: string): Promise<ImageProbe> {
  let magic: Uint8Array;
  try {
    magic = await readMagic(file);
  } catch (err) {
    throw new ImageReadError(file, `cannot read the file: ${oneLine(err)}`);
  }
  if (magic.length === 0) throw new ImageReadError(file, 'file is empty');
  if (isOpenExr(magic) || isRadiance(magic)) {
    const bytes = await readFile(file);
    const exr = isOpenExr(bytes);
    const size = exr ? readOpenExrSize(file, bytes) : readRadianceSize(file, bytes);
    return { decoder: exr ? 'openexr' : 'radiance', kind: 'hdr', ...size, bytes };
  }
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    const msg = oneLine(err);
    if (/unsupported image format/i.test(msg))
      throw new ImageReadError(file, 'unrecognised image format');
    throw new ImageReadError(file, `cannot read the image header: ${msg}`);
  }
  if (!SHARP_FORMATS.has(meta.format)) {
    throw new ImageReadError(file, `unsupported image format "${meta.format}" for the library`);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!(width > 0 && height > 0)) {
    throw new ImageReadError(file, `invalid image size ${width}×${height} in the header`);
  }
  const float = meta.depth === 'float' || meta.depth === 'double';
  return { decoder: 'sharp', kind: float ? 'hdr' : 'ldr', width, height };
}
