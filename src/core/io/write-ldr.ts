/**
 * Encoders for display-referred images through sharp: JPEG, PNG 8/16, TIFF 8/16, WebP, AVIF.
 * Samples in [0, 1] are quantised with rounding; NaN becomes 0 and values are clamped.
 */
import sharp from 'sharp';
import { InvalidInputError } from '../errors.js';
import type { LdrImage } from '../image/image.js';

/** Formats sharp writes for us. */
export type LdrFormat = 'jpeg' | 'png' | 'tiff' | 'webp' | 'avif';

/** Options of {@link encodeLdr}. */
export interface LdrWriteOptions {
  /** Lossy quality 1…100 (JPEG, WebP, AVIF); default 95. JPEG/AVIF use 4:4:4 chroma at ≥ 90. */
  readonly quality?: number;
  /** 8 or 16 (PNG, TIFF only); default: the image's bit depth for PNG/TIFF, else 8. */
  readonly bitDepth?: 8 | 16;
  /** TIFF compression; default 'deflate'. */
  readonly tiffCompression?: 'none' | 'lzw' | 'deflate';
  /** WebP lossless mode; default false. */
  readonly lossless?: boolean;
}

/**
 * Quantises [0, 1] samples to integers 0…max with rounding (NaN → 0, clamped).
 * @param max - 255 or 65535
 */
export function quantise(data: Float32Array, max: 255 | 65535): Uint8Array | Uint16Array {
  const out = max === 255 ? new Uint8Array(data.length) : new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] * max + 0.5;
    out[i] = v > 0 ? (v < max ? v : max) : 0; // typed-array store truncates; NaN fails v > 0
  }
  return out;
}

/**
 * Encodes an LDR image.
 * @returns the file bytes
 * @throws InvalidInputError for an unsupported bit depth / quality
 */
export async function encodeLdr(
  image: LdrImage,
  format: LdrFormat,
  options: LdrWriteOptions = {},
): Promise<Buffer> {
  const quality = options.quality ?? 95;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new InvalidInputError(`quality must be an integer 1…100, got ${quality}`);
  }
  const wide = format === 'png' || format === 'tiff';
  const bitDepth = options.bitDepth ?? (wide ? image.bitDepth : 8);
  if (bitDepth !== 8 && bitDepth !== 16)
    throw new InvalidInputError(`bit depth must be 8 or 16, got ${bitDepth}`);
  if (bitDepth === 16 && !wide)
    throw new InvalidInputError(`${format.toUpperCase()} supports 8 bits per sample only`);
  const { width, height, channels } = image;
  const pixels = quantise(image.data, bitDepth === 16 ? 65535 : 255);
  let p = sharp(pixels, {
    raw: { width, height, channels, ...(bitDepth === 16 ? { depth: 'ushort' as const } : {}) },
  });
  if (bitDepth === 16) p = p.toColourspace(channels === 3 ? 'rgb16' : 'grey16');
  else if (channels === 1) p = p.toColourspace('b-w');
  const chroma = quality >= 90 ? '4:4:4' : '4:2:0';
  switch (format) {
    case 'jpeg':
      p = p.jpeg({ quality, chromaSubsampling: chroma });
      break;
    case 'png':
      p = p.png({ compressionLevel: 6 });
      break;
    case 'tiff':
      p = p.tiff({ compression: options.tiffCompression ?? 'deflate', predictor: 'horizontal' });
      break;
    case 'webp':
      p = p.webp({ quality, lossless: options.lossless ?? false });
      break;
    case 'avif':
      p = p.avif({ quality, chromaSubsampling: chroma });
      break;
  }
  return p.toBuffer();
}
