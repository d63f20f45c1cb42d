/**
 * Reference index of the runtime render graphs' space-to-depth layout (frame-layout.ts): where
 * channel c of pixel (y, x) of image b of an h × w batch lies, written from the definition.
 */
export function s2dIndex(b: number, y: number, x: number, c: number, h: number, w: number): number {
  const plane = (h / 2) * (w / 2);
  const block = ((y % 2) * 2 + (x % 2)) * 3 + c;
  return (b * 12 + block) * plane + Math.floor(y / 2) * (w / 2) + Math.floor(x / 2);
}
