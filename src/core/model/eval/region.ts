/** The evaluated rectangle of a stack (e.g. the held-out right half). */
import { InvalidInputError } from '../../errors.js';
import { crop } from '../../image/crop.js';
import type { FloatImage } from '../../image/image.js';
import type { Rect } from '../../image/tiles.js';

/**
 * Checks that a rectangle is integral, non-empty and inside a width × height frame.
 * @throws InvalidInputError naming the rectangle and the frame size
 */
export function validateRegion(region: Rect, width: number, height: number): void {
  const { x, y, width: w, height: h } = region;
  const ok =
    [x, y, w, h].every((v) => Number.isInteger(v)) &&
    x >= 0 &&
    y >= 0 &&
    w >= 1 &&
    h >= 1 &&
    x + w <= width &&
    y + h <= height;
  if (!ok) {
    throw new InvalidInputError(
      `Evaluation region ${w}×${h} at (${x}, ${y}) is not inside the ${width}×${height} frame`,
    );
  }
}

/** The right half of a width × height frame (columns ⌊width/2⌋…width−1), a common held-out area. */
export function rightHalf(width: number, height: number): Rect {
  const x = Math.floor(width / 2);
  return { x, y: 0, width: width - x, height };
}

/**
 * The part of an image inside `region` (a copy), or the image itself without a region or when
 * the region is the whole image.
 */
export function cropToRegion<T extends FloatImage>(img: T, region: Rect | undefined): T {
  if (!region) return img;
  if (
    region.x === 0 &&
    region.y === 0 &&
    region.width === img.width &&
    region.height === img.height
  )
    return img;
  return crop(img, region.x, region.y, region.width, region.height);
}
