/** A Svelte action drawing a binary frame onto a canvas whenever the frame changes. */
import type { ImagePayload } from '../../../shared/api/image-wire.js';
import { drawFrame } from './draw-frame.js';

/**
 * `<canvas use:paint={frame}>`: draws `frame` (u8) at its own size; CSS scales the canvas.
 * Frames that cannot be drawn leave the canvas as it was.
 */
export function paint(
  canvas: HTMLCanvasElement,
  frame: ImagePayload | null,
): { update(next: ImagePayload | null): void } {
  const draw = (f: ImagePayload | null): void => {
    if (!f) return;
    try {
      drawFrame(canvas, f);
      canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? '0') + 1);
    } catch {
      // a non-u8 frame: nothing to show
    }
  };
  draw(frame);
  return { update: draw };
}
