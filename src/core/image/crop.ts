/** Rectangular crops. */
import type { FloatImage } from './image.js';

/**
 * Copies a rectangle out of an image, keeping its kind (and bit depth for LDR).
 * @param img - source image
 * @param x - left edge in pixels (integer, 0 ≤ x < width)
 * @param y - top edge in pixels (integer, 0 ≤ y < height)
 * @param width - crop width in pixels (integer ≥ 1, x + width ≤ img.width)
 * @param height - crop height in pixels (integer ≥ 1, y + height ≤ img.height)
 * @returns a new image holding a copy of the pixels
 * @throws RangeError if the rectangle is not integral or not inside the image
 */
export function crop<T extends FloatImage>(
  img: T,
  x: number,
  y: number,
  width: number,
  height: number,
): T {
  const ok =
    Number.isInteger(x) &&
    Number.isInteger(y) &&
    Number.isInteger(width) &&
    Number.isInteger(height) &&
    x >= 0 &&
    y >= 0 &&
    width >= 1 &&
    height >= 1 &&
    x + width <= img.width &&
    y + height <= img.height;
  if (!ok) {
    throw new RangeError(
      `crop: rectangle ${width}×${height} at (${x}, ${y}) is not inside the ` +
        `${img.width}×${img.height} image`,
    );
  }
  const c = img.channels;
  const out = new Float32Array(width * height * c);
  const rowLen = width * c;
  for (let r = 0; r < height; r++) {
    const from = ((y + r) * img.width + x) * c;
    out.set(img.data.subarray(from, from + rowLen), r * rowLen);
  }
  return { ...img, width, height, data: out };
}
