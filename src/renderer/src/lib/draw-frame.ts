/** Draws a binary preview frame (ImagePayload, u8 grey/RGB/RGBA) onto a canvas. */
import type { ImagePayload } from '../../../shared/api/image-wire.js';

/**
 * Expands interleaved u8 samples (1, 3 or 4 channels) to RGBA into `out` (opaque alpha).
 * @param out length width·height·4
 */
export function toRgba(src: Uint8Array, channels: 1 | 3 | 4, out: Uint8ClampedArray): void {
  const n = out.length >> 2;
  if (channels === 4) {
    out.set(src.subarray(0, n * 4));
    return;
  }
  for (let i = 0, s = 0, d = 0; i < n; i++, s += channels, d += 4) {
    const r = src[s];
    out[d] = r;
    out[d + 1] = channels === 3 ? src[s + 1] : r;
    out[d + 2] = channels === 3 ? src[s + 2] : r;
    out[d + 3] = 255;
  }
}

/**
 * Resizes `canvas` to the frame and draws it (one ImageData, no per-pixel allocation).
 * @throws Error for a non-u8 frame (previews are always 8-bit display-encoded)
 */
export function drawFrame(canvas: HTMLCanvasElement, frame: ImagePayload): void {
  if (frame.format !== 'u8') throw new Error(`preview frame has ${frame.format} samples, not u8`);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas 2D context is not available');
  if (canvas.width !== frame.width) canvas.width = frame.width;
  if (canvas.height !== frame.height) canvas.height = frame.height;
  const image = ctx.createImageData(frame.width, frame.height);
  toRgba(frame.data, frame.channels, image.data);
  ctx.putImageData(image, 0, 0);
}
