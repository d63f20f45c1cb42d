/** Test helper: a synthetic bracket with a known radiance map and a known camera response. */
import { createLdr } from '../../../src/core/image/image.js';
import type { LdrImage } from '../../../src/core/image/image.js';

/** Per-channel scene tints, so the three channels see different radiances. */
export const TINTS = [1, 0.8, 0.62] as const;

/**
 * Scene radiance E(x, y, c): log2 E spans [log2Min, log2Max] as a horizontal gradient, with a
 * smooth ±0.6-stop texture, times the channel tint. Wide and smooth, so every code value is hit.
 */
export function syntheticRadiance(
  width: number,
  height: number,
  log2Min = -12,
  log2Max = 2,
): Float64Array {
  const e = new Float64Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const l =
        log2Min +
        ((log2Max - log2Min) * x) / (width - 1) +
        0.6 * Math.sin(x / 5.3) * Math.cos(y / 7.1) +
        0.4 * Math.sin((2 * Math.PI * y) / height);
      const base = 2 ** l;
      for (let c = 0; c < 3; c++) e[(y * width + x) * 3 + c] = base * TINTS[c];
    }
  }
  return e;
}

/**
 * Renders frames Z = round(255·f(E·t)) / 255 for each exposure time (8-bit quantised).
 * @param forward - camera curve, exposure → [0, 1]
 */
export function renderBracket(
  radiance: Float64Array,
  width: number,
  height: number,
  times: readonly number[],
  forward: (x: number) => number,
): LdrImage[] {
  return times.map((t) => {
    const d = new Float32Array(radiance.length);
    for (let i = 0; i < d.length; i++) d[i] = Math.round(255 * forward(radiance[i] * t)) / 255;
    return createLdr(width, height, 3, d, 8);
  });
}

/** Exposure times 2^k seconds for k = −half…half (2·half + 1 frames, one stop apart). */
export function stopTimes(half: number): number[] {
  return Array.from({ length: 2 * half + 1 }, (_, i) => 2 ** (i - half));
}
