/**
 * Zoom and pan of the viewer: a content rectangle (the image, in content pixels) mapped to the
 * screen as screen = content·scale + offset. Pure functions, no DOM.
 */

/** The mapping content → screen (CSS pixels relative to the viewer's top-left corner). */
export interface View {
  /** Screen pixels per content pixel, > 0. */
  readonly scale: number;
  /** Screen position of the content's top-left corner. */
  readonly x: number;
  readonly y: number;
}

/** Smallest and largest zoom, screen pixels per content pixel. */
export const MIN_SCALE = 0.02;
export const MAX_SCALE = 32;

function clampScale(s: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
}

/**
 * The view that fits content w×h inside a viewport vw×vh with `margin` px on each side, centred,
 * never enlarged beyond `maxScale` (default 1: small images stay at 100 %).
 */
export function fitView(
  w: number,
  h: number,
  vw: number,
  vh: number,
  margin = 12,
  maxScale = 1,
): View {
  const aw = Math.max(1, vw - 2 * margin);
  const ah = Math.max(1, vh - 2 * margin);
  const scale = clampScale(Math.min(maxScale, aw / Math.max(1, w), ah / Math.max(1, h)));
  return { scale, x: (vw - w * scale) / 2, y: (vh - h * scale) / 2 };
}

/**
 * Zooms to `scale` keeping the content point under screen point (px, py) fixed.
 * @param scale - new scale, clamped to [MIN_SCALE, MAX_SCALE]
 */
export function zoomTo(view: View, scale: number, px: number, py: number): View {
  const s = clampScale(scale);
  const cx = (px - view.x) / view.scale;
  const cy = (py - view.y) / view.scale;
  return { scale: s, x: px - cx * s, y: py - cy * s };
}

/** Zooms by `factor` (> 1 in) about screen point (px, py); see {@link zoomTo}. */
export function zoomBy(view: View, factor: number, px: number, py: number): View {
  return zoomTo(view, view.scale * factor, px, py);
}

/** Moves the content by (dx, dy) screen pixels. */
export function panBy(view: View, dx: number, dy: number): View {
  return { scale: view.scale, x: view.x + dx, y: view.y + dy };
}

/**
 * Keeps at least `keep` screen pixels of the content inside the viewport (so it cannot be lost
 * off-screen), for content w×h in a viewport vw×vh.
 */
export function clampView(
  view: View,
  w: number,
  h: number,
  vw: number,
  vh: number,
  keep = 48,
): View {
  const sw = w * view.scale;
  const sh = h * view.scale;
  const kx = Math.min(keep, sw);
  const ky = Math.min(keep, sh);
  const x = Math.min(vw - kx, Math.max(kx - sw, view.x));
  const y = Math.min(vh - ky, Math.max(ky - sh, view.y));
  return { scale: view.scale, x, y };
}

/**
 * The visible part of the content, in content pixels, clipped to the content (null when none of
 * it is visible).
 */
export function visibleRegion(
  view: View,
  w: number,
  h: number,
  vw: number,
  vh: number,
): { x: number; y: number; width: number; height: number } | null {
  const x0 = Math.max(0, Math.floor(-view.x / view.scale));
  const y0 = Math.max(0, Math.floor(-view.y / view.scale));
  const x1 = Math.min(w, Math.ceil((vw - view.x) / view.scale));
  const y1 = Math.min(h, Math.ceil((vh - view.y) / view.scale));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** A frame as the viewer shows it: RGBA bytes (alpha 255), top row first. */
export interface RgbaFrame {
  readonly width: number;
  readonly height: number;
  /** width·height·4 bytes; may be a buffer reused by the producer for its next frame. */
  readonly rgba: Uint8ClampedArray<ArrayBuffer>;
  /** Who made it: the GPU shader or a server preview. */
  readonly source: 'gl' | 'server';
}
