import { ImageReadError } from '../errors.js';

/** Limits applied before any pixel data is decoded. */
export interface ReadLimits {
  /**
   * Largest accepted width × height, in pixels. Default: the environment variable
   * `BRACKETEER_MAX_PIXELS` when it holds a positive number, else 100 megapixels.
   */
  readonly maxPixels?: number;
}

/** Default pixel cap: 100 megapixels. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/**
 * The pixel cap in effect: `limits.maxPixels`, else `BRACKETEER_MAX_PIXELS`, else 100 MP.
 * @returns a positive number of pixels
 */
export function resolveMaxPixels(limits: ReadLimits = {}): number {
  if (limits.maxPixels !== undefined) {
    if (!(limits.maxPixels > 0))
      throw new RangeError(`maxPixels must be positive, got ${limits.maxPixels}`);
    return limits.maxPixels;
  }
  const env = Number(process.env.BRACKETEER_MAX_PIXELS);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_MAX_PIXELS;
}

function mp(pixels: number): string {
  const v = pixels / 1e6;
  return v >= 10 ? v.toFixed(0) : v >= 0.1 ? v.toFixed(1) : v.toPrecision(2);
}

/**
 * Throws {@link ImageReadError} when a header announces more pixels than allowed, or a
 * nonsensical size. Call it with the dimensions from the header, before decoding pixels.
 * @param width - pixels from the header
 * @param height - pixels from the header
 */
export function checkPixelLimit(
  file: string,
  width: number,
  height: number,
  limits: ReadLimits = {},
): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ImageReadError(file, `invalid image size ${width}×${height} in the header`);
  }
  const max = resolveMaxPixels(limits);
  const n = width * height;
  if (n > max) {
    throw new ImageReadError(
      file,
      `image is ${width}×${height} = ${mp(n)} MP, above the limit of ${mp(max)} MP`,
    );
  }
}

/** Turns any thrown value into one clean line (first meaningful lines of a library message). */
export function oneLine(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const parts = raw
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const text = parts
    .slice(0, 3)
    .join('; ')
    .replace(/^THREE\.EXRLoader:\s*/, '');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text || 'unknown error';
}

/**
 * One line for a failed file-system call on an image file: "file not found", "permission
 * denied", "is a directory, not an image file", else the error's own message.
 */
export function fsReason(err: unknown): string {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not an image file';
    default:
      return oneLine(err);
  }
}
