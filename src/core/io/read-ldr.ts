/**
 * Reader for the formats sharp decodes: JPEG, PNG, TIFF (8/16-bit and 32-bit float), WebP,
 * AVIF (and GIF). EXIF orientation is applied, so pixels come out upright.
 *
 * - 8/16-bit images become an {@link LdrImage}: 3 channels, values in [0, 1]; greyscale is
 *   expanded to RGB, alpha is dropped (not composited), CMYK is converted to sRGB.
 * - Float TIFF becomes an {@link HdrImage} (values read as linear; negative/NaN/Inf → 0).
 * - Truncated data is rejected (`failOn: 'truncated'`).
 */
import sharp, { type Metadata } from 'sharp';
import { ImageReadError } from '../errors.js';
import {
  codeToUnit,
  createHdr,
  createLdr,
  type HdrImage,
  type LdrCodes,
  type LdrImage,
} from '../image/image.js';
import { checkPixelLimit, oneLine, resolveMaxPixels, type ReadLimits } from './limits.js';

function readError(file: string, err: unknown): ImageReadError {
  const msg = oneLine(err);
  if (/unsupported image format/i.test(msg))
    return new ImageReadError(file, 'unrecognised image format');
  return new ImageReadError(file, `cannot decode image: ${msg}`);
}

/**
 * Decodes an image with sharp.
 * @param file - name used in error messages
 * @param bytes - the whole file
 * @throws ImageReadError on corrupt/truncated/unsupported input or above the pixel cap
 */
export async function decodeWithSharp(
  file: string,
  bytes: Uint8Array,
  limits: ReadLimits = {},
): Promise<LdrImage | HdrImage> {
  const image = await decodeCodesWithSharp(file, bytes, limits);
  if (image.kind === 'hdr') return image;
  const { width, height, bitDepth, codes } = image;
  const unit = codeToUnit(bitDepth);
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = unit[codes[i]];
  return createLdr(width, height, 3, out, bitDepth);
}

/**
 * Decodes an image with sharp, keeping an 8- or 16-bit one as its codes ({@link LdrCodes}: a
 * quarter or half the memory of {@link decodeWithSharp}'s floats); a float TIFF is an HdrImage.
 * @throws ImageReadError as {@link decodeWithSharp}
 */
export async function decodeCodesWithSharp(
  file: string,
  bytes: Uint8Array,
  limits: ReadLimits = {},
): Promise<LdrCodes | HdrImage> {
  const maxPixels = resolveMaxPixels(limits);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { failOn: 'truncated', limitInputPixels: false }).metadata();
  } catch (err) {
    throw readError(file, err);
  }
  checkPixelLimit(file, meta.width ?? 0, meta.height ?? 0, { maxPixels });
  const depth = meta.depth ?? 'uchar';
  const isFloat = depth === 'float' || depth === 'double';
  const is16 = depth === 'ushort' || depth === 'short' || depth === 'uint' || depth === 'int';
  const opts = {
    failOn: 'truncated' as const,
    limitInputPixels: Math.ceil(maxPixels),
    autoOrient: true,
  };
  try {
    let p = sharp(bytes, opts).removeAlpha();
    if (isFloat) p = p.toColourspace('scrgb').raw({ depth: 'float' });
    else if (is16) p = p.toColourspace('rgb16').raw({ depth: 'ushort' });
    else p = p.toColourspace('srgb').raw();
    const { data, info } = await p.toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    const n = width * height;
    if (channels !== 3 || data.length !== n * 3 * (isFloat ? 4 : is16 ? 2 : 1)) {
      throw new Error(`unexpected decoder output (${channels} channels, ${data.length} bytes)`);
    }
    if (isFloat) {
      const src =
        data.byteOffset % 4 === 0
          ? new Float32Array(data.buffer, data.byteOffset, n * 3)
          : new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + n * 12));
      const out = new Float32Array(n * 3);
      for (let i = 0; i < n * 3; i++) {
        const v = src[i];
        out[i] = v > 0 && v < Infinity ? v : 0;
      }
      return createHdr(width, height, 3, out);
    }
    // sharp's own buffer when it holds just the codes (large images); a copy when it is a
    // slice of Node's pool (small ones) or misaligned for 16-bit samples
    const bytesPer = is16 ? 2 : 1;
    const own = data.byteOffset % bytesPer === 0 && data.buffer.byteLength === data.length;
    const buf = own
      ? data.buffer
      : data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
    const offset = own ? data.byteOffset : 0;
    const codes = is16 ? new Uint16Array(buf, offset, n * 3) : new Uint8Array(buf, offset, n * 3);
    return { kind: 'ldr-codes', width, height, channels: 3, bitDepth: is16 ? 16 : 8, codes };
  } catch (err) {
    throw readError(file, err);
  }
}
