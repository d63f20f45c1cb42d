/**
 * The engine's image model. Pixels are interleaved float32, row-major, top row first.
 *
 * - {@link HdrImage}: scene-linear relative radiance, values ≥ 0 and unbounded above.
 * - {@link LdrImage}: display-referred encoded values in [0, 1] (for a photo: the camera's
 *   transfer curve, usually close to sRGB), with the bit depth of the source it came from.
 */

/** Number of interleaved channels: 1 (grey / luminance map) or 3 (RGB). */
export type Channels = 1 | 3;

/** Plain float image: the shape shared by every image in the engine. */
export interface FloatImage {
  /** Width in pixels (≥ 1). */
  readonly width: number;
  /** Height in pixels (≥ 1). */
  readonly height: number;
  /** Interleaved channels per pixel. */
  readonly channels: Channels;
  /** width × height × channels samples, row-major, top row first. */
  readonly data: Float32Array;
}

/** Scene-linear HDR image: relative radiance, ≥ 0, unbounded. */
export interface HdrImage extends FloatImage {
  readonly kind: 'hdr';
}

/** Display-referred LDR image: encoded values in [0, 1]. */
export interface LdrImage extends FloatImage {
  readonly kind: 'ldr';
  /** Precision of the source the values came from (8 or 16 bits per sample). */
  readonly bitDepth: 8 | 16;
}

export type AnyImage = HdrImage | LdrImage;

/**
 * An 8- or 16-bit photo kept as its integer codes: 3 interleaved channels, row-major, 1 or 2
 * bytes per sample instead of 4. Sample value = {@link codeToUnit}(bitDepth)[code], exactly what
 * an {@link LdrImage} read from the same file holds.
 */
export interface LdrCodes {
  readonly kind: 'ldr-codes';
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
  readonly bitDepth: 8 | 16;
  /** width × height × 3 codes: Uint8Array for 8 bits, Uint16Array for 16 */
  readonly codes: Uint8Array | Uint16Array;
}

/**
 * The float value of one step of a bit depth's codes: 1 / 255 or 1 / 65535. A code's value is
 * code · unitScale, rounded to float32 (for 8 bits the same float32 as code / 255, every code).
 */
export function unitScale(bitDepth: 8 | 16): number {
  return bitDepth === 8 ? 1 / 255 : 1 / 65535;
}

const unitTables: Partial<Record<8 | 16, Float32Array>> = {};

/**
 * The float32 value of every code of a bit depth, code · {@link unitScale} (the decoder's
 * conversion). Computed once per depth (256 or 65536 entries).
 */
export function codeToUnit(bitDepth: 8 | 16): Float32Array {
  let table = unitTables[bitDepth];
  if (!table) {
    const scale = unitScale(bitDepth);
    table = new Float32Array(bitDepth === 8 ? 256 : 65536).map((_, i) => i * scale);
    unitTables[bitDepth] = table;
  }
  return table;
}

function checkShape(width: number, height: number, channels: Channels, length?: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Invalid image size ${width}×${height}`);
  }
  if (channels !== 1 && channels !== 3) throw new RangeError(`Invalid channel count ${channels}`);
  if (length !== undefined && length !== width * height * channels) {
    throw new RangeError(
      `Pixel buffer holds ${length} samples, expected ${width}×${height}×${channels} = ${width * height * channels}`,
    );
  }
}

/**
 * Creates an HDR image. Without `data` the pixels are zero.
 * @param width - pixels, ≥ 1
 * @param height - pixels, ≥ 1
 * @param channels - 1 or 3
 * @param data - optional buffer of width·height·channels linear samples (not copied)
 */
export function createHdr(
  width: number,
  height: number,
  channels: Channels = 3,
  data?: Float32Array,
): HdrImage {
  checkShape(width, height, channels, data?.length);
  return {
    kind: 'hdr',
    width,
    height,
    channels,
    data: data ?? new Float32Array(width * height * channels),
  };
}

/**
 * Creates an LDR image. Without `data` the pixels are zero.
 * @param data - optional buffer of encoded samples in [0, 1] (not copied)
 * @param bitDepth - precision of the source, 8 or 16
 */
export function createLdr(
  width: number,
  height: number,
  channels: Channels = 3,
  data?: Float32Array,
  bitDepth: 8 | 16 = 8,
): LdrImage {
  checkShape(width, height, channels, data?.length);
  return {
    kind: 'ldr',
    width,
    height,
    channels,
    bitDepth,
    data: data ?? new Float32Array(width * height * channels),
  };
}
